// SPDX-License-Identifier: Apache-2.0
#include "cairn/cache/checksum_cache.h"

#include <sqlite3.h>

#include <string>

namespace cairn::cache {
namespace {

constexpr int kBusyTimeoutMs = 10000;

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS checksums ("
    "  path TEXT PRIMARY KEY NOT NULL,"
    "  file_identity TEXT NOT NULL,"
    "  md5_base64 TEXT NOT NULL"
    ") WITHOUT ROWID";

// Resets a statement and its bindings when a scope ends, whatever path it takes.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* statement) : statement_(statement) {}
  ~StatementReset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* statement_;
};

}  // namespace

Result<std::unique_ptr<ChecksumCache>> ChecksumCache::Open(const std::string& db_path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(db_path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = "opening checksum cache " + db_path + ": " +
                          (db != nullptr ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return UnavailableError(message);
  }
  std::unique_ptr<ChecksumCache> cache(new ChecksumCache(db_path, db));

  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  CAIRN_RETURN_IF_ERROR(cache->Exec("PRAGMA journal_mode=WAL"));
  CAIRN_RETURN_IF_ERROR(cache->Exec("PRAGMA synchronous=NORMAL"));
  CAIRN_RETURN_IF_ERROR(cache->Exec(kSchema));
  CAIRN_RETURN_IF_ERROR(cache->Prepare());
  return cache;
}

ChecksumCache::ChecksumCache(std::string db_path, sqlite3* db)
    : db_path_(std::move(db_path)), db_(db) {}

ChecksumCache::~ChecksumCache() {
  sqlite3_finalize(lookup_);
  sqlite3_finalize(upsert_);
  sqlite3_close(db_);
}

Status ChecksumCache::Error(std::string_view action) const {
  const int code = sqlite3_errcode(db_);
  std::string message =
      std::string(action) + " checksum cache " + db_path_ + ": " + sqlite3_errmsg(db_);
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    return AbortedError(message + "; another cairn process holds it, retry");
  }
  return UnavailableError(message);
}

Status ChecksumCache::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    sqlite3_free(error);
    return Error("setting up");
  }
  return Status::Ok();
}

Status ChecksumCache::Prepare() {
  if (sqlite3_prepare_v2(
          db_, "SELECT file_identity, md5_base64 FROM checksums WHERE path = ?1", -1,
          &lookup_, nullptr) != SQLITE_OK) {
    return Error("preparing");
  }
  if (sqlite3_prepare_v2(db_,
                         "INSERT INTO checksums (path, file_identity, md5_base64) "
                         "VALUES (?1, ?2, ?3) ON CONFLICT(path) DO UPDATE SET "
                         "file_identity = excluded.file_identity, "
                         "md5_base64 = excluded.md5_base64",
                         -1, &upsert_, nullptr) != SQLITE_OK) {
    return Error("preparing");
  }
  return Status::Ok();
}

Result<std::optional<std::string>> ChecksumCache::Lookup(
    const std::string& path, const std::string& file_identity) {
  if (file_identity.empty()) {
    misses_.fetch_add(1);
    return std::optional<std::string>();
  }
  const std::lock_guard lock(mutex_);
  const StatementReset reset(lookup_);
  sqlite3_bind_text(lookup_, 1, path.data(), static_cast<int>(path.size()),
                    SQLITE_STATIC);

  const int step = sqlite3_step(lookup_);
  if (step == SQLITE_ROW) {
    const auto* identity = reinterpret_cast<const char*>(sqlite3_column_text(lookup_, 0));
    const auto* md5 = reinterpret_cast<const char*>(sqlite3_column_text(lookup_, 1));
    if (identity != nullptr && md5 != nullptr && file_identity == identity) {
      hits_.fetch_add(1);
      return std::optional<std::string>(md5);
    }
  } else if (step != SQLITE_DONE) {
    return Error("reading");
  }
  misses_.fetch_add(1);
  return std::optional<std::string>();
}

Status ChecksumCache::Put(const std::vector<ChecksumRecord>& records) {
  const std::lock_guard lock(mutex_);
  // IMMEDIATE takes the write lock up front, so a busy database waits here (under
  // the busy timeout) rather than failing halfway through the batch.
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Error("writing");
  }
  for (const ChecksumRecord& record : records) {
    if (record.file_identity.empty()) {
      continue;
    }
    const StatementReset reset(upsert_);
    sqlite3_bind_text(upsert_, 1, record.path.data(),
                      static_cast<int>(record.path.size()), SQLITE_STATIC);
    sqlite3_bind_text(upsert_, 2, record.file_identity.data(),
                      static_cast<int>(record.file_identity.size()), SQLITE_STATIC);
    sqlite3_bind_text(upsert_, 3, record.md5_base64.data(),
                      static_cast<int>(record.md5_base64.size()), SQLITE_STATIC);
    if (sqlite3_step(upsert_) != SQLITE_DONE) {
      Status status = Error("writing");
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return status;
    }
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status status = Error("committing");
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return status;
  }
  return Status::Ok();
}

}  // namespace cairn::cache
