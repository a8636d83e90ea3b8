// SPDX-License-Identifier: Apache-2.0
#include "cairn/registry/sqlite/database.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <system_error>
#include <thread>
#include <utility>

namespace cairn::registry::sqlite {
namespace {

// ":memory:" and "file:" URIs name no directory to create.
void CreateParentDirectory(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) {
    return;
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ignored;  // a failure shows up as SQLITE_CANTOPEN, with a message
    std::filesystem::create_directories(parent, ignored);
  }
}

}  // namespace

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

// A bind only fails for a parameter index out of range or a finalized statement:
// both are mistakes in cairn's SQL, not in the data.
void Statement::Bind(int index, std::int64_t value) {
  CAIRN_CHECK(sqlite3_bind_int64(stmt_, index, value) == SQLITE_OK);
}

void Statement::Bind(int index, std::string_view value) {
  CAIRN_CHECK(sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                                  SQLITE_TRANSIENT, SQLITE_UTF8) == SQLITE_OK);
}

void Statement::Bind(int index, std::nullopt_t) {
  CAIRN_CHECK(sqlite3_bind_null(stmt_, index) == SQLITE_OK);
}

Result<bool> Statement::Step() {
  const int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW) {
    return true;
  }
  if (code == SQLITE_DONE) {
    return false;
  }
  return db_->Error(code);
}

Status Statement::Run() {
  while (true) {
    CAIRN_ASSIGN_OR_RETURN(bool has_row, Step());
    if (!has_row) {
      return Status::Ok();
    }
  }
}

std::int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) {
    return "";
  }
  const int size = sqlite3_column_bytes(stmt_, column);
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) {
    return std::nullopt;
  }
  return Int(column);
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const DatabaseOptions& options) {
  CreateParentDirectory(path);
  sqlite3* handle = nullptr;
  const int code = sqlite3_open_v2(path.c_str(), &handle,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (code != SQLITE_OK) {
    const std::string reason =
        handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(code);
    sqlite3_close(handle);
    return UnavailableError("opening registry " + path + ": " + reason +
                            "; check that the directory exists and is writable");
  }
  std::unique_ptr<Database> db(new Database(handle, path, options.busy_timeout_ms));
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, options.busy_timeout_ms);

  // WAL lets readers run beside the one writer; ":memory:" answers "memory" and
  // stays usable. Foreign keys are per connection and off by default.
  CAIRN_RETURN_IF_ERROR(db->ExecuteScript("PRAGMA foreign_keys = ON"));
  CAIRN_RETURN_IF_ERROR(db->SwitchToWal().WithContext("switching to WAL"));
  return db;
}

// Switching a new file's journal to WAL needs the file to itself, and SQLite
// answers SQLITE_BUSY at once instead of calling the busy handler when another
// connection has it open (https://www.sqlite.org/pragma.html#pragma_journal_mode).
// That happens when several processes create one registry together, so the switch
// is retried within the busy timeout; once any of them has switched, the file stays
// in WAL and the pragma succeeds immediately.
Status Database::SwitchToWal() {
  constexpr auto kPause = std::chrono::milliseconds(5);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
  while (true) {
    const int code =
        sqlite3_exec(db_, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
    if (code == SQLITE_OK) {
      return Status::Ok();
    }
    if ((code & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) {
      return Error(code);
    }
    std::this_thread::sleep_for(kPause);
  }
}

Database::~Database() {
  sqlite3_close_v2(db_);
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0,
                                      &stmt, nullptr);
  if (code != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(code);
  }
  return Statement(this, stmt);
}

Status Database::ExecuteScript(std::string_view sql) {
  const std::string text(sql);
  const int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  return code == SQLITE_OK ? Status::Ok() : Error(code);
}

std::int64_t Database::LastInsertId() const {
  return sqlite3_last_insert_rowid(db_);
}

bool Database::InTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

Status Database::Error(int code) const {
  const std::string where = "registry " + path_ + ": ";
  const std::string reason = sqlite3_errmsg(db_);
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return AbortedError(where + reason + " (another writer held it for more than " +
                          std::to_string(busy_timeout_ms_) + " ms); retry");
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      return UnavailableError(where + reason);
    case SQLITE_NOTADB:
      return FailedPreconditionError(where + reason +
                                     "; point cairn at a registry database file");
    case SQLITE_CORRUPT:
      return DataLossError(where + reason);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return PermissionDeniedError(where + reason + "; check the file's permissions");
    case SQLITE_FULL:
      return ResourceExhaustedError(where + reason);
    default:
      return InternalError(where + reason + " (SQLite code " + std::to_string(code) +
                           ")");
  }
}

Result<Transaction> Transaction::Begin(Database& db, Mode mode) {
  CAIRN_RETURN_IF_ERROR(
      db.ExecuteScript(mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  // SQLite itself ends the transaction after some errors (a full disk, an I/O
  // error); a second ROLLBACK would only fail.
  if (db_ != nullptr && db_->InTransaction()) {
    (void)db_->ExecuteScript("ROLLBACK");
  }
}

Status Transaction::Commit() {
  CAIRN_RETURN_IF_ERROR(db_->ExecuteScript("COMMIT"));
  db_ = nullptr;
  return Status::Ok();
}

}  // namespace cairn::registry::sqlite
