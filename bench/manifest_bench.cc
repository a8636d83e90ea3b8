// SPDX-License-Identifier: Apache-2.0
// How long the manifest operations of one large version take: building a manifest of
// N entries, its W&B digest, and its JSON form both ways. The digest decides whether
// a snapshot is new, so it runs on every track.
#include <cstdint>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "cairn/manifest/manifest.h"

namespace cairn::manifest {
namespace {

// Entries shaped like an S3 listing of an image dataset: class folders, ETags,
// version ids.
Manifest MakeManifest(std::int64_t count) {
  Manifest manifest;
  for (std::int64_t i = 0; i < count; ++i) {
    ManifestEntry entry;
    entry.path = fmt::format("{}/{:06d}.png", i % 10, i);
    entry.ref = "s3://bench-bucket/digits/" + entry.path;
    entry.digest = fmt::format("{:032x}", static_cast<std::uint64_t>(i) * 2654435761U);
    entry.size_bytes = 400 + i % 97;
    entry.extra["etag"] = entry.digest;
    entry.extra["versionID"] = fmt::format("v-{:016x}", i);
    if (!manifest.Add(std::move(entry)).ok()) {
      std::abort();
    }
  }
  return manifest;
}

void BuildManifestBench(benchmark::State& state) {
  for (auto iteration : state) {
    static_cast<void>(iteration);
    benchmark::DoNotOptimize(MakeManifest(state.range(0)));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BuildManifestBench)->Arg(1000)->Arg(10000);

void ManifestDigestBench(benchmark::State& state) {
  const Manifest manifest = MakeManifest(state.range(0));
  for (auto iteration : state) {
    static_cast<void>(iteration);
    benchmark::DoNotOptimize(manifest.Digest());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(ManifestDigestBench)->Arg(1000)->Arg(10000);

void ManifestToJsonBench(benchmark::State& state) {
  const Manifest manifest = MakeManifest(state.range(0));
  for (auto iteration : state) {
    static_cast<void>(iteration);
    benchmark::DoNotOptimize(manifest.ToJson());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(ManifestToJsonBench)->Arg(10000);

void ManifestFromJsonBench(benchmark::State& state) {
  const std::string json = MakeManifest(state.range(0)).ToJson();
  for (auto iteration : state) {
    static_cast<void>(iteration);
    benchmark::DoNotOptimize(Manifest::FromJson(json));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(json.size()));
}
BENCHMARK(ManifestFromJsonBench)->Arg(10000);

}  // namespace
}  // namespace cairn::manifest
