// SPDX-License-Identifier: Apache-2.0
// The embedded SQLite registry: the Registry interface over one connection.
// Writes run in BEGIN IMMEDIATE transactions, so writers in several processes
// take turns on the database's write lock instead of failing at commit.
#include <algorithm>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cairn/base/log.h"
#include "cairn/hash/encoding.h"
#include "cairn/hash/hash.h"
#include "cairn/registry/registry.h"
#include "cairn/registry/sqlite/database.h"
#include "cairn/registry/sqlite/schema.h"
#include "cairn/registry/validate.h"

namespace cairn::registry {
namespace {

using sqlite::Database;
using sqlite::Statement;
using sqlite::Transaction;

constexpr std::string_view kVersionSelect = R"sql(
SELECT v.id, p.name, c.name, v.version_index, v.type, v.description, v.metadata_json,
       v.digest, v.size_bytes, v.file_count, v.created_at, v.producer_run_id,
       v.version_index = (SELECT MAX(version_index) FROM versions
                          WHERE collection_id = v.collection_id)
FROM versions v
JOIN collections c ON c.id = v.collection_id
JOIN projects p ON p.id = c.project_id
)sql";

constexpr std::string_view kRunSelect = R"sql(
SELECT r.id, p.name, r.name, r.job_type, r.config_json, r.status, r.exit_code,
       r.started_at, r.finished_at
FROM runs r
JOIN projects p ON p.id = r.project_id
)sql";

constexpr std::string_view kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

std::string Sql(std::string_view select, std::string_view rest) {
  return std::string(select) + std::string(rest);
}

RunRecord ReadRun(const Statement& row) {
  RunRecord run;
  run.id = row.Int(0);
  run.project = row.Text(1);
  run.name = row.Text(2);
  run.job_type = row.Text(3);
  run.config_json = row.Text(4);
  run.status = row.Text(5);
  if (std::optional<std::int64_t> code = row.OptionalInt(6)) {
    run.exit_code = static_cast<int>(*code);
  }
  run.started_at = row.Text(7);
  run.finished_at = row.Text(8);
  return run;
}

Status ValidateNewVersion(const NewVersion& version) {
  CAIRN_RETURN_IF_ERROR(ValidateName("project", version.project));
  CAIRN_RETURN_IF_ERROR(ValidateName("collection", version.name));
  if (!version.type.empty()) {
    CAIRN_RETURN_IF_ERROR(ValidateName("type", version.type));
  }
  for (const std::string& alias : version.aliases) {
    CAIRN_RETURN_IF_ERROR(ValidateAlias(alias));
  }
  if (!version.metadata_json.empty()) {
    CAIRN_RETURN_IF_ERROR(ValidateJsonObject("metadata", version.metadata_json));
  }
  return Status::Ok();
}

class SqliteRegistry final : public Registry {
 public:
  explicit SqliteRegistry(std::unique_ptr<Database> db) : db_(std::move(db)) {}

  Result<LogResult> LogVersion(const NewVersion& version,
                               const manifest::Manifest& manifest) override {
    const std::string label = version.project + "/" + version.name;
    Status valid = ValidateNewVersion(version);
    if (!valid.ok()) {
      return valid.WithContext("logging " + label);
    }
    const std::string json = manifest.ToJson();
    const std::string sha256 = hash::HexEncode(hash::Sha256Digest(json));

    std::lock_guard lock(mutex_);
    Result<LogResult> result = LogVersionLocked(version, manifest, json, sha256);
    if (!result.ok()) {
      return result.status().WithContext("logging " + label);
    }
    log::Get("registry")
        ->debug("{} {} files={} digest={}",
                result->created ? "logged" : "matched existing", result->version.Label(),
                result->version.file_count, result->version.digest);
    return result;
  }

