// SPDX-License-Identifier: Apache-2.0
// Workspace: what the artifact layer keeps per session under a cairn home: the
// opened stores (one per scheme and bucket or host), the checksum cache and the
// content cache, and the progress callback of the front end.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "cairn/base/result.h"
#include "cairn/cache/checksum_cache.h"
#include "cairn/cache/content_cache.h"
#include "cairn/storage/object_store.h"
#include "cairn/storage/store_factory.h"
#include "cairn/uri/uri.h"

namespace cairn::artifact {

/// Progress of a long operation (listing, hashing, downloading, verifying).
struct Progress {
  std::string phase{};      // "listing", "hashing", "downloading", "verifying"
  std::int64_t done = 0;    // items (objects, files) done
  std::int64_t total = -1;  // -1 while unknown
  std::int64_t bytes_done = 0;
  std::int64_t bytes_total = -1;
};

/// Called from worker threads, never concurrently for one operation.
using ProgressFn = std::function<void(const Progress&)>;

/// Opened stores keyed by "scheme://authority", shared by every operation of a
/// session so credentials are resolved and connections pooled once. Thread-safe.
class StorePool {
 public:
  explicit StorePool(storage::StoreOptions options = {}) : options_(std::move(options)) {}

  /// The store serving `uri`, opened with storage::OpenStore on first use. Errors
  /// of OpenStore (kInvalidArgument for an unknown scheme, kUnimplemented for a
  /// backend not built) are returned as they are and not remembered.
  Result<std::shared_ptr<storage::ObjectStore>> Get(const uri::Uri& uri);

  /// Makes `store` serve every URI whose KeyOf() is `key` ("file://",
  /// "s3://bucket"), replacing any store opened before. For tests (counting or
  /// fault-injecting stores) and front ends that build a store themselves.
  void Put(const std::string& key, std::shared_ptr<storage::ObjectStore> store);

  /// "scheme://authority" of `uri`.
  static std::string KeyOf(const uri::Uri& uri);

 private:
  storage::StoreOptions options_;
  std::mutex mutex_;  // guards stores_
  std::map<std::string, std::shared_ptr<storage::ObjectStore>> stores_;
};

struct WorkspaceOptions {
  storage::StoreOptions store_options{};  // endpoint and region overrides
  ProgressFn progress{};                  // optional
};

/// Per-session state of the artifact layer. Thread-safe.
class Workspace {
 public:
  /// Opens the caches under `home` (<home>/cache/checksums.db, objects/, tmp/),
  /// creating them when needed. kUnavailable naming the path that failed.
  static Result<std::unique_ptr<Workspace>> Open(const std::string& home,
                                                 WorkspaceOptions options = {});

  const std::string& Home() const { return home_; }
  StorePool& Stores() { return stores_; }
  cache::ChecksumCache& Checksums() { return *checksums_; }
  cache::ContentCache& Contents() { return *contents_; }

  /// Passes `progress` to the front end's callback, if any.
  void ReportProgress(const Progress& progress) const;

 private:
  Workspace(std::string home, WorkspaceOptions options);

  std::string home_;
  StorePool stores_;
  ProgressFn progress_;
  std::unique_ptr<cache::ChecksumCache> checksums_;
  std::unique_ptr<cache::ContentCache> contents_;
};

}  // namespace cairn::artifact
