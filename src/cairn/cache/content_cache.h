// SPDX-License-Identifier: Apache-2.0
// ContentCache: downloaded bytes, addressed by content identity, under
// <home>/cache/objects/. The same content is never fetched twice: a download first
// looks here, and a fetched object is moved in (by rename from tmp/ on the same
// filesystem) before it is copied to its destination.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cairn/base/result.h"
#include "cairn/base/status.h"

namespace cairn::cache {

/// The cache only grows: there is no eviction or size limit yet, and objects
/// stored under an older key format are never looked up again.
///
/// A directory of immutable objects. Thread-safe and safe across processes: an
/// object appears by atomic rename, so a reader sees all of it or nothing, and two
/// writers inserting the same key leave one complete copy.
class ContentCache {
 public:
  /// Opens the cache rooted at `dir` (normally <home>/cache), creating objects/
  /// and tmp/. Temp files left by crashed processes more than a day ago are
  /// removed. kUnavailable naming the directory when it cannot be created.
  static Result<std::unique_ptr<ContentCache>> Open(const std::string& dir);

  /// The key for content: "md5:<base64>" when a content MD5 is known, else
  /// "etag:<etag>:size:<n>:version:<version_id>:ref:<ref>" when an ETag is known,
  /// else "" (not cacheable). An ETag alone is not derived from the content for
  /// every store (GCS composites, HTTP, Azure), so such a key also names where the
  /// object lives: `ref_without_query` (a URI without its query string) and its
  /// pinned `version_id` (may be empty).
  static std::string ContentKey(std::string_view md5_base64, std::string_view etag,
                                std::int64_t size_bytes,
                                std::string_view ref_without_query,
                                std::string_view version_id);

  /// Where the object for `key` lives: objects/<2 hex>/<62 hex> of SHA-256(key).
  std::string ObjectPath(std::string_view key) const;

  /// The object's path when it is cached with exactly `size_bytes`; nullopt on a
  /// miss. An object of the wrong size (a damaged cache) counts as a miss. For an
  /// "md5:" key the object is hashed again, and one whose MD5 differs from the key
  /// (edited in place) is removed and counts as a miss.
  std::optional<std::string> Lookup(std::string_view key, std::int64_t size_bytes);

  /// A fresh, unused path in tmp/ to fetch into before Insert.
  std::string NewTempPath();

  /// Moves `temp_path` into the cache as `key`, read-only, and returns the
  /// object's path. If another writer inserted the key meanwhile, its copy is
  /// replaced by an equal one. kResourceExhausted when the disk is full,
  /// kUnavailable for other filesystem errors.
  Result<std::string> Insert(std::string_view key, const std::string& temp_path);

  /// Makes `dest` a writable file of its own holding the object's bytes: a reflink
  /// (copy-on-write clone) where the filesystem supports it, else a copy. Never a
  /// hard link, so editing `dest` cannot change the cache. `dest` must not exist.
  /// kUnavailable naming both paths on error (kResourceExhausted when disk is full).
  static Status Materialise(const std::string& object_path, const std::string& dest);

  const std::string& Dir() const { return dir_; }
  std::int64_t Hits() const { return hits_.load(); }
  std::int64_t Misses() const { return misses_.load(); }

 private:
  explicit ContentCache(std::string dir) : dir_(std::move(dir)) {}

  std::string dir_;
  std::atomic<std::int64_t> temp_counter_{0};
  std::atomic<std::int64_t> hits_{0};
  std::atomic<std::int64_t> misses_{0};
};

}  // namespace cairn::cache
