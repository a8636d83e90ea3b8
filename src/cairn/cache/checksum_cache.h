// SPDX-License-Identifier: Apache-2.0
// ChecksumCache: remembers the base64 MD5 of local files, keyed by path and the
// file's identity (device, inode, size, mtime), so hashing an unchanged tree does
// not read it again. Kept in SQLite under the cairn home; several processes may
// share one database.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cairn/base/result.h"
#include "cairn/base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cairn::cache {

/// One remembered checksum.
struct ChecksumRecord {
  std::string path;           // absolute path of the file
  std::string file_identity;  // storage::ObjectInfo::file_identity when hashed
  std::string md5_base64;
};

/// A path -> (identity, MD5) table. Thread-safe: calls are serialised on one
/// connection. A record is only trusted while the file's identity is unchanged,
/// so an edited, replaced or touched file is hashed again.
class ChecksumCache {
 public:
  /// Opens (creating if needed) the database at `db_path` in WAL mode with a busy
  /// timeout. kUnavailable naming the path when it cannot be opened or migrated.
  static Result<std::unique_ptr<ChecksumCache>> Open(const std::string& db_path);
  ~ChecksumCache();
  ChecksumCache(const ChecksumCache&) = delete;
  ChecksumCache& operator=(const ChecksumCache&) = delete;

  /// The MD5 recorded for `path` when it was recorded with exactly
  /// `file_identity`; nullopt otherwise, and always for an empty identity.
  /// One indexed query. kUnavailable when the database cannot be read.
  Result<std::optional<std::string>> Lookup(const std::string& path,
                                            const std::string& file_identity);

  /// Records (or replaces) many checksums in one transaction. Records with an
  /// empty identity are skipped. kUnavailable when the write fails; kAborted when
  /// another process kept the database locked past the busy timeout.
  Status Put(const std::vector<ChecksumRecord>& records);

  /// Lookups answered from the cache, and lookups that were not, since Open.
  std::int64_t Hits() const { return hits_.load(); }
  std::int64_t Misses() const { return misses_.load(); }

 private:
  ChecksumCache(std::string db_path, sqlite3* db);
  Status Prepare();
  Status Exec(const char* sql);
  Status Error(std::string_view action) const;

  std::string db_path_;
  std::mutex mutex_;  // guards db_ and the statements
  sqlite3* db_;
  sqlite3_stmt* lookup_ = nullptr;
  sqlite3_stmt* upsert_ = nullptr;
  std::atomic<std::int64_t> hits_{0};
  std::atomic<std::int64_t> misses_{0};
};

}  // namespace cairn::cache