  Result<VersionRecord> Resolve(const std::string& project, const std::string& name,
                                const std::string& version_or_alias) override {
    CAIRN_ASSIGN_OR_RETURN(VersionRef ref, ParseVersionRef(version_or_alias));
    std::lock_guard lock(mutex_);
    CAIRN_ASSIGN_OR_RETURN(Transaction transaction, Read());
    CAIRN_ASSIGN_OR_RETURN(std::int64_t collection_id, RequireCollection(project, name));

    Result<std::optional<std::int64_t>> id = std::optional<std::int64_t>();
    switch (ref.kind) {
      case VersionRef::Kind::kLatest:
        id = db_->QueryInt(
            "SELECT id FROM versions WHERE collection_id = ? "
            "ORDER BY version_index DESC LIMIT 1",
            collection_id);
        break;
      case VersionRef::Kind::kIndex:
        id = db_->QueryInt(
            "SELECT id FROM versions WHERE collection_id = ? AND version_index = ?",
            collection_id, ref.index);
        break;
      case VersionRef::Kind::kAlias:
        id = db_->QueryInt(
            "SELECT version_id FROM aliases WHERE collection_id = ? AND alias = ?",
            collection_id, ref.alias);
        break;
    }
    if (!id.ok()) {
      return id.status();
    }
    if (!id->has_value()) {
      return NotResolved(project, name, collection_id, version_or_alias);
    }
    return LoadVersion(**id);
  }

  Result<VersionRecord> GetVersion(std::int64_t version_id) override {
    std::lock_guard lock(mutex_);
    CAIRN_ASSIGN_OR_RETURN(Transaction transaction, Read());
    return LoadVersion(version_id);
  }

  Result<manifest::Manifest> LoadManifest(std::int64_t version_id) override {
    std::string json;
    {
      std::lock_guard lock(mutex_);
      CAIRN_ASSIGN_OR_RETURN(Statement row,
                             db_->Query("SELECT m.json FROM versions v JOIN manifests m "
                                        "ON m.sha256 = v.manifest_sha256 WHERE v.id = ?",
                                        version_id));
      CAIRN_ASSIGN_OR_RETURN(bool found, row.Step());
      if (!found) {
        return VersionIdNotFound(version_id);
      }
      json = row.Text(0);
    }
    Result<manifest::Manifest> parsed = manifest::Manifest::FromJson(json);
    if (!parsed.ok()) {
      return DataLossError(
          "registry " + db_->Path() + ": stored manifest of version id " +
          std::to_string(version_id) + " does not parse: " + parsed.status().message());
    }
    return parsed;
  }

  Result<std::vector<std::string>> ListCollections(const std::string& project) override {
    std::lock_guard lock(mutex_);
    return CollectionNames(project);
  }

  Result<std::vector<VersionRecord>> ListVersions(const std::string& project,
                                                  const std::string& name) override {
    std::lock_guard lock(mutex_);
    CAIRN_ASSIGN_OR_RETURN(Transaction transaction, Read());
    CAIRN_ASSIGN_OR_RETURN(std::int64_t collection_id, RequireCollection(project, name));
    return QueryVersions(
        Sql(kVersionSelect, "WHERE v.collection_id = ? ORDER BY v.version_index"),
        collection_id);
  }

  Status SetAlias(const std::string& project, const std::string& name, std::int64_t index,
                  const std::string& alias) override {
    if (alias == kLatestAlias) {
      return InvalidArgumentError(
          "alias \"latest\" always names the newest version and cannot be set; "
          "choose another alias");
    }
    CAIRN_RETURN_IF_ERROR(ValidateAlias(alias));
    std::lock_guard lock(mutex_);
    CAIRN_ASSIGN_OR_RETURN(Transaction transaction, Write());
    CAIRN_ASSIGN_OR_RETURN(std::int64_t collection_id, RequireCollection(project, name));
    CAIRN_ASSIGN_OR_RETURN(
        std::optional<std::int64_t> version_id,
        db_->QueryInt("SELECT id FROM versions WHERE collection_id = ? AND "
                      "version_index = ?",
                      collection_id, index));
    if (!version_id) {
      return NotResolved(project, name, collection_id, "v" + std::to_string(index));
    }
    CAIRN_RETURN_IF_ERROR(MoveAlias(collection_id, alias, *version_id));
    return transaction.Commit();
  }

