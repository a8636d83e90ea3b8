// SPDX-License-Identifier: Apache-2.0
// A thin RAII layer over the SQLite C API for the registry: one connection
// (Database), prepared statements with positional binding (Statement), and
// transactions that roll back unless committed (Transaction). Every SQLite error
// becomes a Status here, so the registry code above never sees a result code.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cairn/base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cairn::registry::sqlite {

class Database;

/// One prepared statement. Bind parameters are 1-based, as in SQL's `?`. Not
/// thread-safe; use from the thread that holds the connection's lock.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void Bind(int index, std::int64_t value);
  void Bind(int index, int value) { Bind(index, static_cast<std::int64_t>(value)); }
  void Bind(int index, std::string_view value);
  void Bind(int index, const std::string& value) { Bind(index, std::string_view(value)); }
  void Bind(int index, const char* value) { Bind(index, std::string_view(value)); }
  void Bind(int index, std::nullopt_t);
  template <typename T>
  void Bind(int index, const std::optional<T>& value) {
    if (value) {
      Bind(index, *value);
    } else {
      Bind(index, std::nullopt);
    }
  }

  /// Advances to the next row: true when a row is ready, false when done. A busy
  /// database past the timeout is kAborted; other failures map by SQLite code.
  Result<bool> Step();

  /// Steps to the end, for statements that return no rows.
  Status Run();

  std::int64_t Int(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;

 private:
  friend class Database;
  Statement(Database* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  Database* db_;
  sqlite3_stmt* stmt_;
};

struct DatabaseOptions {
  int busy_timeout_ms = 10000;
};

/// One SQLite connection with foreign keys on, WAL journaling and a busy timeout.
/// Not thread-safe: callers serialise access.
class Database {
 public:
  /// Opens or creates the database file. kUnavailable naming the path when it
  /// cannot be opened; kFailedPrecondition when the file is not a database.
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const DatabaseOptions& options);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  /// Prepares `sql` and binds `args` to its parameters in order.
  template <typename... Args>
  Result<Statement> Query(std::string_view sql, const Args&... args) {
    CAIRN_ASSIGN_OR_RETURN(Statement statement, Prepare(sql));
    [[maybe_unused]] int index = 0;
    (statement.Bind(++index, args), ...);
    return statement;
  }

  /// Runs a statement that returns no rows.
  template <typename... Args>
  Status Execute(std::string_view sql, const Args&... args) {
    CAIRN_ASSIGN_OR_RETURN(Statement statement, Query(sql, args...));
    return statement.Run();
  }

  /// Runs one or more `;`-separated statements without parameters.
  Status ExecuteScript(std::string_view sql);

  /// The first column of the first row of a query as an integer, or nullopt when
  /// the query returns no row or NULL.
  template <typename... Args>
  Result<std::optional<std::int64_t>> QueryInt(std::string_view sql,
                                               const Args&... args) {
    CAIRN_ASSIGN_OR_RETURN(Statement statement, Query(sql, args...));
    CAIRN_ASSIGN_OR_RETURN(bool has_row, statement.Step());
    if (!has_row) {
      return std::optional<std::int64_t>();
    }
    return statement.OptionalInt(0);
  }

  /// Turns a SQLite result code into a Status naming this database's path: busy
  /// or locked is kAborted, a missing or unreadable file kUnavailable, not a
  /// database kFailedPrecondition, corruption kDataLoss, read-only
  /// kPermissionDenied, a full disk kResourceExhausted, anything else kInternal.
  Status Error(int code) const;

  /// The rowid of this connection's most recent successful INSERT.
  std::int64_t LastInsertId() const;

  /// True between BEGIN and COMMIT or ROLLBACK.
  bool InTransaction() const;

  const std::string& Path() const { return path_; }

 private:
  Database(sqlite3* db, std::string path, int busy_timeout_ms)
      : db_(db), path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

  Result<Statement> Prepare(std::string_view sql);
  Status SwitchToWal();

  sqlite3* db_;
  std::string path_;
  int busy_timeout_ms_;
};

/// A transaction that rolls back when destroyed uncommitted, so an early return
/// on any error leaves the database as it was.
class Transaction {
 public:
  enum class Mode {
    kRead,   // BEGIN (deferred): a consistent snapshot for several reads
    kWrite,  // BEGIN IMMEDIATE: takes the write lock now, so writers serialise
  };

  static Result<Transaction> Begin(Database& db, Mode mode);

  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}

  Database* db_;  // null once committed or rolled back
};

}  // namespace cairn::registry::sqlite
