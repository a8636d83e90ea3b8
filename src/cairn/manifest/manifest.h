// SPDX-License-Identifier: Apache-2.0
// Manifest: every entry of one artifact version, sorted by path, in W&B's
// version-1 JSON layout, with W&B's artifact digest, so a snapshot gets the same
// digest in cairn and in wandb.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.h"

namespace cairn::manifest {

/// One file of an artifact.
struct ManifestEntry {
  std::string path;  // logical path inside the artifact, '/'-separated, relative
  // Reference URI in W&B's form (uri::Uri::RefString): object keys raw, so
  // "s3://b/a b#1" names key "a b#1"; http(s) URLs encoded, with their query. Never
  // a pin or a credential. Read back with uri::Uri::ParseRef.
  std::string ref;
  std::string digest;  // W&B's entry digest: store ETag (unquoted) for S3; base64
                       // MD5 for file://; the ref itself when checksum is off
  std::int64_t size_bytes = 0;
  // Everything else the store reported, by W&B's `extra` key names where W&B has
  // one: "etag", "versionID", "lastModified", plus cairn's "md5" (base64 content
  // MD5), "sha256", "crc32c". Empty values are never stored.
  std::map<std::string, std::string> extra;
  bool checksum = true;  // false: recorded by URI alone; download takes what is there

  std::string VersionId() const;  // extra["versionID"] or ""
  std::string Etag() const;       // extra["etag"] or ""
  bool operator==(const ManifestEntry& other) const = default;
};

/// All entries of a version. Entries stay sorted by path and paths are unique.
class Manifest {
 public:
  /// Adds an entry. kAlreadyExists when `entry.path` is already present with a
  /// different ref or digest; an entry with the same path, ref and digest is the
  /// same content, so it is accepted and the first entry (its size and extra) kept;
  /// kInvalidArgument for an empty path, a path starting with '/', or one with a
  /// "." or ".." segment, an empty digest, or any string that is not UTF-8 (JSON
  /// holds UTF-8 only). Extra values that are empty are dropped.
  /// Entries arriving in path order append; others are inserted in place, which
  /// makes a large unsorted batch quadratic (10,000 entries: about 0.3 s).
  Status Add(ManifestEntry entry);

  // Lower case like size() and empty(): a container accessor (STYLE.md section 2).
  // NOLINTNEXTLINE(readability-identifier-naming)
  const std::vector<ManifestEntry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::int64_t TotalBytes() const;

  /// The entry at `path`, or nullptr.
  const ManifestEntry* Find(std::string_view path) const;

  /// W&B's artifact digest: hex MD5 of "wandb-artifact-manifest-v1\n" followed by
  /// "path:digest\n" for each entry in path order.
  std::string Digest() const;

  /// W&B's manifest JSON (version 1, storagePolicy "wandb-storage-policy-v1"),
  /// keys sorted, so equal manifests serialise to equal bytes.
  std::string ToJson() const;

  /// Parses W&B's manifest JSON. kInvalidArgument naming the problem for malformed
  /// JSON, a version other than 1, or an entry missing its digest. Unknown entry
  /// fields (W&B's birthArtifactID) are ignored; a missing or null size reads as 0;
  /// a non-string extra value (W&B writes GCS generations as numbers) is kept as
  /// its JSON text, so it is written back as a string.
  static Result<Manifest> FromJson(std::string_view json);

 private:
  std::vector<ManifestEntry> entries_;  // sorted by path
};

}  // namespace cairn::manifest