  Result<RunRecord> CreateRun(const std::string& project, const std::string& name,
                              const std::string& job_type,
                              const std::string& config_json) override {
    CAIRN_RETURN_IF_ERROR(ValidateName("project", project));
    const std::string config = config_json.empty() ? "{}" : config_json;
    CAIRN_RETURN_IF_ERROR(ValidateJsonObject("run config", config));
    std::lock_guard lock(mutex_);
    CAIRN_ASSIGN_OR_RETURN(Transaction transaction, Write());
    CAIRN_ASSIGN_OR_RETURN(std::int64_t project_id, EnsureProject(project));
    CAIRN_RETURN_IF_ERROR(db_->Execute(
        "INSERT INTO runs (project_id, name, job_type, config_json, status, started_at) "
        "VALUES (?, ?, ?, ?, 'running', " +
            std::string(kNow) + ")",
        project_id, name, job_type, config));
    CAIRN_ASSIGN_OR_RETURN(RunRecord run, LoadRun(db_->LastInsertId()));
    CAIRN_RETURN_IF_ERROR(transaction.Commit());
    return run;
  }

  Status FinishRun(std::int64_t run_id, const std::string& status,
                   std::optional<int> exit_code) override {
    if (status != "finished" && status != "failed") {
      return InvalidArgumentError("run status \"" + status +
                                  R"(" is invalid: use "finished" or "failed")");
    }
    std::lock_guard lock(mutex_);
    CAIRN_ASSIGN_OR_RETURN(Transaction transaction, Write());
    CAIRN_ASSIGN_OR_RETURN(RunRecord run, LoadRun(run_id));
    if (run.status != "running") {
      return FailedPreconditionError("run " + std::to_string(run_id) + " already " +
                                     run.status + " at " + run.finished_at);
    }
    CAIRN_RETURN_IF_ERROR(db_->Execute(
        "UPDATE runs SET status = ?, exit_code = ?, finished_at = " + std::string(kNow) +
            " WHERE id = ?",
        status, exit_code, run_id));
    return transaction.Commit();
  }

  Status AddRunInput(std::int64_t run_id, std::int64_t version_id) override {
    return AddEdge("run_inputs", run_id, version_id);
  }

  Status AddRunOutput(std::int64_t run_id, std::int64_t version_id) override {
    return AddEdge("run_outputs", run_id, version_id);
  }

  Result<RunRecord> GetRun(std::int64_t run_id) override {
    std::lock_guard lock(mutex_);
    return LoadRun(run_id);
  }

  Result<std::vector<RunRecord>> ListRuns(const std::string& project) override {
    std::lock_guard lock(mutex_);
    return QueryRuns(Sql(kRunSelect, "WHERE p.name = ? ORDER BY r.id DESC"), project);
  }

  Result<RunEdges> GetRunEdges(std::int64_t run_id) override {
    std::lock_guard lock(mutex_);
    CAIRN_ASSIGN_OR_RETURN(Transaction transaction, Read());
    RunEdges edges;
    CAIRN_ASSIGN_OR_RETURN(edges.run, LoadRun(run_id));
    CAIRN_ASSIGN_OR_RETURN(edges.inputs,
                           QueryVersions(Sql(kVersionSelect,
                                             "JOIN run_inputs e ON e.version_id = v.id "
                                             "WHERE e.run_id = ? ORDER BY v.id"),
                                         run_id));
    CAIRN_ASSIGN_OR_RETURN(edges.outputs,
                           QueryVersions(Sql(kVersionSelect,
                                             "JOIN run_outputs e ON e.version_id = v.id "
                                             "WHERE e.run_id = ? ORDER BY v.id"),
                                         run_id));
    return edges;
  }

  Result<std::vector<RunRecord>> RunsProducing(std::int64_t version_id) override {
    return RunsAlong("run_outputs", version_id);
  }

