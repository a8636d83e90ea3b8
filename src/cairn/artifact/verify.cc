// SPDX-License-Identifier: Apache-2.0
#include "cairn/artifact/verify.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "cairn/artifact/entries.h"
#include "cairn/transfer/parallel.h"

namespace cairn::artifact {
namespace {

// What Stat found for one entry.
struct Seen {
  std::optional<storage::ObjectInfo> info;  // nullopt: missing
  std::shared_ptr<storage::ObjectStore> store;
};

// For checksum=false entries: is there an object at the ref or under it?
Result<bool> AnythingAt(storage::ObjectStore& store, const uri::Uri& uri) {
  bool found = false;
  const uri::Uri prefix = uri.AsPrefix();
  Status listed = store.List(prefix, {}, [&](const storage::ObjectInfo&) {
    found = true;
    return AbortedError("stop after the first object");
  });
  if (!found && !listed.ok()) {
    return listed;  // the store's message already names the prefix
  }
  return found;
}

Status StatEntry(Workspace& workspace, const manifest::ManifestEntry& entry, Seen& seen) {
  CAIRN_ASSIGN_OR_RETURN(uri::Uri uri, uri::Uri::ParseRef(entry.ref));
  CAIRN_ASSIGN_OR_RETURN(seen.store, workspace.Stores().Get(uri));

  Result<storage::ObjectInfo> info = seen.store->Stat(MakeRef(uri));
  if (info.ok()) {
    seen.info = std::move(*info);
    return Status::Ok();
  }
  if (info.status().code() != StatusCode::kNotFound) {
    return info.status().WithContext("verifying entry " + entry.path);
  }
  if (!entry.checksum && seen.store->Features().has_listing) {
    CAIRN_ASSIGN_OR_RETURN(const bool found, AnythingAt(*seen.store, uri));
    if (found) {
      seen.info.emplace();
      seen.info->uri = uri;
    }
  }
  return Status::Ok();
}

// "etag X -> Y, size A -> B" for what differs besides a locally hashed MD5.
std::string RemoteDifferences(const manifest::ManifestEntry& entry,
                              const storage::ObjectInfo& info) {
  std::vector<std::string> parts;
  const std::string etag = entry.Etag();
  if (!etag.empty() && info.etag != etag) {
    parts.push_back("etag " + etag + " -> " + (info.etag.empty() ? "none" : info.etag));
  }
  if (info.size_bytes != entry.size_bytes) {
    parts.push_back("size " + std::to_string(entry.size_bytes) + " -> " +
                    std::to_string(info.size_bytes));
  }
  std::string joined;
  for (const std::string& part : parts) {
    joined += (joined.empty() ? "" : ", ") + part;
  }
  return joined;
}

}  // namespace

Result<VerifyReport> Verify(Workspace& workspace, const manifest::Manifest& manifest) {
  const std::vector<manifest::ManifestEntry>& entries = manifest.entries();
  const auto count = static_cast<std::int64_t>(entries.size());
  const bool all_local = std::all_of(entries.begin(), entries.end(), [](const auto& e) {
    return e.ref.starts_with("file:");
  });
  std::vector<Seen> seen(entries.size());
  const transfer::ParallelResult stats = transfer::ParallelFor(
      count,
      {.parallelism =
           all_local ? transfer::HashParallelism() : transfer::kNetworkParallelism,
       .stop = transfer::StopRule::kStopOnAnyError,
       .on_done =
           [&](std::int64_t done, std::int64_t, const Status&) {
             workspace.ReportProgress(
                 {.phase = "verifying", .done = done, .total = count});
           }},
      [&](std::int64_t i) {
        const auto slot = static_cast<std::size_t>(i);
        return StatEntry(workspace, entries[slot], seen[slot]);
      });
  CAIRN_RETURN_IF_ERROR(stats.FirstError());

  // Hashed entries whose size still matches need their MD5 compared too.
  std::vector<HashJob> jobs;
  std::vector<std::size_t> hashed;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const manifest::ManifestEntry& entry = entries[i];
    if (entry.checksum && seen[i].info && !ExpectedMd5(entry).empty() &&
        seen[i].info->size_bytes == entry.size_bytes && NeedsLocalHash(*seen[i].info)) {
      jobs.push_back({seen[i].store.get(), *seen[i].info});
      hashed.push_back(i);
    }
  }
  CAIRN_ASSIGN_OR_RETURN(std::vector<std::string> sums, HashObjects(workspace, jobs));
  std::vector<std::string> md5_now(entries.size());
  for (std::size_t j = 0; j < hashed.size(); ++j) {
    md5_now[hashed[j]] = std::move(sums[j]);
  }

  VerifyReport report;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const manifest::ManifestEntry& entry = entries[i];
    if (!seen[i].info) {
      report.missing.push_back(entry.path);
      continue;
    }
    std::string differences =
        entry.checksum ? RemoteDifferences(entry, *seen[i].info) : "";
    if (!md5_now[i].empty() && md5_now[i] != ExpectedMd5(entry)) {
      differences = "md5 " + ExpectedMd5(entry) + " -> " + md5_now[i];
    }
    if (differences.empty()) {
      report.unchanged.push_back(entry.path);
    } else {
      report.changed.push_back(entry.path + ": " + differences);
    }
  }
  return report;
}

}  // namespace cairn::artifact
