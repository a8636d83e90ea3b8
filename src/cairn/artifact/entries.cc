// SPDX-License-Identifier: Apache-2.0
#include "cairn/artifact/entries.h"

#include <atomic>
#include <optional>
#include <utility>

#include "cairn/base/log.h"
#include "cairn/base/redact.h"
#include "cairn/cache/checksum_cache.h"
#include "cairn/transfer/file_sink.h"
#include "cairn/transfer/parallel.h"

namespace cairn::artifact {

bool NeedsLocalHash(const storage::ObjectInfo& info) {
  return info.etag.empty() || (!info.etag_tracks_content && info.md5_base64.empty());
}

manifest::ManifestEntry EntryFor(const storage::ObjectInfo& info, std::string path,
                                 const std::string& md5_base64) {
  manifest::ManifestEntry entry;
  entry.path = std::move(path);
  entry.ref = info.uri.RefString();
  entry.size_bytes = info.size_bytes;
  entry.checksum = true;
  if (!info.last_modified.empty()) {
    entry.extra["lastModified"] = info.last_modified;
  }
  if (info.etag.empty()) {
    entry.digest = md5_base64;
    return entry;
  }

  entry.digest = info.etag;
  entry.extra["etag"] = info.etag;
  // S3 reports "null" for objects written before versioning was enabled; that is
  // not a pin anyone can read back by.
  if (!info.version_id.empty() && info.version_id != "null") {
    entry.extra["versionID"] = info.version_id;
  }
  const std::pair<const char*, const std::string*> sums[] = {
      {"md5", &info.md5_base64},
      {"sha256", &info.sha256_hex},
      {"crc32c", &info.crc32c_base64}};
  for (const auto& [key, value] : sums) {
    if (!value->empty()) {
      entry.extra[key] = *value;
    }
  }
  // An ETag that may not change with the bytes (http): the MD5 hashed here is what
  // downloads and verify check.
  if (info.md5_base64.empty() && !md5_base64.empty()) {
    entry.extra["md5"] = md5_base64;
  }
  return entry;
}

storage::ObjectRef MakeRef(const uri::Uri& uri, std::string version_id,
                           std::string etag) {
  storage::ObjectRef ref;
  ref.uri = uri.ObjectUri();
  ref.version_id = std::move(version_id);
  ref.etag = std::move(etag);
  return ref;
}

Status CheckEntryPath(std::string_view path, std::string_view where) {
  auto refuse = [&](std::string_view why) {
    return InvalidArgumentError("entry path \"" + std::string(path) + "\" in " +
                                std::string(where) + " " + std::string(why) +
                                "; entries must stay inside the download root");
  };
  if (path.empty()) {
    return refuse("is empty");
  }
  if (path.front() == '/') {
    return refuse("is absolute");
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return refuse(segment.empty() ? "has an empty segment"
                                    : "has a \"" + std::string(segment) + "\" segment");
    }
    start = end + 1;
  }
  if (path.find('\0') != std::string_view::npos) {
    return refuse("contains a NUL byte");
  }
  return Status::Ok();
}

std::string ExpectedMd5(const manifest::ManifestEntry& entry) {
  if (const auto it = entry.extra.find("md5"); it != entry.extra.end()) {
    return it->second;
  }
  if (entry.checksum && entry.Etag().empty()) {
    return entry.digest;
  }
  return "";
}

Result<std::vector<std::string>> HashObjects(Workspace& workspace,
                                             const std::vector<HashJob>& jobs) {
  const auto count = static_cast<std::int64_t>(jobs.size());
  std::vector<std::string> sums(jobs.size());
  std::vector<std::optional<cache::ChecksumRecord>> fresh(jobs.size());
  std::int64_t bytes_total = 0;
  for (const HashJob& job : jobs) {
    bytes_total += job.info.size_bytes;
  }
  std::atomic<std::int64_t> bytes_done{0};

  auto hash_one = [&](std::int64_t index) -> Status {
    const auto slot = static_cast<std::size_t>(index);
    const storage::ObjectInfo& info = jobs[slot].info;
    CAIRN_ASSIGN_OR_RETURN(std::optional<std::string> known,
                           workspace.Checksums().Lookup(info.key, info.file_identity));
    if (known.has_value()) {
      sums[slot] = std::move(*known);
      bytes_done.fetch_add(info.size_bytes);
      return Status::Ok();
    }

    transfer::Md5Sink sink;
    CAIRN_RETURN_IF_ERROR(jobs[slot].store->Read(MakeRef(info.uri), {}, sink));
    if (sink.SizeBytes() != info.size_bytes) {
      return AbortedError("hashing " + redact::Url(info.uri.ToString()) +
                          ": the file changed while it "
                          "was read (" +
                          std::to_string(info.size_bytes) + " bytes listed, " +
                          std::to_string(sink.SizeBytes()) + " read); try again");
    }
    sums[slot] = sink.Md5Base64();
    fresh[slot] = cache::ChecksumRecord{info.key, info.file_identity, sums[slot]};
    bytes_done.fetch_add(info.size_bytes);
    return Status::Ok();
  };

  const transfer::ParallelResult result = transfer::ParallelFor(
      count,
      {.parallelism = transfer::HashParallelism(),
       .stop = transfer::StopRule::kStopOnAnyError,
       .on_done =
           [&](std::int64_t done, std::int64_t, const Status&) {
             workspace.ReportProgress({.phase = "hashing",
                                       .done = done,
                                       .total = count,
                                       .bytes_done = bytes_done.load(),
                                       .bytes_total = bytes_total});
           }},
      hash_one);

  // Sums that were computed are worth keeping even when another file failed.
  std::vector<cache::ChecksumRecord> records;
  for (auto& record : fresh) {
    if (record.has_value()) {
      records.push_back(std::move(*record));
    }
  }
  if (!records.empty()) {
    // The cache only saves work later, so failing to update it fails nothing now.
    if (Status put = workspace.Checksums().Put(records); !put.ok()) {
      log::Get("artifact")->warn("checksum cache not updated: {}", put.ToString());
    }
  }
  CAIRN_RETURN_IF_ERROR(result.FirstError());
  return sums;
}

}  // namespace cairn::artifact