  Result<std::vector<RunRecord>> RunsConsuming(std::int64_t version_id) override {
    return RunsAlong("run_inputs", version_id);
  }

 private:
  Result<Transaction> Read() {
    return Transaction::Begin(*db_, Transaction::Mode::kRead);
  }
  Result<Transaction> Write() {
    return Transaction::Begin(*db_, Transaction::Mode::kWrite);
  }

  Result<LogResult> LogVersionLocked(const NewVersion& version,
                                     const manifest::Manifest& manifest,
                                     const std::string& json, const std::string& sha256) {
    CAIRN_ASSIGN_OR_RETURN(Transaction transaction, Write());
    CAIRN_ASSIGN_OR_RETURN(std::int64_t project_id, EnsureProject(version.project));
    CAIRN_ASSIGN_OR_RETURN(std::string type, CollectionType(project_id, version));
    CAIRN_ASSIGN_OR_RETURN(std::int64_t collection_id,
                           EnsureCollection(project_id, version.name, type));
    if (version.run_id) {
      CAIRN_RETURN_IF_ERROR(RequireRun(*version.run_id));
    }

    // Same manifest digest in this collection: no new version (DESIGN.md, "Logging
    // a version"), but the run and aliases below still apply to the existing one.
    const std::string digest = manifest.Digest();
    CAIRN_ASSIGN_OR_RETURN(
        std::optional<std::int64_t> existing,
        db_->QueryInt("SELECT id FROM versions WHERE collection_id = ? AND digest = ?",
                      collection_id, digest));
    LogResult result;
    result.created = !existing.has_value();
    std::int64_t version_id = existing.value_or(0);
    if (result.created) {
      CAIRN_ASSIGN_OR_RETURN(version_id, InsertVersion(collection_id, type, version,
                                                       manifest, digest, json, sha256));
    }

    for (const std::string& alias : version.aliases) {
      if (alias != kLatestAlias) {
        CAIRN_RETURN_IF_ERROR(MoveAlias(collection_id, alias, version_id));
      }
    }
    if (version.run_id) {
      CAIRN_RETURN_IF_ERROR(InsertEdge("run_outputs", *version.run_id, version_id));
    }
    CAIRN_ASSIGN_OR_RETURN(result.version, LoadVersion(version_id));
    CAIRN_RETURN_IF_ERROR(transaction.Commit());
    return result;
  }

  Result<std::int64_t> InsertVersion(std::int64_t collection_id, const std::string& type,
                                     const NewVersion& version,
                                     const manifest::Manifest& manifest,
                                     const std::string& digest, const std::string& json,
                                     const std::string& sha256) {
    CAIRN_RETURN_IF_ERROR(db_->Execute(
        "INSERT INTO manifests (sha256, json) VALUES (?, ?) ON CONFLICT DO NOTHING",
        sha256, json));
    CAIRN_ASSIGN_OR_RETURN(
        std::optional<std::int64_t> index,
        db_->QueryInt("SELECT COALESCE(MAX(version_index) + 1, 0) FROM versions "
                      "WHERE collection_id = ?",
                      collection_id));
    CAIRN_RETURN_IF_ERROR(db_->Execute(
        "INSERT INTO versions (collection_id, version_index, digest, manifest_sha256, "
        "type, description, metadata_json, size_bytes, file_count, created_at, "
        "producer_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, " +
            std::string(kNow) + ", ?)",
        collection_id, index.value_or(0), digest, sha256, type, version.description,
        version.metadata_json.empty() ? std::string("{}") : version.metadata_json,
        manifest.TotalBytes(), static_cast<std::int64_t>(manifest.size()),
        version.run_id));
    return db_->LastInsertId();
  }

  Result<std::int64_t> EnsureProject(const std::string& project) {
    CAIRN_RETURN_IF_ERROR(
        db_->Execute("INSERT INTO projects (name, created_at) VALUES (?, " +
                         std::string(kNow) + ") ON CONFLICT (name) DO NOTHING",
                     project));
    CAIRN_ASSIGN_OR_RETURN(
        std::optional<std::int64_t> id,
        db_->QueryInt("SELECT id FROM projects WHERE name = ?", project));
    CAIRN_CHECK(id.has_value());
    return *id;
  }

