// SPDX-License-Identifier: Apache-2.0
// cairn verify NAME[:V]: re-checks every reference of a version against what was
// recorded. Exit 0 when all are unchanged, 1 when any changed or went missing.
#include <memory>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cairn/api/session.h"

#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace cairn::cli {
namespace {

struct VerifyOptions {
  std::string spec;
};

// A report line reads "path: what differs"; paths may themselves hold ": ", so the
// path is the longest manifest path the line starts with.
nlohmann::json ChangedJson(const manifest::Manifest& manifest, const std::string& line) {
  std::string_view path;
  for (const manifest::ManifestEntry& entry : manifest.entries()) {
    if (entry.path.size() > path.size() && line.starts_with(entry.path + ": ")) {
      path = entry.path;
    }
  }
  if (path.empty()) {
    return {{"path", line}, {"reason", ""}};
  }
  return {{"path", std::string(path)}, {"reason", line.substr(path.size() + 2)}};
}

Result<int> RunVerify(const VerifyOptions& options, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  CAIRN_ASSIGN_OR_RETURN(const api::ArtifactVersion version, session->Get(options.spec));
  auto verified = version.Verify(*session);
  context.ClearProgress();
  if (!verified.ok()) {
    return verified.status();
  }
  const api::VerifyReport& report = *verified;
  const int exit_code = report.IsClean() ? kExitOk : kExitDrift;

  if (context.JsonOutput()) {
    nlohmann::json changed = nlohmann::json::array();
    for (const std::string& line : report.changed) {
      changed.push_back(ChangedJson(version.Manifest(), line));
    }
    PrintJson({{"label", version.Record().Label()},
               {"clean", report.IsClean()},
               {"unchanged", report.unchanged.size()},
               {"changed", changed},
               {"missing", report.missing}});
    return exit_code;
  }
  for (const std::string& line : report.changed) {
    fmt::print("changed  {}\n", line);
  }
  for (const std::string& path : report.missing) {
    fmt::print("missing  {}\n", path);
  }
  fmt::print("{}: {} unchanged, {} changed, {} missing\n", version.Record().Label(),
             report.unchanged.size(), report.changed.size(), report.missing.size());
  return exit_code;
}

}  // namespace

Command AddVerifyCommand(CLI::App& root) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* app = root.add_subcommand(
      "verify", "Re-check a version's references; exit 1 when any changed or vanished");
  app->add_option("spec", options->spec, "NAME, NAME:vN or NAME:ALIAS")->required();
  return {app, [options](Context& context) { return RunVerify(*options, context); }};
}

}  // namespace cairn::cli
