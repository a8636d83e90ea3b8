// SPDX-License-Identifier: Apache-2.0
// Read-only views of the records the C++ API returns. Each is copied into its
// Python object, so it stays valid whatever happens to the session.
#include <nanobind/nanobind.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "cairn/api/session.h"
#include "cairn/manifest/wandb_file.h"

#include "bindings.h"
#include "status_error.h"

namespace cairn::python {
namespace {

namespace nb = nanobind;
using manifest::Manifest;
using manifest::ManifestEntry;

std::optional<std::string> NoneIfEmpty(std::string text) {
  if (text.empty()) {
    return std::nullopt;
  }
  return text;
}

void BindEntry(nb::module_& module) {
  nb::class_<ManifestEntry>(module, "Entry")
      .def_ro("path", &ManifestEntry::path,
              "The entry's path inside the artifact, '/'-separated.")
      .def_ro("ref", &ManifestEntry::ref,
              "The reference URI (W&B's form), never with a pin or a credential.")
      .def_ro("digest", &ManifestEntry::digest,
              "W&B's entry digest: the store's ETag, the base64 MD5 cairn computed, "
              "or the ref itself when recorded with checksum=False.")
      .def_ro("size", &ManifestEntry::size_bytes, "Size of the object in bytes.")
      .def_ro("extra", &ManifestEntry::extra,
              "What else the store reported (etag, versionID, lastModified, md5, ...).")
      .def_ro("checksum", &ManifestEntry::checksum,
              "False when recorded by URI alone: a download takes what is there then.")
      .def_prop_ro(
          "version_id",
          [](const ManifestEntry& entry) { return NoneIfEmpty(entry.VersionId()); },
          "The object version the entry is pinned to (S3 or Azure version ID, GCS "
          "generation), or None.")
      .def_prop_ro(
          "etag", [](const ManifestEntry& entry) { return NoneIfEmpty(entry.Etag()); },
          "The store's ETag, unquoted, or None.")
      .def("__eq__",
           [](const ManifestEntry& a, const ManifestEntry& b) { return a == b; })
      .def("__repr__", [](const ManifestEntry& entry) {
        return "<Entry " + entry.path + " -> " + entry.ref + ">";
      });
}

void BindManifest(nb::module_& module) {
  nb::class_<Manifest>(module, "Manifest")
      .def_prop_ro("entries", [](const Manifest& manifest) { return manifest.entries(); })
      .def("__len__", &Manifest::size)
      .def_prop_ro("total_bytes", &Manifest::TotalBytes)
      .def(
          "find",
          [](const Manifest& manifest, const std::string& path) {
            const ManifestEntry* entry = manifest.Find(path);
            return entry == nullptr ? std::nullopt : std::optional(*entry);
          },
          nb::arg("path"))
      .def("digest", &Manifest::Digest)
      .def("to_json", &Manifest::ToJson)
      .def_static(
          "from_json",
          [](const std::string& json) { return ValueOrThrow(Manifest::FromJson(json)); },
          nb::arg("json"));

  // W&B manifest files (manifest/wandb_file.h); both touch only the local disk.
  module.def(
      "read_wandb_manifest_file",
      [](const std::string& path) {
        return ValueOrThrow(manifest::ReadWandbManifestFile(path));
      },
      nb::arg("path"));
  module.def(
      "write_wandb_manifest_file",
      [](const Manifest& entries, const std::string& path) {
        ThrowIfError(manifest::WriteWandbManifestFile(entries, path));
      },
      nb::arg("manifest"), nb::arg("path"));
}

void BindVersionRecord(nb::module_& module) {
  using registry::VersionRecord;
  nb::class_<VersionRecord>(module, "VersionRecord")
      .def_ro("id", &VersionRecord::id)
      .def_ro("project", &VersionRecord::project)
      .def_ro("name", &VersionRecord::name)
      .def_ro("index", &VersionRecord::index)
      .def_ro("type", &VersionRecord::type)
      .def_ro("description", &VersionRecord::description)
      .def_ro("metadata_json", &VersionRecord::metadata_json)
      .def_ro("digest", &VersionRecord::digest)
      .def_ro("size", &VersionRecord::size_bytes)
      .def_ro("file_count", &VersionRecord::file_count)
      .def_ro("created_at", &VersionRecord::created_at)
      .def_ro("producer_run_id", &VersionRecord::producer_run_id)
      .def_ro("aliases", &VersionRecord::aliases)
      .def_prop_ro("label", &VersionRecord::Label);
}

void BindRunRecord(nb::module_& module) {
  using registry::RunRecord;
  nb::class_<RunRecord>(module, "RunRecord")
      .def_ro("id", &RunRecord::id)
      .def_ro("project", &RunRecord::project)
      .def_ro("name", &RunRecord::name)
      .def_ro("job_type", &RunRecord::job_type)
      .def_ro("config_json", &RunRecord::config_json)
      .def_ro("status", &RunRecord::status)
      .def_ro("exit_code", &RunRecord::exit_code)
      .def_ro("started_at", &RunRecord::started_at)
      .def_ro("finished_at", &RunRecord::finished_at);
}

void BindResults(nb::module_& module) {
  nb::class_<registry::LogResult>(module, "LogResult")
      .def_ro("version", &registry::LogResult::version)
      .def_ro("created", &registry::LogResult::created);

  nb::class_<registry::RunEdges>(module, "RunEdges")
      .def_ro("run", &registry::RunEdges::run)
      .def_ro("inputs", &registry::RunEdges::inputs)
      .def_ro("outputs", &registry::RunEdges::outputs);

  nb::class_<api::VerifyReport>(module, "VerifyReport")
      .def_ro("unchanged", &api::VerifyReport::unchanged,
              "Paths of the entries that still match.")
      .def_ro("changed", &api::VerifyReport::changed,
              "One \"path: what differs\" line per entry whose data changed.")
      .def_ro("missing", &api::VerifyReport::missing,
              "Paths of the entries whose object is gone.")
      .def_prop_ro("ok", &api::VerifyReport::IsClean,
                   "True when nothing changed and nothing is missing.")
      .def("__repr__", [](const api::VerifyReport& report) {
        return "<VerifyReport unchanged=" + std::to_string(report.unchanged.size()) +
               " changed=" + std::to_string(report.changed.size()) +
               " missing=" + std::to_string(report.missing.size()) + ">";
      });
}

}  // namespace

void BindRecords(nb::module_& module) {
  BindEntry(module);
  BindManifest(module);
  BindVersionRecord(module);
  BindRunRecord(module);
  BindResults(module);
}

}  // namespace cairn::python
