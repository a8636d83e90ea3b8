// SPDX-License-Identifier: Apache-2.0
// cairn ls [NAME]: the artifacts of the project, or the versions of one.
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cairn/api/session.h"

#include "cli/commands/commands.h"
#include "cli/output.h"

namespace cairn::cli {
namespace {

struct LsOptions {
  std::string name;
};

Result<int> ListCollections(api::Session& session, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(const std::vector<std::string> names,
                         session.Registry().ListCollections(session.Project()));
  nlohmann::json rows = nlohmann::json::array();
  for (const std::string& name : names) {
    CAIRN_ASSIGN_OR_RETURN(const std::vector<registry::VersionRecord> versions,
                           session.Registry().ListVersions(session.Project(), name));
    if (versions.empty()) {
      continue;
    }
    const registry::VersionRecord& latest = versions.back();
    rows.push_back({{"name", name},
                    {"type", latest.type},
                    {"versions", versions.size()},
                    {"latest", "v" + std::to_string(latest.index)},
                    {"files", latest.file_count},
                    {"size", latest.size_bytes},
                    {"updated_at", latest.created_at}});
  }

  if (context.JsonOutput()) {
    PrintJson({{"project", session.Project()}, {"artifacts", rows}});
    return 0;
  }
  if (rows.empty()) {
    context.Note(
        fmt::format("no artifacts in project '{}' yet; add one with `cairn track`",
                    session.Project()));
    return 0;
  }
  fmt::print("{:<24} {:<10} {:>8} {:>7} {:>8} {:>11}  {}\n", "NAME", "TYPE", "VERSIONS",
             "LATEST", "FILES", "SIZE", "UPDATED");
  for (const nlohmann::json& row : rows) {
    fmt::print("{:<24} {:<10} {:>8} {:>7} {:>8} {:>11}  {}\n",
               row["name"].get<std::string>(), row["type"].get<std::string>(),
               row["versions"].get<std::size_t>(), row["latest"].get<std::string>(),
               row["files"].get<std::int64_t>(),
               HumanBytes(row["size"].get<std::int64_t>()),
               row["updated_at"].get<std::string>());
  }
  return 0;
}

Result<int> ListVersions(api::Session& session, const std::string& name,
                         Context& context) {
  CAIRN_ASSIGN_OR_RETURN(const std::vector<registry::VersionRecord> versions,
                         session.Registry().ListVersions(session.Project(), name));
  if (context.JsonOutput()) {
    nlohmann::json rows = nlohmann::json::array();
    for (const registry::VersionRecord& version : versions) {
      rows.push_back(VersionJson(version));
    }
    PrintJson({{"project", session.Project()}, {"name", name}, {"versions", rows}});
    return 0;
  }
  fmt::print("{:<8} {:>8} {:>11}  {:<24}  {}\n", "VERSION", "FILES", "SIZE", "CREATED",
             "ALIASES");
  for (const registry::VersionRecord& version : versions) {
    fmt::print("{:<8} {:>8} {:>11}  {:<24}  {}\n", "v" + std::to_string(version.index),
               version.file_count, HumanBytes(version.size_bytes), version.created_at,
               Join(version.aliases, ", "));
  }
  return 0;
}

Result<int> RunLs(const LsOptions& options, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  if (options.name.empty()) {
    return ListCollections(*session, context);
  }
  return ListVersions(*session, options.name, context);
}

}  // namespace

Command AddLsCommand(CLI::App& root) {
  auto options = std::make_shared<LsOptions>();
  CLI::App* app =
      root.add_subcommand("ls", "List the project's artifacts, or the versions of NAME");
  app->add_option("name", options->name, "Artifact name");
  return {app, [options](Context& context) { return RunLs(*options, context); }};
}

}  // namespace cairn::cli
