// SPDX-License-Identifier: Apache-2.0
// cairn run [--use NAME:V]... [--log NAME=URI]... -- CMD...: runs a command as a
// recorded run. Inputs are recorded before it starts; outputs are snapshotted only
// after it succeeds; its exit status is recorded and becomes cairn's own.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cairn/api/session.h"

#include "cli/child_process.h"
#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace cairn::cli {
namespace {

struct RunOptions {
  std::string name;
  std::vector<std::string> uses;
  std::vector<std::string> logs;  // NAME=URI
  std::vector<std::string> command;
};

struct OutputSpec {
  std::string name;
  std::string uri;
};

Result<std::vector<OutputSpec>> ParseOutputs(const std::vector<std::string>& logs) {
  std::vector<OutputSpec> outputs;
  for (const std::string& text : logs) {
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
      return InvalidArgumentError("--log '" + text +
                                  "' is not NAME=URI; write it as e.g. --log "
                                  "counts=out/counts.txt");
    }
    outputs.push_back({text.substr(0, equals), text.substr(equals + 1)});
  }
  return outputs;
}

// What the run produced, and the log result of each output.
struct Outcome {
  std::vector<registry::VersionRecord> inputs;
  std::vector<registry::LogResult> outputs;
};

Status LogOutputs(api::Session& session, api::Run& run,
                  const std::vector<OutputSpec>& specs, Outcome& outcome) {
  // Every output is resolved before any is logged, so one missing output leaves
  // no version behind for the others.
  std::vector<api::Artifact> drafts;
  drafts.reserve(specs.size());
  for (const OutputSpec& spec : specs) {
    api::Artifact& draft = drafts.emplace_back(spec.name, "dataset");
    CAIRN_RETURN_IF_ERROR(draft.AddReference(session, spec.uri, {}).status());
  }

  for (const api::Artifact& draft : drafts) {
    CAIRN_ASSIGN_OR_RETURN(registry::LogResult logged, run.LogArtifact(draft));
    outcome.outputs.push_back(std::move(logged));
  }
  return Status::Ok();
}

// With --json the run's document follows whatever the child printed on the same
// stdout, so a child that prints makes stdout more than one JSON document.
void Report(const registry::RunRecord& run, const Outcome& outcome, bool logged_outputs,
            Context& context) {
  if (context.JsonOutput()) {
    nlohmann::json inputs = nlohmann::json::array();
    for (const registry::VersionRecord& version : outcome.inputs) {
      inputs.push_back(VersionJson(version));
    }
    nlohmann::json outputs = nlohmann::json::array();
    for (const registry::LogResult& logged : outcome.outputs) {
      nlohmann::json output = VersionJson(logged.version);
      output["created"] = logged.created;
      outputs.push_back(std::move(output));
    }
    PrintJson({{"run", RunJson(run)},
               {"exit_code", run.exit_code ? nlohmann::json(*run.exit_code) : nullptr},
               {"inputs", inputs},
               {"outputs", outputs}});
    return;
  }

  std::vector<std::string> used;
  for (const registry::VersionRecord& version : outcome.inputs) {
    used.push_back(version.Label());
  }
  std::vector<std::string> produced;
  for (const registry::LogResult& logged : outcome.outputs) {
    produced.push_back(logged.version.Label() +
                       (logged.created ? " (created)" : " (unchanged)"));
  }
  std::string line = fmt::format("run {} '{}' {} (exit {})", run.id, run.name, run.status,
                                 run.exit_code ? std::to_string(*run.exit_code) : "none");
  if (!used.empty()) {
    line += "; used " + Join(used, ", ");
  }
  if (!produced.empty()) {
    line += "; logged " + Join(produced, ", ");
  }
  if (!logged_outputs) {
    line += "; outputs not logged because the command failed";
  }
  context.Note(line);
}

Result<int> RunRun(const RunOptions& options, Context& context) {
  CAIRN_ASSIGN_OR_RETURN(const std::vector<OutputSpec> output_specs,
                         ParseOutputs(options.logs));
  CAIRN_ASSIGN_OR_RETURN(api::Session * session, context.OpenSession());
  // Every input must resolve before the run exists, so a typo records nothing.
  for (const std::string& spec : options.uses) {
    CAIRN_RETURN_IF_ERROR(session->Get(spec).status());
  }
  const std::string name =
      options.name.empty()
          ? std::filesystem::path(options.command.front()).filename().string()
          : options.name;
  const nlohmann::json config = {{"command", options.command}};
  CAIRN_ASSIGN_OR_RETURN(api::Run run, session->StartRun(name, "", config.dump()));

  Outcome outcome;
  Status status;
  for (const std::string& spec : options.uses) {
    auto used = run.UseArtifact(spec);
    if (!used.ok()) {
      status = used.status();
      break;
    }
    outcome.inputs.push_back(used->Record());
  }

  int exit_code = 0;
  if (status.ok()) {
    std::fflush(stdout);
    auto child = RunChildProcess(options.command,
                                 {{"CAIRN_RUN_ID", std::to_string(run.Record().id)},
                                  {"CAIRN_HOME", session->Home()},
                                  {"CAIRN_PROJECT", session->Project()}});
    if (child.ok()) {
      exit_code = *child;
    } else {
      status = child.status();
    }
  }
  const bool succeeded = status.ok() && exit_code == 0;
  if (succeeded) {
    status = LogOutputs(*session, run, output_specs, outcome);
    context.ClearProgress();
  }

  // A failure of cairn itself is recorded with the exit status cairn returns for it.
  const int recorded_exit = status.ok() ? exit_code : ExitCodeFor(status.code());
  CAIRN_RETURN_IF_ERROR(run.Finish(recorded_exit));
  if (!status.ok()) {
    return status.WithContext(fmt::format("run {}", run.Record().id));
  }
  CAIRN_ASSIGN_OR_RETURN(const registry::RunRecord finished,
                         session->Registry().GetRun(run.Record().id));
  Report(finished, outcome, succeeded, context);
  return exit_code;
}

}  // namespace

Command AddRunCommand(CLI::App& root) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* app = root.add_subcommand(
      "run", "Run a command as a recorded run: inputs, outputs, exit status");
  app->footer(
      "The command sees CAIRN_RUN_ID, CAIRN_HOME and CAIRN_PROJECT, so `cairn track` "
      "and\n"
      "`cairn get` inside it add outputs and inputs to the same run. --log outputs are\n"
      "snapshotted only after the command exits 0. cairn exits with the command's "
      "status.");
  app->add_option("--name", options->name, "Run name (default: the command's name)");
  OneValueEach(
      app->add_option("--use", options->uses, "Input version NAME:V, repeatable"));
  OneValueEach(app->add_option(
      "--log", options->logs,
      "Output NAME=URI, snapshotted after the command succeeds, repeatable"));
  // Extra args allowed, so every word after the first also lands here ("-c" too).
  app->add_option("command", options->command, "The command, after --")
      ->required()
      ->allow_extra_args();
  return {app, [options](Context& context) { return RunRun(*options, context); }};
}

}  // namespace cairn::cli
