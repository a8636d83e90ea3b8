// SPDX-License-Identifier: Apache-2.0
// cairn diff NAME:A NAME:B: entry paths added, removed and changed from A to B.
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cairn/api/session.h"

#include "cli/commands/commands.h"
#include "cli/manifest_diff.h"
#include "cli/output.h"

namespace cairn::cli {
namespace {

struct DiffOptions {
  std::string from;
  std::string to;
};

Result<int> RunDiff(const DiffOptions& options, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  CAIRN_ASSIGN_OR_RETURN(const api::ArtifactVersion from, session->Get(options.from));
  CAIRN_ASSIGN_OR_RETURN(const api::ArtifactVersion to, session->Get(options.to));
  const ManifestDiff diff = DiffManifests(from.Manifest(), to.Manifest());

  if (context.JsonOutput()) {
    PrintJson({{"from", from.Record().Label()},
               {"to", to.Record().Label()},
               {"added", diff.added},
               {"removed", diff.removed},
               {"changed", diff.changed}});
    return 0;
  }
  fmt::print("{} -> {}\n", from.Record().Label(), to.Record().Label());
  for (const std::string& path : diff.added) {
    fmt::print("added    {}\n", path);
  }
  for (const std::string& path : diff.removed) {
    fmt::print("removed  {}\n", path);
  }
  for (const std::string& path : diff.changed) {
    fmt::print("changed  {}\n", path);
  }
  fmt::print("{} added, {} removed, {} changed\n", diff.added.size(), diff.removed.size(),
             diff.changed.size());
  return 0;
}

}  // namespace

Command AddDiffCommand(CLI::App& root) {
  auto options = std::make_shared<DiffOptions>();
  CLI::App* app = root.add_subcommand(
      "diff", "Paths added, removed and changed between two versions");
  app->add_option("from", options->from, "NAME:A")->required();
  app->add_option("to", options->to, "NAME:B")->required();
  return {app, [options](Context& context) { return RunDiff(*options, context); }};
}

}  // namespace cairn::cli