  // The type the new version gets: the collection's, which a request may repeat
  // but not change, or the request's for a new collection.
  Result<std::string> CollectionType(std::int64_t project_id, const NewVersion& version) {
    CAIRN_ASSIGN_OR_RETURN(Statement row,
                           db_->Query("SELECT type FROM collections WHERE project_id = ? "
                                      "AND name = ?",
                                      project_id, version.name));
    CAIRN_ASSIGN_OR_RETURN(bool found, row.Step());
    if (!found) {
      if (version.type.empty()) {
        return InvalidArgumentError(
            "a new collection needs a type, such as "
            "\"dataset\" or \"model\"");
      }
      return version.type;
    }
    std::string type = row.Text(0);
    if (!version.type.empty() && version.type != type) {
      return AlreadyExistsError("collection " + version.project + "/" + version.name +
                                " holds type \"" + type + "\", not \"" + version.type +
                                "\"; log it under another name or with type \"" + type +
                                "\"");
    }
    return type;
  }

  Result<std::int64_t> EnsureCollection(std::int64_t project_id, const std::string& name,
                                        const std::string& type) {
    CAIRN_RETURN_IF_ERROR(db_->Execute(
        "INSERT INTO collections (project_id, name, type, created_at) VALUES (?, ?, ?, " +
            std::string(kNow) + ") ON CONFLICT (project_id, name) DO NOTHING",
        project_id, name, type));
    CAIRN_ASSIGN_OR_RETURN(
        std::optional<std::int64_t> id,
        db_->QueryInt("SELECT id FROM collections WHERE project_id = ? "
                      "AND name = ?",
                      project_id, name));
    CAIRN_CHECK(id.has_value());
    return *id;
  }

  Status MoveAlias(std::int64_t collection_id, const std::string& alias,
                   std::int64_t version_id) {
    return db_->Execute(
        "INSERT INTO aliases (collection_id, alias, version_id) VALUES (?, ?, ?) "
        "ON CONFLICT (collection_id, alias) DO UPDATE SET version_id = "
        "excluded.version_id",
        collection_id, alias, version_id);
  }

  // `table` is one of cairn's two edge tables, never user input.
  Status InsertEdge(std::string_view table, std::int64_t run_id,
                    std::int64_t version_id) {
    return db_->Execute("INSERT INTO " + std::string(table) +
                            " (run_id, version_id, created_at) VALUES (?, ?, " +
                            std::string(kNow) + ") ON CONFLICT DO NOTHING",
                        run_id, version_id);
  }

  Status AddEdge(std::string_view table, std::int64_t run_id, std::int64_t version_id) {
    std::lock_guard lock(mutex_);
    CAIRN_ASSIGN_OR_RETURN(Transaction transaction, Write());
    CAIRN_RETURN_IF_ERROR(RequireRun(run_id));
    CAIRN_RETURN_IF_ERROR(RequireVersion(version_id));
    CAIRN_RETURN_IF_ERROR(InsertEdge(table, run_id, version_id));
    return transaction.Commit();
  }

  Result<std::vector<RunRecord>> RunsAlong(std::string_view table,
                                           std::int64_t version_id) {
    std::lock_guard lock(mutex_);
    CAIRN_ASSIGN_OR_RETURN(Transaction transaction, Read());
    CAIRN_RETURN_IF_ERROR(RequireVersion(version_id));
    return QueryRuns(Sql(kRunSelect, "JOIN " + std::string(table) +
                                         " e ON e.run_id = r.id WHERE e.version_id = ? "
                                         "ORDER BY r.id"),
                     version_id);
  }

  Status RequireRun(std::int64_t run_id) {
    CAIRN_ASSIGN_OR_RETURN(std::optional<std::int64_t> found,
                           db_->QueryInt("SELECT 1 FROM runs WHERE id = ?", run_id));
    if (!found) {
      return NotFoundError("run " + std::to_string(run_id) + " not found");
    }
    return Status::Ok();
  }

