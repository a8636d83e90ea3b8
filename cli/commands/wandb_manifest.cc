// SPDX-License-Identifier: Apache-2.0
// cairn import NAME FILE and cairn export SPEC [FILE]: references in and out of
// W&B artifact manifests (manifest/wandb_file.h).
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cairn/api/session.h"
#include "cairn/manifest/wandb_file.h"

#include "cli/commands/commands.h"
#include "cli/output.h"

namespace cairn::cli {
namespace {

struct ImportOptions {
  std::string name;
  std::string file;
  std::string type = "dataset";
  std::string description;
  std::vector<std::string> aliases;
};

Result<int> RunImport(const ImportOptions& options, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(const manifest::Manifest entries,
                         manifest::ReadWandbManifestFile(options.file));
  if (entries.empty()) {
    return InvalidArgumentError("W&B manifest " + options.file +
                                " has no entries; there is nothing to import");
  }
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  CAIRN_ASSIGN_OR_RETURN(const std::optional<std::int64_t> run_id,
                         context.EnclosingRunId());
  api::Artifact draft(options.name, options.type, options.description);
  CAIRN_RETURN_IF_ERROR(draft.AddEntries(entries));
  CAIRN_ASSIGN_OR_RETURN(const registry::LogResult logged,
                         session->Log(draft, options.aliases, run_id));

  const registry::VersionRecord& version = logged.version;
  if (context.JsonOutput()) {
    nlohmann::json document = VersionJson(version);
    document["created"] = logged.created;
    PrintJson(document);
    return 0;
  }
  fmt::print("{} {} from {} ({}, {}, digest {})\n", version.Label(),
             logged.created ? "imported" : "unchanged", options.file,
             CountOf(version.file_count, "file"), HumanBytes(version.size_bytes),
             version.digest);
  context.Note("entries were not re-read; `cairn verify " + version.Label() +
               "` checks them against their stores");
  return 0;
}

struct ExportOptions {
  std::string spec;
  std::string file = "-";
};

Result<int> RunExport(const ExportOptions& options, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  CAIRN_ASSIGN_OR_RETURN(const api::ArtifactVersion version, session->Get(options.spec));
  CAIRN_RETURN_IF_ERROR(
      manifest::WriteWandbManifestFile(version.Manifest(), options.file));
  if (options.file != "-") {
    if (context.JsonOutput()) {
      PrintJson({{"label", version.Record().Label()},
                 {"path", options.file},
                 {"files", version.Record().file_count},
                 {"digest", version.Record().digest}});
    } else {
      fmt::print("{} written to {} ({})\n", version.Record().Label(), options.file,
                 CountOf(version.Record().file_count, "file"));
    }
  }
  return 0;
}

}  // namespace

Command AddImportCommand(CLI::App& root) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* app = root.add_subcommand(
      "import", "Log a version of NAME from a W&B artifact manifest of references");
  app->add_option("name", options->name, "Artifact name")->required();
  app->add_option("file", options->file, "wandb_manifest.json (W&B manifest version 1)")
      ->required();
  app->add_option("--type", options->type, "Artifact type")->capture_default_str();
  app->add_option("--description", options->description, "Free text");
  OneValueEach(app->add_option("--alias", options->aliases,
                               "Alias to point at the version, repeatable"));
  return {app, [options](Context& context) { return RunImport(*options, context); }};
}

Command AddExportCommand(CLI::App& root) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* app = root.add_subcommand(
      "export", "Write a version's manifest as a W&B artifact manifest (wandb reads it)");
  app->add_option("spec", options->spec, "NAME, NAME:vN or NAME:ALIAS")->required();
  app->add_option("file", options->file, "Output file; - (the default) is stdout")
      ->capture_default_str();
  return {app, [options](Context& context) { return RunExport(*options, context); }};
}

}  // namespace cairn::cli
