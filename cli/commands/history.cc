// SPDX-License-Identifier: Apache-2.0
// cairn history NAME: every version of a collection, oldest first, with what
// changed since the version before it.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cairn/api/session.h"

#include "cli/commands/commands.h"
#include "cli/manifest_diff.h"
#include "cli/output.h"

namespace cairn::cli {
namespace {

struct HistoryOptions {
  std::string name;
};

nlohmann::json ChangesJson(const ManifestDiff& diff) {
  return {{"added", diff.added.size()},
          {"removed", diff.removed.size()},
          {"changed", diff.changed.size()}};
}

Result<int> RunHistory(const HistoryOptions& options, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  registry::Registry& registry = session->Registry();
  CAIRN_ASSIGN_OR_RETURN(const std::vector<registry::VersionRecord> versions,
                         registry.ListVersions(session->Project(), options.name));

  nlohmann::json rows = nlohmann::json::array();
  std::optional<manifest::Manifest> previous;
  for (const registry::VersionRecord& version : versions) {
    CAIRN_ASSIGN_OR_RETURN(manifest::Manifest manifest,
                           registry.LoadManifest(version.id));
    nlohmann::json row = VersionJson(version);
    // The first version is compared with nothing, so all its entries count as added.
    row["changes"] =
        ChangesJson(DiffManifests(previous.value_or(manifest::Manifest()), manifest));
    rows.push_back(std::move(row));
    previous = std::move(manifest);
  }

  if (context.JsonOutput()) {
    PrintJson(
        {{"project", session->Project()}, {"name", options.name}, {"versions", rows}});
    return 0;
  }
  fmt::print("{:<8} {:<24} {:>8} {:>11}  {:<18} {:<8}  {}\n", "VERSION", "CREATED",
             "FILES", "SIZE", "CHANGES", "RUN", "ALIASES");
  for (const nlohmann::json& row : rows) {
    const nlohmann::json& changes = row["changes"];
    const std::string summary = fmt::format(
        "+{} -{} ~{}", changes["added"].get<std::size_t>(),
        changes["removed"].get<std::size_t>(), changes["changed"].get<std::size_t>());
    const std::string run =
        row["producer_run_id"].is_null()
            ? "-"
            : std::to_string(row["producer_run_id"].get<std::int64_t>());
    fmt::print("{:<8} {:<24} {:>8} {:>11}  {:<18} {:<8}  {}\n",
               row["version"].get<std::string>(), row["created_at"].get<std::string>(),
               row["files"].get<std::int64_t>(),
               HumanBytes(row["size"].get<std::int64_t>()), summary, run,
               Join(row["aliases"].get<std::vector<std::string>>(), ", "));
  }
  return 0;
}

}  // namespace

Command AddHistoryCommand(CLI::App& root) {
  auto options = std::make_shared<HistoryOptions>();
  CLI::App* app = root.add_subcommand(
      "history", "Versions of NAME, oldest first, with changes since the one before");
  app->add_option("name", options->name, "Artifact name")->required();
  return {app, [options](Context& context) { return RunHistory(*options, context); }};
}

}  // namespace cairn::cli
