// SPDX-License-Identifier: Apache-2.0
// cairn track NAME URI...: snapshots references as a version of NAME, or finds
// that the newest matching snapshot already exists.
#include <cstdint>
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

struct TrackOptions {
  std::string name;
  std::vector<std::string> uris;
  std::string type = "dataset";
  std::string description;
  std::vector<std::string> metadata;  // KEY=VALUE
  std::vector<std::string> aliases;
  std::int64_t max_objects = 10000;
  bool no_checksum = false;
  std::string entry_path;  // --as
};

Result<std::string> MetadataJson(const std::vector<std::string>& pairs) {
  nlohmann::json metadata = nlohmann::json::object();
  for (const std::string& pair : pairs) {
    const std::size_t equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      return InvalidArgumentError("--metadata '" + pair +
                                  "' is not KEY=VALUE; write it as e.g. --metadata "
                                  "source=sklearn");
    }
    metadata[pair.substr(0, equals)] = pair.substr(equals + 1);
  }
  return metadata.dump();
}

Status CheckOptions(const TrackOptions& options) {
  if (!options.entry_path.empty() && options.uris.size() > 1) {
    return InvalidArgumentError(fmt::format(
        "--as names the entry of a single URI, but {} URIs were given; track them one "
        "at a time or drop --as",
        options.uris.size()));
  }
  if (options.max_objects <= 0) {
    return InvalidArgumentError(
        fmt::format("--max-objects {} must be at least 1", options.max_objects));
  }
  return Status::Ok();
}

Result<int> RunTrack(const TrackOptions& options, Context& context) {
  CAIRN_RETURN_IF_ERROR(CheckOptions(options));
  CAIRN_ASSIGN_OR_RETURN(const std::string metadata_json, MetadataJson(options.metadata));
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  CAIRN_ASSIGN_OR_RETURN(const std::optional<std::int64_t> run_id,
                         context.EnclosingRunId());

  api::Artifact draft(options.name, options.type, options.description, metadata_json);
  const api::ReferenceOptions reference_options{.name = options.entry_path,
                                                .checksum = !options.no_checksum,
                                                .max_objects = options.max_objects};
  for (const std::string& uri : options.uris) {
    auto added = draft.AddReference(*session, uri, reference_options);
    if (!added.ok()) {
      context.ClearProgress();
      return added.status();
    }
  }

  auto logged = session->Log(draft, options.aliases, run_id);
  context.ClearProgress();
  if (!logged.ok()) {
    return logged.status();
  }
  const registry::VersionRecord& version = logged->version;
  if (context.JsonOutput()) {
    nlohmann::json document = VersionJson(version);
    document["created"] = logged->created;
    PrintJson(document);
    return 0;
  }
  fmt::print("{} {} ({}, {}, digest {})\n", version.Label(),
             logged->created ? "created" : "unchanged",
             CountOf(version.file_count, "file"), HumanBytes(version.size_bytes),
             version.digest);
  if (options.no_checksum) {
    context.Note("recorded without checksums: a download takes whatever is there then");
  }
  return 0;
}

}  // namespace

Command AddTrackCommand(CLI::App& root) {
  auto options = std::make_shared<TrackOptions>();
  CLI::App* app = root.add_subcommand(
      "track", "Snapshot references (paths, file://, s3://) as a version of NAME");
  app->add_option("name", options->name, "Artifact name")->required();
  app->add_option("uri", options->uris, "Files, folders or object-store URIs")
      ->required();
  app->add_option("--type", options->type, "Artifact type")->capture_default_str();
  app->add_option("--description", options->description, "Free text");
  OneValueEach(app->add_option("--metadata", options->metadata,
                               "KEY=VALUE, repeatable (string values)"));
  OneValueEach(app->add_option("--alias", options->aliases,
                               "Alias to point at the version, repeatable"));
  app->add_option("--max-objects", options->max_objects,
                  "Fail when a prefix holds more objects than this")
      ->capture_default_str();
  app->add_flag("--no-checksum", options->no_checksum,
                "Record URIs only; a download takes whatever is there then");
  app->add_option("--as", options->entry_path,
                  "Entry path for a single URI (the folder for a prefix)");
  return {app, [options](Context& context) { return RunTrack(*options, context); }};
}

}  // namespace cairn::cli
