// SPDX-License-Identifier: Apache-2.0
// Registry: where all metadata lives (projects, collections, versions, aliases,
// manifests, runs and their inputs and outputs). It knows metadata, never bytes.
// The embedded SQLite backend is the default; PostgreSQL and a remote server come
// later behind this same interface.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cairn/base/result.h"
#include "cairn/manifest/manifest.h"

namespace cairn::registry {

/// One artifact version as stored.
struct VersionRecord {
  std::int64_t id = 0;  // registry-wide id
  std::string project;
  std::string name;        // collection name
  std::int64_t index = 0;  // N in vN
  std::string type;
  std::string description;
  std::string metadata_json;  // a JSON object; "{}" when none
  std::string digest;         // manifest digest (W&B artifact digest)
  std::int64_t size_bytes = 0;
  std::int64_t file_count = 0;
  std::string created_at;  // RFC 3339 UTC
  std::optional<std::int64_t> producer_run_id;
  std::vector<std::string> aliases;  // sorted; "latest" on the newest version

  std::string Label() const { return name + ":v" + std::to_string(index); }
};

/// What LogVersion needs besides the manifest.
struct NewVersion {
  std::string project;
  std::string name;
  std::string type;
  std::string description;
  std::string metadata_json = "{}";
  std::vector<std::string> aliases;    // user aliases to point at the result
  std::optional<std::int64_t> run_id;  // the run that logs it, for lineage
};

struct LogResult {
  VersionRecord version;
  bool created = false;  // false: an existing version had the same digest
};

struct RunRecord {
  std::int64_t id = 0;
  std::string project;
  std::string name;
  std::string job_type;
  std::string config_json = "{}";
  std::string status;  // "running", "finished", "failed"
  std::optional<int> exit_code;
  std::string started_at;
  std::string finished_at;  // empty while running
};

/// Runs and versions around one node of the lineage graph.
struct RunEdges {
  RunRecord run;
  std::vector<VersionRecord> inputs;
  std::vector<VersionRecord> outputs;
};

/// The metadata store. Every method is safe to call from several threads and from
/// several processes on the same database: writes are transactions.
class Registry {
 public:
  virtual ~Registry() = default;

  /// Makes vN+1 of the collection unless a version with manifest.Digest() exists,
  /// in which case that version is returned with created=false. Either way, a
  /// given run_id gets an output edge, user aliases move to the version, and
  /// "latest" points at the newest version. Atomic: two processes logging at once
  /// get two distinct indexes, and a failure leaves nothing behind. An existing
  /// version keeps its description, metadata and producer. "latest" among the
  /// aliases is accepted and changes nothing. An empty type means the collection's
  /// type; an empty metadata_json means "{}". kInvalidArgument for a bad name,
  /// type or alias, metadata that is not a JSON object, or no type for a new
  /// collection; kAlreadyExists when the collection holds another type; kNotFound
  /// for an unknown run_id; kAborted when a concurrent writer kept the database
  /// busy past the timeout.
  virtual Result<LogResult> LogVersion(const NewVersion& version,
                                       const manifest::Manifest& manifest) = 0;

  /// Resolves "vN", "N" or an alias ("latest", "best") in one collection.
  /// kNotFound naming the collection and what exists when it does not resolve
  /// ("vision/mnist:v7 not found: collection vision/mnist has v0..v4; aliases:
  /// best, latest"); kInvalidArgument for "".
  virtual Result<VersionRecord> Resolve(const std::string& project,
                                        const std::string& name,
                                        const std::string& version_or_alias) = 0;

  /// The version with this registry id; kNotFound when absent.
  virtual Result<VersionRecord> GetVersion(std::int64_t version_id) = 0;

  /// The manifest of a version.
  virtual Result<manifest::Manifest> LoadManifest(std::int64_t version_id) = 0;

  /// Collection names of a project, sorted; empty for an unknown project.
  virtual Result<std::vector<std::string>> ListCollections(
      const std::string& project) = 0;

  /// Versions of a collection, oldest first. kNotFound for an unknown collection.
  virtual Result<std::vector<VersionRecord>> ListVersions(const std::string& project,
                                                          const std::string& name) = 0;

  /// Points `alias` at vN, moving it from any other version of the collection.
  /// kInvalidArgument for "latest" (it always follows the newest version) or an
  /// alias that looks like a version ("v3"); kNotFound for an unknown version.
  virtual Status SetAlias(const std::string& project, const std::string& name,
                          std::int64_t index, const std::string& alias) = 0;

  /// Starts a run with status "running". An empty config_json means "{}".
  /// kInvalidArgument for a bad project name or a config that is not a JSON object.
  virtual Result<RunRecord> CreateRun(const std::string& project, const std::string& name,
                                      const std::string& job_type,
                                      const std::string& config_json) = 0;

  /// Sets status ("finished" or "failed"), exit code and end time.
  /// kInvalidArgument for another status; kNotFound for an unknown run;
  /// kFailedPrecondition when the run has already ended.
  virtual Status FinishRun(std::int64_t run_id, const std::string& status,
                           std::optional<int> exit_code) = 0;

  /// Records that the run consumed the version (idempotent). kNotFound for an
  /// unknown run or version; the same for AddRunOutput.
  virtual Status AddRunInput(std::int64_t run_id, std::int64_t version_id) = 0;

  /// Records that the run produced the version (idempotent).
  virtual Status AddRunOutput(std::int64_t run_id, std::int64_t version_id) = 0;

  virtual Result<RunRecord> GetRun(std::int64_t run_id) = 0;

  /// Runs of a project, newest first; empty for an unknown project.
  virtual Result<std::vector<RunRecord>> ListRuns(const std::string& project) = 0;

  /// A run with its input and output versions.
  virtual Result<RunEdges> GetRunEdges(std::int64_t run_id) = 0;

  /// Runs that logged the version (usually one; more when dedup matched), oldest
  /// first. kNotFound for an unknown version; the same for RunsConsuming.
  virtual Result<std::vector<RunRecord>> RunsProducing(std::int64_t version_id) = 0;

  /// Runs that used the version.
  virtual Result<std::vector<RunRecord>> RunsConsuming(std::int64_t version_id) = 0;
};

/// Options for the embedded SQLite registry.
struct SqliteRegistryOptions {
  /// How long a write waits for another connection's write lock before the call
  /// fails with kAborted.
  int busy_timeout_ms = 10000;
};

/// Opens (creating if needed) the SQLite registry at `path`, in WAL mode with a
/// busy timeout, and migrates its schema. kUnavailable naming the path when the
/// file cannot be opened (its parent directory is created first);
/// kFailedPrecondition when the file is not a database or has a schema newer than
/// this build. Each returned Registry holds one connection; separate processes
/// each open their own.
Result<std::unique_ptr<Registry>> OpenSqliteRegistry(const std::string& path);
Result<std::unique_ptr<Registry>> OpenSqliteRegistry(
    const std::string& path, const SqliteRegistryOptions& options);

}  // namespace cairn::registry
