// SPDX-License-Identifier: Apache-2.0
#include "cairn/api/session.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "cairn/api/session_internals.h"
#include "cairn/artifact/download.h"
#include "cairn/artifact/entries.h"
#include "cairn/artifact/reference.h"
#include "cairn/artifact/verify.h"
#include "cairn/base/env.h"
#include "cairn/base/log.h"
#include "cairn/hash/hash.h"

namespace cairn::api {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSpecForms =
    "expected name, name:vN, name:alias or project/name:alias";

struct Spec {
  std::string project;
  std::string name;
  std::string version;
};

Result<Spec> ParseSpec(const std::string& text, const std::string& default_project) {
  auto malformed = [&] {
    return InvalidArgumentError("artifact spec \"" + text +
                                "\" is malformed: " + std::string(kSpecForms));
  };
  Spec spec{.project = default_project, .name = text, .version = "latest"};
  if (const std::size_t slash = spec.name.find('/'); slash != std::string::npos) {
    spec.project = spec.name.substr(0, slash);
    spec.name = spec.name.substr(slash + 1);
  }
  if (const std::size_t colon = spec.name.find(':'); colon != std::string::npos) {
    spec.version = spec.name.substr(colon + 1);
    spec.name = spec.name.substr(0, colon);
  }
  const bool bad = spec.project.empty() || spec.name.empty() || spec.version.empty() ||
                   spec.name.find('/') != std::string::npos ||
                   spec.version.find_first_of("/:") != std::string::npos;
  if (bad) {
    return malformed();
  }
  return spec;
}

artifact::ProgressFn ToArtifactProgress(const ProgressFn& progress) {
  if (!progress) {
    return nullptr;
  }
  return [progress](const artifact::Progress& update) {
    progress(Progress{.phase = update.phase,
                      .done = update.done,
                      .total = update.total,
                      .bytes_done = update.bytes_done,
                      .bytes_total = update.bytes_total});
  };
}

std::string DefaultHome() {
  if (auto home = env::Get("CAIRN_HOME"); home && !home->empty()) {
    return *home;
  }
  return (fs::path(env::HomeDir()) / ".cairn").string();
}

}  // namespace

Artifact::Artifact(std::string name, std::string type, std::string description,
                   std::string metadata_json)
    : name_(std::move(name)),
      type_(std::move(type)),
      description_(std::move(description)),
      metadata_json_(std::move(metadata_json)) {}

Result<std::vector<manifest::ManifestEntry>> Artifact::AddReference(
    Session& session, const std::string& uri, const ReferenceOptions& options) {
  CAIRN_ASSIGN_OR_RETURN(
      std::vector<manifest::ManifestEntry> entries,
      artifact::ResolveReference(*session.Impl().workspace, uri,
                                 {.name = options.name,
                                  .checksum = options.checksum,
                                  .max_objects = options.max_objects}));

  // Added to a copy, so a collision halfway leaves the draft as it was.
  manifest::Manifest updated = manifest_;
  for (const manifest::ManifestEntry& entry : entries) {
    CAIRN_RETURN_IF_ERROR(updated.Add(entry));
  }
  manifest_ = std::move(updated);
  return entries;
}

Status Artifact::AddEntries(const manifest::Manifest& entries) {
  manifest::Manifest updated = manifest_;
  for (const manifest::ManifestEntry& entry : entries.entries()) {
    CAIRN_RETURN_IF_ERROR(updated.Add(entry));
  }
  manifest_ = std::move(updated);
  return Status::Ok();
}

Result<std::string> ArtifactVersion::Download(Session& session,
                                              const DownloadOptions& options) const {
  artifact::Workspace& workspace = *session.Impl().workspace;
  const artifact::DownloadOptions download_options{.root = options.root,
                                                   .path_prefix = options.path_prefix,
                                                   .parallelism = options.parallelism};
  Result<std::string> downloaded =
      artifact::Download(workspace, record_.Label(), manifest_, download_options);
  const bool maybe_missing =
      !downloaded.ok() && (downloaded.status().code() == StatusCode::kNotFound ||
                           downloaded.status().code() == StatusCode::kFailedPrecondition);
  if (!options.allow_missing_references || !maybe_missing) {
    return downloaded;
  }

  // The first failure does not say which entries are gone, so one Verify pass
  // (paid only on this path) finds them; the rest are downloaded again.
  CAIRN_ASSIGN_OR_RETURN(artifact::VerifyReport report,
                         artifact::Verify(workspace, manifest_));
  if (report.missing.empty()) {
    return downloaded;
  }
  manifest::Manifest present;
  for (const manifest::ManifestEntry& entry : manifest_.entries()) {
    if (std::find(report.missing.begin(), report.missing.end(), entry.path) ==
        report.missing.end()) {
      CAIRN_RETURN_IF_ERROR(present.Add(entry));
    }
  }
  log::Get("artifact")
      ->warn("{}: skipping {} missing references, first {}", record_.Label(),
             report.missing.size(), report.missing.front());
  return artifact::Download(workspace, record_.Label(), present, download_options);
}

Result<VerifyReport> ArtifactVersion::Verify(Session& session) const {
  CAIRN_ASSIGN_OR_RETURN(artifact::VerifyReport report,
                         artifact::Verify(*session.Impl().workspace, manifest_));
  return VerifyReport{.unchanged = std::move(report.unchanged),
                      .changed = std::move(report.changed),
                      .missing = std::move(report.missing)};
}

