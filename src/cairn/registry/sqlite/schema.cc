// SPDX-License-Identifier: Apache-2.0
#include "cairn/registry/sqlite/schema.h"

#include <span>
#include <string>
#include <string_view>

namespace cairn::registry::sqlite {
namespace {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Timestamps are RFC 3339 UTC text with milliseconds ("2024-05-01T12:00:00.123Z"),
// written by SQLite's strftime so every writer formats them alike.
//
// A manifest is stored once under the SHA-256 of its JSON. Its W&B digest covers
// only paths and entry digests, so two manifests with one W&B digest can still
// differ in sizes or version pins; keying by the JSON keeps each exactly.
//
// "latest" is not stored: it is the version with the highest index, computed on
// read, so it can never point anywhere else.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE schema_migrations (
  version     INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at  TEXT NOT NULL
);

CREATE TABLE projects (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE collections (
  id         INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (project_id, name)
);

CREATE TABLE manifests (
  sha256 TEXT PRIMARY KEY,
  json   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  project_id  INTEGER NOT NULL REFERENCES projects(id),
  name        TEXT NOT NULL,
  job_type    TEXT NOT NULL,
  config_json TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  exit_code   INTEGER,
  started_at  TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX runs_by_project ON runs (project_id, id);

CREATE TABLE versions (
  id              INTEGER PRIMARY KEY,
  collection_id   INTEGER NOT NULL REFERENCES collections(id),
  version_index   INTEGER NOT NULL CHECK (version_index >= 0),
  digest          TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL REFERENCES manifests(sha256),
  type            TEXT NOT NULL,
  description     TEXT NOT NULL,
  metadata_json   TEXT NOT NULL,
  size_bytes      INTEGER NOT NULL,
  file_count      INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  producer_run_id INTEGER REFERENCES runs(id),
  UNIQUE (collection_id, version_index),
  UNIQUE (collection_id, digest)
);

CREATE TABLE aliases (
  collection_id INTEGER NOT NULL REFERENCES collections(id),
  alias         TEXT NOT NULL CHECK (alias <> 'latest'),
  version_id    INTEGER NOT NULL REFERENCES versions(id),
  PRIMARY KEY (collection_id, alias)
) WITHOUT ROWID;
CREATE INDEX aliases_by_version ON aliases (version_id);

CREATE TABLE run_inputs (
  run_id     INTEGER NOT NULL REFERENCES runs(id),
  version_id INTEGER NOT NULL REFERENCES versions(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (run_id, version_id)
) WITHOUT ROWID;
CREATE INDEX run_inputs_by_version ON run_inputs (version_id);

CREATE TABLE run_outputs (
  run_id     INTEGER NOT NULL REFERENCES runs(id),
  version_id INTEGER NOT NULL REFERENCES versions(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (run_id, version_id)
) WITHOUT ROWID;
CREATE INDEX run_outputs_by_version ON run_outputs (version_id);
)sql";

// Append new migrations with the next version; never edit a released one.
constexpr Migration kMigrations[] = {
    {1, "projects, collections, versions, manifests, aliases, runs and edges",
     kInitialSchema},
};

Result<int> UserVersion(Database& db) {
  CAIRN_ASSIGN_OR_RETURN(std::optional<std::int64_t> version,
                         db.QueryInt("PRAGMA user_version"));
  return static_cast<int>(version.value_or(0));
}

Status TooNew(const Database& db, int version) {
  return FailedPreconditionError("registry " + db.Path() + " has schema version " +
                                 std::to_string(version) + ", newer than the " +
                                 std::to_string(LatestSchemaVersion()) +
                                 " this cairn knows; upgrade cairn");
}

Status Apply(Database& db, const Migration& migration) {
  CAIRN_RETURN_IF_ERROR(db.ExecuteScript(migration.sql));
  CAIRN_RETURN_IF_ERROR(
      db.Execute("INSERT INTO schema_migrations (version, description, applied_at) "
                 "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                 migration.version, migration.description));
  // PRAGMA takes no bound parameters; the value is one of cairn's own integers.
  return db.ExecuteScript("PRAGMA user_version = " + std::to_string(migration.version));
}

}  // namespace

int LatestSchemaVersion() {
  return std::span(kMigrations).back().version;
}

Status Migrate(Database& db) {
  CAIRN_ASSIGN_OR_RETURN(int version, UserVersion(db));
  if (version > LatestSchemaVersion()) {
    return TooNew(db, version);
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= version) {
      continue;
    }
    // Another process may have applied it while this one waited for the lock.
    CAIRN_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(db, Transaction::Mode::kWrite));
    CAIRN_ASSIGN_OR_RETURN(version, UserVersion(db));
    if (version > LatestSchemaVersion()) {
      return TooNew(db, version);
    }
    if (migration.version > version) {
      CAIRN_RETURN_IF_ERROR(Apply(db, migration)
                                .WithContext("applying schema migration " +
                                             std::to_string(migration.version)));
    }
    CAIRN_RETURN_IF_ERROR(transaction.Commit());
  }
  return Status::Ok();
}

}  // namespace cairn::registry::sqlite
