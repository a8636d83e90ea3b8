// SPDX-License-Identifier: Apache-2.0
// Session, Run, Draft and Version: every call that may touch the network, the
// disk or the registry runs with the GIL released, and a failed Status becomes a
// cairn.Error subclass (status_error.h) once the GIL is held again.
// SessionOptions::progress is not bound, so a long download shows no progress in
// Python, and cairn's own warnings reach stderr through spdlog at its default level
// with no Python switch to quiet them.
#include "cairn/api/session.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/unique_ptr.h>
#include <nanobind/stl/vector.h>

#include "cairn/registry/validate.h"

#include "bindings.h"
#include "status_error.h"

namespace cairn::python {
namespace {

namespace nb = nanobind;
using api::Session;

// Runs `call` without the GIL, so other Python threads go on meanwhile.
template <typename Call>
auto Unlocked(Call&& call) {
  nb::gil_scoped_release release;
  return call();
}

void BindSessionCalls(nb::class_<Session>& session_class) {
  session_class
      .def_static(
          "open",
          [](const std::string& home, const std::string& project) {
            return ValueOrThrow(Unlocked(
                [&] { return Session::Open({.home = home, .project = project}); }));
          },
          nb::arg("home") = "", nb::arg("project") = "")
      .def_prop_ro("home", &Session::Home)
      .def_prop_ro("project", &Session::Project)
      .def(
          "start_run",
          [](Session& session, const std::string& name, const std::string& job_type,
             const std::string& config_json) {
            return ValueOrThrow(
                Unlocked([&] { return session.StartRun(name, job_type, config_json); }));
          },
          nb::arg("name"), nb::arg("job_type"), nb::arg("config_json"),
          nb::keep_alive<0, 1>())
      .def(
          "log",
          [](Session& session, const api::Artifact& draft,
             const std::vector<std::string>& aliases) {
            return ValueOrThrow(Unlocked([&] { return session.Log(draft, aliases); }));
          },
          nb::arg("draft"), nb::arg("aliases"))
      .def(
          "get",
          [](Session& session, const std::string& spec) {
            return ValueOrThrow(Unlocked([&] { return session.Get(spec); }));
          },
          nb::arg("spec"));
}

// Registry reads, passed through as they are (registry/registry.h has the contracts).
void BindRegistryReads(nb::class_<Session>& session_class) {
  session_class
      .def(
          "list_collections",
          [](Session& session, const std::string& project) {
            return ValueOrThrow(
                Unlocked([&] { return session.Registry().ListCollections(project); }));
          },
          nb::arg("project"))
      .def(
          "list_versions",
          [](Session& session, const std::string& project, const std::string& name) {
            return ValueOrThrow(
                Unlocked([&] { return session.Registry().ListVersions(project, name); }));
          },
          nb::arg("project"), nb::arg("name"))
      .def(
          "get_version",
          [](Session& session, std::int64_t version_id) {
            return ValueOrThrow(
                Unlocked([&] { return session.Registry().GetVersion(version_id); }));
          },
          nb::arg("version_id"))
      .def(
          "load_manifest",
          [](Session& session, std::int64_t version_id) {
            return ValueOrThrow(
                Unlocked([&] { return session.Registry().LoadManifest(version_id); }));
          },
          nb::arg("version_id"))
      .def(
          "list_runs",
          [](Session& session, const std::string& project) {
            return ValueOrThrow(
                Unlocked([&] { return session.Registry().ListRuns(project); }));
          },
          nb::arg("project"))
      .def(
          "run_edges",
          [](Session& session, std::int64_t run_id) {
            return ValueOrThrow(
                Unlocked([&] { return session.Registry().GetRunEdges(run_id); }));
          },
          nb::arg("run_id"))
      .def(
          "runs_producing",
          [](Session& session, std::int64_t version_id) {
            return ValueOrThrow(
                Unlocked([&] { return session.Registry().RunsProducing(version_id); }));
          },
          nb::arg("version_id"))
      .def(
          "runs_consuming",
          [](Session& session, std::int64_t version_id) {
            return ValueOrThrow(
                Unlocked([&] { return session.Registry().RunsConsuming(version_id); }));
          },
          nb::arg("version_id"));
}

void BindRun(nb::module_& module) {
  nb::class_<api::Run>(module, "Run")
      .def_prop_ro("record", &api::Run::Record)
      .def(
          "log_artifact",
          [](api::Run& run, const api::Artifact& draft,
             const std::vector<std::string>& aliases) {
            return ValueOrThrow(
                Unlocked([&] { return run.LogArtifact(draft, aliases); }));
          },
          nb::arg("draft"), nb::arg("aliases"))
      .def(
          "use_spec",
          [](api::Run& run, const std::string& spec) {
            return ValueOrThrow(Unlocked([&] { return run.UseArtifact(spec); }));
          },
          nb::arg("spec"))
      .def(
          "use_draft",
          [](api::Run& run, const api::Artifact& draft) {
            return ValueOrThrow(Unlocked([&] { return run.UseArtifact(draft); }));
          },
          nb::arg("draft"))
      .def(
          "finish",
          [](api::Run& run, std::optional<int> exit_code) {
            ThrowIfError(Unlocked([&] { return run.Finish(exit_code); }));
          },
          nb::arg("exit_code").none());
}

void BindDraft(nb::module_& module) {
  // The registry's rule for project, collection and type names, so a draft can be
  // refused when it is made rather than when it is logged, with the same message.
  module.def(
      "validate_name",
      [](const std::string& kind, const std::string& name) {
        ThrowIfError(registry::ValidateName(kind, name));
      },
      nb::arg("kind"), nb::arg("name"));
  nb::class_<api::Artifact>(module, "Draft")
      .def(nb::init<std::string, std::string, std::string, std::string>(),
           nb::arg("name"), nb::arg("type"), nb::arg("description"),
           nb::arg("metadata_json"))
      .def_prop_ro("name", &api::Artifact::Name)
      .def_prop_ro("type", &api::Artifact::Type)
      .def_prop_ro("description", &api::Artifact::Description)
      .def_prop_ro("metadata_json", &api::Artifact::MetadataJson)
      .def_prop_ro("manifest", &api::Artifact::Manifest)
      .def(
          "add_reference",
          [](api::Artifact& draft, Session& session, const std::string& uri,
             const std::string& name, bool checksum, std::int64_t max_objects) {
            const api::ReferenceOptions options{
                .name = name, .checksum = checksum, .max_objects = max_objects};
            return ValueOrThrow(
                Unlocked([&] { return draft.AddReference(session, uri, options); }));
          },
          nb::arg("session"), nb::arg("uri"), nb::arg("name"), nb::arg("checksum"),
          nb::arg("max_objects"))
      .def(
          "add_entries",
          [](api::Artifact& draft, const manifest::Manifest& entries) {
            ThrowIfError(draft.AddEntries(entries));
          },
          nb::arg("entries"));
}

void BindVersion(nb::module_& module) {
  using api::ArtifactVersion;
  nb::class_<ArtifactVersion>(module, "Version")
      .def(nb::init<registry::VersionRecord, manifest::Manifest>(), nb::arg("record"),
           nb::arg("manifest"))
      .def_prop_ro("record", &ArtifactVersion::Record)
      .def_prop_ro("manifest", &ArtifactVersion::Manifest)
      .def(
          "download",
          [](const ArtifactVersion& version, Session& session, const std::string& root,
             const std::string& path_prefix, bool allow_missing_references) {
            const api::DownloadOptions options{
                .root = root,
                .path_prefix = path_prefix,
                .allow_missing_references = allow_missing_references};
            return ValueOrThrow(
                Unlocked([&] { return version.Download(session, options); }));
          },
          nb::arg("session"), nb::arg("root"), nb::arg("path_prefix"),
          nb::arg("allow_missing_references"))
      .def(
          "verify",
          [](const ArtifactVersion& version, Session& session) {
            return ValueOrThrow(Unlocked([&] { return version.Verify(session); }));
          },
          nb::arg("session"))
      .def(
          "verify_files",
          [](const ArtifactVersion& version, const std::string& root) {
            return ValueOrThrow(Unlocked([&] { return version.VerifyFiles(root); }));
          },
          nb::arg("root"));
}

}  // namespace

void BindSession(nb::module_& module) {
  nb::class_<Session> session_class(module, "Session");
  BindSessionCalls(session_class);
  BindRegistryReads(session_class);
  BindRun(module);
  BindDraft(module);
  BindVersion(module);
}

}  // namespace cairn::python
