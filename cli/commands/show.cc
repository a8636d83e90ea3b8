// SPDX-License-Identifier: Apache-2.0
// cairn show NAME[:V] [--files]: one version's record, and its entries.
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cairn/api/session.h"

#include "cli/commands/commands.h"
#include "cli/output.h"

namespace cairn::cli {
namespace {

struct ShowOptions {
  std::string spec;
  bool files = false;
};

void PrintRecord(const registry::VersionRecord& version) {
  fmt::print("{}\n", version.Label());
  fmt::print("  {:<12} {}\n", "project", version.project);
  fmt::print("  {:<12} {}\n", "type", version.type);
  if (!version.description.empty()) {
    fmt::print("  {:<12} {}\n", "description", version.description);
  }
  fmt::print("  {:<12} {}\n", "aliases",
             version.aliases.empty() ? "(none)" : Join(version.aliases, ", "));
  fmt::print("  {:<12} {}\n", "digest", version.digest);
  fmt::print("  {:<12} {}\n", "files", version.file_count);
  fmt::print("  {:<12} {} ({} bytes)\n", "size", HumanBytes(version.size_bytes),
             version.size_bytes);
  fmt::print("  {:<12} {}\n", "created", version.created_at);
  if (version.producer_run_id) {
    fmt::print("  {:<12} {}\n", "run", *version.producer_run_id);
  }
  if (version.metadata_json != "{}" && !version.metadata_json.empty()) {
    fmt::print("  {:<12} {}\n", "metadata", version.metadata_json);
  }
}

void PrintEntries(const manifest::Manifest& manifest) {
  fmt::print("\n{:<40} {:>10}  {:<32}  {}\n", "PATH", "SIZE", "DIGEST", "REF");
  for (const manifest::ManifestEntry& entry : manifest.entries()) {
    std::string ref = entry.ref;
    if (const std::string version_id = entry.VersionId(); !version_id.empty()) {
      ref += " @" + version_id;
    }
    fmt::print("{:<40} {:>10}  {:<32}  {}\n", entry.path, entry.size_bytes, entry.digest,
               ref);
  }
}

Result<int> RunShow(const ShowOptions& options, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  CAIRN_ASSIGN_OR_RETURN(const api::ArtifactVersion version, session->Get(options.spec));
  if (context.JsonOutput()) {
    nlohmann::json document = VersionJson(version.Record());
    if (options.files) {
      nlohmann::json files = nlohmann::json::array();
      for (const manifest::ManifestEntry& entry : version.Manifest().entries()) {
        files.push_back(EntryJson(entry));
      }
      document["entries"] = std::move(files);
    }
    PrintJson(document);
    return 0;
  }
  PrintRecord(version.Record());
  if (options.files) {
    PrintEntries(version.Manifest());
  }
  return 0;
}

}  // namespace

Command AddShowCommand(CLI::App& root) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* app = root.add_subcommand("show", "Show a version (default: latest)");
  app->add_option("spec", options->spec, "NAME, NAME:vN or NAME:ALIAS")->required();
  app->add_flag("--files", options->files, "Also list every entry");
  return {app, [options](Context& context) { return RunShow(*options, context); }};
}

}  // namespace cairn::cli
