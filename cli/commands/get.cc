// SPDX-License-Identifier: Apache-2.0
// cairn get NAME[:V]: downloads a version exactly as recorded and prints where.
#include <memory>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cairn/api/session.h"

#include "cli/commands/commands.h"
#include "cli/output.h"

namespace cairn::cli {
namespace {

struct GetOptions {
  std::string spec;
  std::string root;
  std::string path_prefix;
};

// The same whole-segment rule as the download itself (artifact::UnderPath), which
// the CLI cannot call across the api layer: "b" is "b" or "b/...", never "b2/".
std::int64_t CountUnder(const manifest::Manifest& manifest, std::string_view prefix) {
  if (prefix.ends_with('/')) {
    prefix.remove_suffix(1);
  }
  std::int64_t count = 0;
  for (const manifest::ManifestEntry& entry : manifest.entries()) {
    const std::string_view path = entry.path;
    if (prefix.empty() || path == prefix ||
        (path.starts_with(prefix) && path.size() > prefix.size() &&
         path[prefix.size()] == '/')) {
      ++count;
    }
  }
  return count;
}

Result<int> RunGet(const GetOptions& options, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  CAIRN_ASSIGN_OR_RETURN(const std::optional<std::int64_t> run_id,
                         context.EnclosingRunId());
  CAIRN_ASSIGN_OR_RETURN(const api::ArtifactVersion version, session->Get(options.spec));

  const std::int64_t files = CountUnder(version.Manifest(), options.path_prefix);
  if (files == 0 && !options.path_prefix.empty()) {
    return NotFoundError(fmt::format(
        "{} has no entry under --path '{}'; list its paths with `cairn show {} --files`",
        version.Record().Label(), options.path_prefix, version.Record().Label()));
  }
  auto root = version.Download(
      *session, {.root = options.root, .path_prefix = options.path_prefix});
  context.ClearProgress();
  if (!root.ok()) {
    return root.status();
  }
  if (run_id) {
    CAIRN_RETURN_IF_ERROR(session->Registry().AddRunInput(*run_id, version.Record().id));
  }

  if (context.JsonOutput()) {
    PrintJson({{"name", version.Record().name},
               {"version", "v" + std::to_string(version.Record().index)},
               {"label", version.Record().Label()},
               {"digest", version.Record().digest},
               {"root", *root},
               {"files", files}});
    return 0;
  }
  fmt::print("{}\n", *root);
  return 0;
}

}  // namespace

Command AddGetCommand(CLI::App& root) {
  auto options = std::make_shared<GetOptions>();
  CLI::App* app = root.add_subcommand(
      "get", "Download a version as recorded (default root ./artifacts/NAME:vN)");
  app->add_option("spec", options->spec, "NAME, NAME:vN or NAME:ALIAS")->required();
  app->add_option("--root", options->root, "Directory to download into");
  app->add_option("--path", options->path_prefix,
                  "Only entries under this path (whole segments)");
  return {app, [options](Context& context) { return RunGet(*options, context); }};
}

}  // namespace cairn::cli
