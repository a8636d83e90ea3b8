// SPDX-License-Identifier: Apache-2.0
// cairn lineage NAME:V: the runs and versions upstream (what produced it, from
// what) and downstream (what used it, and what those runs produced).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cairn/api/session.h"

#include "cli/commands/commands.h"
#include "cli/output.h"

namespace cairn::cli {
namespace {

// Deeper graphs are cut off with a "truncated" marker rather than walked forever.
constexpr int kMaxDepth = 32;

struct LineageOptions {
  std::string spec;
};

enum class Direction { kUpstream, kDownstream };

nlohmann::json VersionNode(const registry::VersionRecord& version) {
  return {{"id", version.id}, {"label", version.Label()}, {"digest", version.digest}};
}

// Walks from one version in one direction. A run reached twice (a diamond, or a
// run that used and logged the same version) is listed once, then marked "seen".
class LineageWalker {
 public:
  LineageWalker(registry::Registry& registry, Direction direction)
      : registry_(registry), direction_(direction) {}

  Result<nlohmann::json> Runs(std::int64_t version_id, int depth) {
    nlohmann::json runs = nlohmann::json::array();
    if (depth >= kMaxDepth) {
      return runs;
    }
    CAIRN_ASSIGN_OR_RETURN(const std::vector<registry::RunRecord> adjacent,
                           direction_ == Direction::kUpstream
                               ? registry_.RunsProducing(version_id)
                               : registry_.RunsConsuming(version_id));
    for (const registry::RunRecord& run : adjacent) {
      CAIRN_ASSIGN_OR_RETURN(nlohmann::json node, RunNode(run, depth));
      runs.push_back(std::move(node));
    }
    return runs;
  }

 private:
  Result<nlohmann::json> RunNode(const registry::RunRecord& run, int depth) {
    nlohmann::json node = {{"run", RunJson(run)}};
    if (!seen_runs_.insert(run.id).second) {
      node["seen"] = true;
      return node;
    }
    CAIRN_ASSIGN_OR_RETURN(const registry::RunEdges edges, registry_.GetRunEdges(run.id));
    const bool upstream = direction_ == Direction::kUpstream;
    nlohmann::json versions = nlohmann::json::array();
    for (const registry::VersionRecord& version :
         upstream ? edges.inputs : edges.outputs) {
      nlohmann::json child = VersionNode(version);
      CAIRN_ASSIGN_OR_RETURN(child["runs"], Runs(version.id, depth + 1));
      versions.push_back(std::move(child));
    }
    node[upstream ? "inputs" : "outputs"] = std::move(versions);
    return node;
  }

  registry::Registry& registry_;
  Direction direction_;
  std::set<std::int64_t> seen_runs_;
};

std::string RunLine(const nlohmann::json& run) {
  std::string line =
      fmt::format("run {} {} [{}", run["id"].get<std::int64_t>(),
                  run["name"].get<std::string>(), run["status"].get<std::string>());
  if (!run["exit_code"].is_null()) {
    line += fmt::format(", exit {}", run["exit_code"].get<int>());
  }
  return line + "]";
}

void PrintRuns(const nlohmann::json& runs, const char* versions_key, const char* verb,
               int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  for (const nlohmann::json& node : runs) {
    fmt::print("{}{}{}\n", pad, RunLine(node["run"]),
               node.contains("seen") ? " (shown above)" : "");
    if (!node.contains(versions_key)) {
      continue;
    }
    for (const nlohmann::json& version : node[versions_key]) {
      fmt::print("{}  {} {}\n", pad, verb, version["label"].get<std::string>());
      PrintRuns(version["runs"], versions_key, verb, indent + 4);
    }
  }
}

Result<int> RunLineage(const LineageOptions& options, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  CAIRN_ASSIGN_OR_RETURN(const api::ArtifactVersion version, session->Get(options.spec));
  const std::int64_t id = version.Record().id;
  LineageWalker upstream_walker(session->Registry(), Direction::kUpstream);
  CAIRN_ASSIGN_OR_RETURN(const nlohmann::json upstream, upstream_walker.Runs(id, 0));
  LineageWalker downstream_walker(session->Registry(), Direction::kDownstream);
  CAIRN_ASSIGN_OR_RETURN(const nlohmann::json downstream, downstream_walker.Runs(id, 0));

  if (context.JsonOutput()) {
    nlohmann::json document = VersionNode(version.Record());
    document["upstream"] = upstream;
    document["downstream"] = downstream;
    PrintJson(document);
    return 0;
  }
  fmt::print("{}\n", version.Record().Label());
  fmt::print("upstream (runs that produced it, and their inputs):\n");
  if (upstream.empty()) {
    fmt::print("  none: tracked outside any run\n");
  }
  PrintRuns(upstream, "inputs", "used", 2);
  fmt::print("downstream (runs that used it, and their outputs):\n");
  if (downstream.empty()) {
    fmt::print("  none\n");
  }
  PrintRuns(downstream, "outputs", "logged", 2);
  return 0;
}

}  // namespace

Command AddLineageCommand(CLI::App& root) {
  auto options = std::make_shared<LineageOptions>();
  CLI::App* app = root.add_subcommand(
      "lineage", "Runs and versions upstream and downstream of a version");
  app->add_option("spec", options->spec, "NAME:vN (or NAME, NAME:ALIAS)")->required();
  return {app, [options](Context& context) { return RunLineage(*options, context); }};
}

}  // namespace cairn::cli