  Status RequireVersion(std::int64_t version_id) {
    CAIRN_ASSIGN_OR_RETURN(
        std::optional<std::int64_t> found,
        db_->QueryInt("SELECT 1 FROM versions WHERE id = ?", version_id));
    return found ? Status::Ok() : VersionIdNotFound(version_id);
  }

  static Status VersionIdNotFound(std::int64_t version_id) {
    return NotFoundError("version id " + std::to_string(version_id) + " not found");
  }

  Result<std::vector<std::string>> CollectionNames(const std::string& project) {
    CAIRN_ASSIGN_OR_RETURN(Statement rows,
                           db_->Query("SELECT c.name FROM collections c JOIN projects p "
                                      "ON p.id = c.project_id WHERE p.name = ? "
                                      "ORDER BY c.name",
                                      project));
    std::vector<std::string> names;
    while (true) {
      CAIRN_ASSIGN_OR_RETURN(bool has_row, rows.Step());
      if (!has_row) {
        return names;
      }
      names.push_back(rows.Text(0));
    }
  }

  // The collection's id; kNotFound listing the project's collections otherwise.
  Result<std::int64_t> RequireCollection(const std::string& project,
                                         const std::string& name) {
    CAIRN_ASSIGN_OR_RETURN(
        std::optional<std::int64_t> id,
        db_->QueryInt("SELECT c.id FROM collections c JOIN projects p "
                      "ON p.id = c.project_id WHERE p.name = ? AND c.name = ?",
                      project, name));
    if (id) {
      return *id;
    }
    CAIRN_ASSIGN_OR_RETURN(std::vector<std::string> names, CollectionNames(project));
    std::string message =
        "collection " + project + "/" + name + " not found: project " + project;
    if (names.empty()) {
      message += " has no collections";
    } else {
      message += " has ";
      for (std::size_t i = 0; i < names.size(); ++i) {
        message += (i == 0 ? "" : ", ") + names[i];
      }
    }
    return NotFoundError(message);
  }

  // kNotFound for a version reference, listing the versions and aliases that do
  // exist: "vision/mnist:v7 not found: collection vision/mnist has v0..v4;
  // aliases: best, latest".
  Status NotResolved(const std::string& project, const std::string& name,
                     std::int64_t collection_id, const std::string& reference) {
    std::vector<std::int64_t> indexes;
    CAIRN_ASSIGN_OR_RETURN(Statement rows,
                           db_->Query("SELECT version_index FROM versions WHERE "
                                      "collection_id = ? ORDER BY version_index",
                                      collection_id));
    while (true) {
      CAIRN_ASSIGN_OR_RETURN(bool has_row, rows.Step());
      if (!has_row) {
        break;
      }
      indexes.push_back(rows.Int(0));
    }
    CAIRN_ASSIGN_OR_RETURN(std::vector<std::string> aliases,
                           CollectionAliases(collection_id, !indexes.empty()));

    const std::string label = project + "/" + name;
    std::string message = label + ":" + reference + " not found: collection " + label +
                          " has " + DescribeIndexes(indexes) + "; aliases: ";
    for (std::size_t i = 0; i < aliases.size(); ++i) {
      message += (i == 0 ? "" : ", ") + aliases[i];
    }
    return NotFoundError(aliases.empty() ? message + "none" : message);
  }

  Result<std::vector<std::string>> CollectionAliases(std::int64_t collection_id,
                                                     bool has_versions) {
    return Aliases("SELECT alias FROM aliases WHERE collection_id = ?", collection_id,
                   has_versions);
  }