Result<VerifyReport> ArtifactVersion::VerifyFiles(const std::string& root) const {
  const fs::path dir =
      root.empty() ? fs::path("artifacts") / record_.Label() : fs::path(root);
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return NotFoundError("verifying " + record_.Label() + ": " + dir.string() +
                         " is not a directory; download the version there first");
  }
  VerifyReport report;
  for (const manifest::ManifestEntry& entry : manifest_.entries()) {
    const fs::path file = dir / entry.path;
    const std::uintmax_t size = fs::file_size(file, error);
    if (error) {
      report.missing.push_back(entry.path);
      continue;
    }
    if (!entry.checksum) {
      report.unchanged.push_back(entry.path);
      continue;
    }
    if (static_cast<std::int64_t>(size) != entry.size_bytes) {
      report.changed.push_back(entry.path + ": size " + std::to_string(entry.size_bytes) +
                               " -> " + std::to_string(size));
      continue;
    }
    const std::string expected = artifact::ExpectedMd5(entry);
    if (!expected.empty()) {
      CAIRN_ASSIGN_OR_RETURN(const std::string md5, hash::Md5Base64OfFile(file.string()));
      if (md5 != expected) {
        std::string change = entry.path;
        change.append(": md5 ").append(expected).append(" -> ").append(md5);
        report.changed.push_back(std::move(change));
        continue;
      }
    }
    report.unchanged.push_back(entry.path);
  }
  return report;
}

Result<registry::LogResult> Run::LogArtifact(const Artifact& artifact,
                                             const std::vector<std::string>& aliases) {
  return session_->Log(artifact, aliases, record_.id);
}

Result<ArtifactVersion> Run::UseArtifact(const std::string& spec) {
  CAIRN_ASSIGN_OR_RETURN(ArtifactVersion version, session_->Get(spec));
  CAIRN_RETURN_IF_ERROR(
      session_->Registry().AddRunInput(record_.id, version.Record().id));
  return version;
}

Result<ArtifactVersion> Run::UseArtifact(const Artifact& draft) {
  CAIRN_ASSIGN_OR_RETURN(registry::LogResult logged, session_->Log(draft));
  CAIRN_RETURN_IF_ERROR(session_->Registry().AddRunInput(record_.id, logged.version.id));
  CAIRN_ASSIGN_OR_RETURN(manifest::Manifest manifest,
                         session_->Registry().LoadManifest(logged.version.id));
  return ArtifactVersion(std::move(logged.version), std::move(manifest));
}

Status Run::Finish(std::optional<int> exit_code) {
  const bool succeeded = exit_code.has_value() && *exit_code == 0;
  CAIRN_RETURN_IF_ERROR(session_->Registry().FinishRun(
      record_.id, succeeded ? "finished" : "failed", exit_code));
  CAIRN_ASSIGN_OR_RETURN(record_, session_->Registry().GetRun(record_.id));
  return Status::Ok();
}

Result<std::unique_ptr<Session>> Session::Open(const SessionOptions& options) {
  const std::string home =
      fs::absolute(options.home.empty() ? DefaultHome() : options.home)
          .lexically_normal()
          .string();
  std::error_code error;
  fs::create_directories(home, error);
  if (error) {
    return InvalidArgumentError("creating cairn home " + home + ": " + error.message() +
                                "; set CAIRN_HOME to a writable directory");
  }
  CAIRN_ASSIGN_OR_RETURN(
      std::unique_ptr<registry::Registry> registry,
      registry::OpenSqliteRegistry((fs::path(home) / "registry.db").string()));
  artifact::WorkspaceOptions workspace_options;
  workspace_options.store_options = options.store_options;
  workspace_options.progress = ToArtifactProgress(options.progress);
  CAIRN_ASSIGN_OR_RETURN(std::unique_ptr<artifact::Workspace> workspace,
                         artifact::Workspace::Open(home, std::move(workspace_options)));

  std::unique_ptr<Session> session(new Session());
  session->home_ = home;
  session->project_ =
      options.project.empty() ? env::GetOr("CAIRN_PROJECT", "default") : options.project;
  session->progress_ = options.progress;
  session->registry_ = std::move(registry);
  session->internals_ = std::make_unique<Internals>(Internals{std::move(workspace)});
  return session;
}

Session::~Session() = default;

Result<Run> Session::StartRun(const std::string& name, const std::string& job_type,
                              const std::string& config_json) {
  CAIRN_ASSIGN_OR_RETURN(registry::RunRecord record,
                         registry_->CreateRun(project_, name, job_type, config_json));
  return Run(this, std::move(record));
}

Result<registry::LogResult> Session::Log(const Artifact& artifact,
                                         const std::vector<std::string>& aliases,
                                         std::optional<std::int64_t> run_id) {
  const registry::NewVersion version{.project = project_,
                                     .name = artifact.Name(),
                                     .type = artifact.Type(),
                                     .description = artifact.Description(),
                                     .metadata_json = artifact.MetadataJson(),
                                     .aliases = aliases,
                                     .run_id = run_id};
  CAIRN_ASSIGN_OR_RETURN(registry::LogResult logged,
                         registry_->LogVersion(version, artifact.Manifest()));
  const registry::VersionRecord& record = logged.version;
  if (logged.created) {
    log::Get("artifact")
        ->info("logged {} files={} size={}", record.Label(), record.file_count,
               record.size_bytes);
  } else {
    log::Get("artifact")
        ->info("unchanged: {} already holds this content", record.Label());
  }
  return logged;
}

Result<ArtifactVersion> Session::Get(const std::string& spec) {
  CAIRN_ASSIGN_OR_RETURN(const Spec parsed, ParseSpec(spec, project_));
  CAIRN_ASSIGN_OR_RETURN(registry::VersionRecord record,
                         registry_->Resolve(parsed.project, parsed.name, parsed.version));
  CAIRN_ASSIGN_OR_RETURN(manifest::Manifest manifest, registry_->LoadManifest(record.id));
  return ArtifactVersion(std::move(record), std::move(manifest));
}

}  // namespace cairn::api
