// SPDX-License-Identifier: Apache-2.0
// cairn alias NAME:V ALIAS: points a user alias at a version, moving it from any
// other version of the collection.
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cairn/api/session.h"

#include "cli/commands/commands.h"
#include "cli/output.h"

namespace cairn::cli {
namespace {

struct AliasOptions {
  std::string spec;
  std::string alias;
};

Result<int> RunAlias(const AliasOptions& options, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  CAIRN_ASSIGN_OR_RETURN(const api::ArtifactVersion version, session->Get(options.spec));
  const registry::VersionRecord& record = version.Record();
  CAIRN_RETURN_IF_ERROR(session->Registry().SetAlias(record.project, record.name,
                                                     record.index, options.alias));
  CAIRN_ASSIGN_OR_RETURN(const registry::VersionRecord updated,
                         session->Registry().GetVersion(record.id));

  if (context.JsonOutput()) {
    nlohmann::json document = VersionJson(updated);
    document["alias"] = options.alias;
    PrintJson(document);
    return 0;
  }
  fmt::print("{}:{} -> {}\n", record.name, options.alias, record.Label());
  return 0;
}

}  // namespace

Command AddAliasCommand(CLI::App& root) {
  auto options = std::make_shared<AliasOptions>();
  CLI::App* app = root.add_subcommand("alias", "Point ALIAS at a version of NAME");
  app->add_option("spec", options->spec, "NAME:vN (or NAME:ALIAS)")->required();
  app->add_option("alias", options->alias, "Alias, e.g. best or prod")->required();
  return {app, [options](Context& context) { return RunAlias(*options, context); }};
}

}  // namespace cairn::cli