  // The aliases the query selects, plus "latest" when asked, sorted.
  Result<std::vector<std::string>> Aliases(const char* sql, std::int64_t id,
                                           bool with_latest) {
    std::vector<std::string> aliases;
    if (with_latest) {
      aliases.emplace_back(kLatestAlias);
    }
    CAIRN_ASSIGN_OR_RETURN(Statement rows, db_->Query(sql, id));
    while (true) {
      CAIRN_ASSIGN_OR_RETURN(bool has_row, rows.Step());
      if (!has_row) {
        break;
      }
      aliases.push_back(rows.Text(0));
    }
    std::sort(aliases.begin(), aliases.end());
    return aliases;
  }

  Result<VersionRecord> LoadVersion(std::int64_t version_id) {
    CAIRN_ASSIGN_OR_RETURN(
        std::vector<VersionRecord> found,
        QueryVersions(Sql(kVersionSelect, "WHERE v.id = ?"), version_id));
    if (found.empty()) {
      return VersionIdNotFound(version_id);
    }
    return std::move(found.front());
  }

  template <typename... Args>
  Result<std::vector<VersionRecord>> QueryVersions(const std::string& sql,
                                                   const Args&... args) {
    CAIRN_ASSIGN_OR_RETURN(Statement rows, db_->Query(sql, args...));
    std::vector<VersionRecord> versions;
    std::vector<bool> is_latest;
    while (true) {
      CAIRN_ASSIGN_OR_RETURN(bool has_row, rows.Step());
      if (!has_row) {
        break;
      }
      VersionRecord& v = versions.emplace_back();
      v.id = rows.Int(0);
      v.project = rows.Text(1);
      v.name = rows.Text(2);
      v.index = rows.Int(3);
      v.type = rows.Text(4);
      v.description = rows.Text(5);
      v.metadata_json = rows.Text(6);
      v.digest = rows.Text(7);
      v.size_bytes = rows.Int(8);
      v.file_count = rows.Int(9);
      v.created_at = rows.Text(10);
      v.producer_run_id = rows.OptionalInt(11);
      is_latest.push_back(rows.Int(12) != 0);
    }
    for (std::size_t i = 0; i < versions.size(); ++i) {
      CAIRN_ASSIGN_OR_RETURN(versions[i].aliases,
                             VersionAliases(versions[i].id, is_latest[i]));
    }
    return versions;
  }

  Result<std::vector<std::string>> VersionAliases(std::int64_t version_id,
                                                  bool is_latest) {
    return Aliases("SELECT alias FROM aliases WHERE version_id = ?", version_id,
                   is_latest);
  }

  Result<RunRecord> LoadRun(std::int64_t run_id) {
    CAIRN_ASSIGN_OR_RETURN(std::vector<RunRecord> runs,
                           QueryRuns(Sql(kRunSelect, "WHERE r.id = ?"), run_id));
    if (runs.empty()) {
      return NotFoundError("run " + std::to_string(run_id) + " not found");
    }
    return std::move(runs.front());
  }

  template <typename... Args>
  Result<std::vector<RunRecord>> QueryRuns(const std::string& sql, const Args&... args) {
    CAIRN_ASSIGN_OR_RETURN(Statement rows, db_->Query(sql, args...));
    std::vector<RunRecord> runs;
    while (true) {
      CAIRN_ASSIGN_OR_RETURN(bool has_row, rows.Step());
      if (!has_row) {
        return runs;
      }
      runs.push_back(ReadRun(rows));
    }
  }

  std::mutex mutex_;  // one connection: a transaction must not interleave with another
  std::unique_ptr<Database> db_;
};

}  // namespace

Result<std::unique_ptr<Registry>> OpenSqliteRegistry(const std::string& path) {
  return OpenSqliteRegistry(path, SqliteRegistryOptions());
}

Result<std::unique_ptr<Registry>> OpenSqliteRegistry(
    const std::string& path, const SqliteRegistryOptions& options) {
  sqlite::DatabaseOptions db_options;
  db_options.busy_timeout_ms = options.busy_timeout_ms;
  CAIRN_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, db_options));
  CAIRN_RETURN_IF_ERROR(sqlite::Migrate(*db));
  return std::unique_ptr<Registry>(std::make_unique<SqliteRegistry>(std::move(db)));
}

}  // namespace cairn::registry
