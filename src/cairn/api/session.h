// SPDX-License-Identifier: Apache-2.0
// The public C++ API: Session (a cairn home and project), Run (one execution with
// its inputs and outputs), Artifact (a draft being assembled from references) and
// ArtifactVersion (a logged, immutable version). The CLI and the Python package
// are thin layers over exactly these calls.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cairn/base/result.h"
#include "cairn/manifest/manifest.h"
#include "cairn/registry/registry.h"
#include "cairn/storage/store_factory.h"

namespace cairn::api {

class Session;

/// Progress of a long operation (listing, hashing, downloading), for a front end
/// to draw. Called from worker threads, never concurrently for one operation.
struct Progress {
  std::string phase{};      // "listing", "hashing", "downloading", "verifying"
  std::int64_t done = 0;    // items (files) done
  std::int64_t total = -1;  // -1 while unknown
  std::int64_t bytes_done = 0;
  std::int64_t bytes_total = -1;
};
using ProgressFn = std::function<void(const Progress&)>;

struct ReferenceOptions {
  std::string name{};                // entry path (one object) or parent folder (prefix)
  bool checksum = true;              // false: record the URI alone
  std::int64_t max_objects = 10000;  // more is kResourceExhausted, naming the count
};

/// A draft: entries gathered from references, not yet logged.
class Artifact {
 public:
  Artifact(std::string name, std::string type, std::string description = "",
           std::string metadata_json = "{}");

  /// Stats or lists `uri` and adds its objects as entries (DESIGN.md, "Adding a
  /// reference"). Returns the entries added. kInvalidArgument for a bad URI;
  /// kNotFound when nothing exists there; kResourceExhausted past max_objects;
  /// kAlreadyExists when a path collides with a different entry. On error the
  /// draft is unchanged.
  Result<std::vector<manifest::ManifestEntry>> AddReference(
      Session& session, const std::string& uri, const ReferenceOptions& options);

  /// Adds entries recorded elsewhere, e.g. read from a W&B manifest
  /// (manifest/wandb_file.h), without contacting any store: all or none.
  /// kAlreadyExists when a path collides with a different entry.
  Status AddEntries(const manifest::Manifest& entries);

  const std::string& Name() const { return name_; }
  const std::string& Type() const { return type_; }
  const std::string& Description() const { return description_; }
  const std::string& MetadataJson() const { return metadata_json_; }
  const manifest::Manifest& Manifest() const { return manifest_; }

 private:
  std::string name_;
  std::string type_;
  std::string description_;
  std::string metadata_json_;
  manifest::Manifest manifest_;
};

struct DownloadOptions {
  std::string root{};         // default: ./artifacts/<name>:v<N>
  std::string path_prefix{};  // only entries under this path, in whole segments
  int parallelism = 0;        // 0: a sensible default for the machine
  // W&B's allow_missing_references: entries whose reference is gone (deleted, with
  // no pin or cached copy to fall back on) are left out with a warning instead of
  // failing the download. Entries whose data changed still fail it.
  bool allow_missing_references = false;
};

/// Per-entry outcome of Verify.
struct VerifyReport {
  std::vector<std::string> unchanged;
  std::vector<std::string> changed;  // "path: what differs"
  std::vector<std::string> missing;
  bool IsClean() const { return changed.empty() && missing.empty(); }
};

/// A logged version: its record and manifest.
class ArtifactVersion {
 public:
  ArtifactVersion(registry::VersionRecord record, manifest::Manifest manifest)
      : record_(std::move(record)), manifest_(std::move(manifest)) {}

  const registry::VersionRecord& Record() const { return record_; }
  const manifest::Manifest& Manifest() const { return manifest_; }

  /// Downloads every entry at its recorded pin into the root, checked against size
  /// and digest, via the cache, in parallel. Returns the root's absolute path. On any
  /// failure nothing new is left in the root. kFailedPrecondition naming the entries
  /// whose data changed without a pin to fall back on; kDataLoss when bytes do not match.
  ///
  /// With allow_missing_references, a download that fails with kNotFound or
  /// kFailedPrecondition is followed by one Verify pass (a Stat per entry) and retried
  /// once without the entries Verify reports missing; the retry's outcome is returned.
  Result<std::string> Download(Session& session, const DownloadOptions& options) const;

  /// Re-stats every reference and compares with the manifest.
  Result<VerifyReport> Verify(Session& session) const;

  /// Checks a downloaded copy instead of the references: every entry's file under
  /// `root` (default ./artifacts/<name>:v<N>) against its recorded size, and its MD5
  /// when one is known. Reads every file; files in `root` that are not entries are
  /// ignored. Entries recorded with checksum=false count as unchanged while their
  /// file exists. kNotFound when `root` is not a directory.
  Result<VerifyReport> VerifyFiles(const std::string& root = "") const;

 private:
  registry::VersionRecord record_;
  manifest::Manifest manifest_;
};

/// One execution: records inputs (used versions) and outputs (logged versions).
class Run {
 public:
  const registry::RunRecord& Record() const { return record_; }

  /// Logs the draft (dedup by digest: an unchanged snapshot returns the existing
  /// version) and records it as this run's output.
  Result<registry::LogResult> LogArtifact(const Artifact& artifact,
                                          const std::vector<std::string>& aliases = {});

  /// Resolves "name", "name:vN" or "name:alias" and records it as an input.
  Result<ArtifactVersion> UseArtifact(const std::string& spec);

  /// Logs the draft if changed, then records it as an input (W&B's one-call use).
  Result<ArtifactVersion> UseArtifact(const Artifact& draft);

  /// Marks the run finished (exit_code 0) or failed.
  Status Finish(std::optional<int> exit_code = 0);

 private:
  friend class Session;
  Run(Session* session, registry::RunRecord record)
      : session_(session), record_(std::move(record)) {}

  Session* session_;
  registry::RunRecord record_;
};

struct SessionOptions {
  std::string home{};     // default $CAIRN_HOME, else ~/.cairn
  std::string project{};  // default $CAIRN_PROJECT, else "default"
  ProgressFn progress{};  // optional
  // Endpoint and region overrides for the stores this session opens.
  storage::StoreOptions store_options{};
};

/// A cairn home (registry + cache) and a project. Not copyable; one per process is
/// typical, and it may be used from several threads.
class Session {
 public:
  /// Opens the home, creating it and its registry if needed.
  static Result<std::unique_ptr<Session>> Open(const SessionOptions& options);
  ~Session();

  const std::string& Home() const { return home_; }
  const std::string& Project() const { return project_; }
  registry::Registry& Registry() { return *registry_; }
  const ProgressFn& ProgressCallback() const { return progress_; }

  /// Starts a run in this project.
  Result<Run> StartRun(const std::string& name = "", const std::string& job_type = "",
                       const std::string& config_json = "{}");

  /// Logs a draft without a run.
  Result<registry::LogResult> Log(const Artifact& artifact,
                                  const std::vector<std::string>& aliases = {},
                                  std::optional<std::int64_t> run_id = std::nullopt);

  /// Resolves "name", "name:vN", "name:alias" or "project/name:alias".
  /// kInvalidArgument for a malformed spec; kNotFound naming what exists.
  Result<ArtifactVersion> Get(const std::string& spec);

  /// Opaque per-session state of the artifact layer (store pool, caches).
  struct Internals;
  Internals& Impl() { return *internals_; }

 private:
  Session() = default;
  std::string home_;
  std::string project_;
  ProgressFn progress_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<Internals> internals_;
};

}  // namespace cairn::api
