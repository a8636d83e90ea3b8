// SPDX-License-Identifier: Apache-2.0
// The cairn command: parses the global flags and one subcommand, runs it, and
// turns its outcome into an exit status and, on failure, one line on stderr.
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cairn/base/interrupt.h"
#include "cairn/base/status.h"

#include "cli/commands/commands.h"
#include "cli/context.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

#ifndef CAIRN_VERSION
#define CAIRN_VERSION "unknown"
#endif

namespace cairn::cli {
namespace {

void AddGlobalOptions(CLI::App& app, GlobalOptions& options) {
  app.add_option("--home", options.home,
                 "Registry and cache directory (env CAIRN_HOME, default ~/.cairn)");
  app.add_option("--project", options.project,
                 "Project name (env CAIRN_PROJECT, default 'default')");
  app.add_flag("--json", options.json, "Print one JSON document on stdout");
  app.add_flag("-q,--quiet", options.quiet, "No progress, notes or warnings on stderr");
  app.add_flag("-v,--verbose", options.verbosity,
               "More logging on stderr: -v info, -vv debug");
}

// The shell's status for a command stopped by SIGINT.
constexpr int kExitInterrupted = 130;

// First SIGINT or SIGTERM: ask running work to stop and clean up (a download
// removes what it staged). SA_RESETHAND makes a second one end the process at once.
void OnInterrupt(int /*signal*/) {
  interrupt::Request();
}

void CatchInterrupts() {
  struct sigaction action = {};
  action.sa_handler = &OnInterrupt;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int PrintError(const Status& status, bool json) {
  const int exit_code = ExitCodeFor(status.code());
  std::fflush(stdout);
  std::fprintf(stderr, "cairn: error: %s\n", status.message().c_str());
  if (json) {
    PrintJson({{"error",
                {{"code", std::string(StatusCodeName(status.code()))},
                 {"message", status.message()},
                 {"exit_code", exit_code}}}});
  }
  return exit_code;
}

// The first word that is neither a flag nor the value of --home/--project, when it
// names no command; CLI11 alone would only say that a subcommand is required.
std::string UnknownCommand(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--home" || word == "--project") {
      ++i;
      continue;
    }
    if (word.starts_with("-")) {
      continue;
    }
    std::vector<std::string> names;
    for (const CLI::App* command : app.get_subcommands({})) {
      if (command->get_name() == word) {
        return "";
      }
      names.push_back(command->get_name());
    }
    return "unknown command '" + word + "'; the commands are " + Join(names, ", ");
  }
  return "";
}

// Whether --json came before any "--" (after which the words are a child's). The
// parser failed, so the parsed flag cannot be trusted to be set.
bool AskedForJson(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--") {
      return false;
    }
    if (word == "--json") {
      return true;
    }
  }
  return false;
}

int HandleParseError(const CLI::App& app, const CLI::ParseError& error, int argc,
                     char** argv) {
  // --help and --version arrive as "errors" whose exit code is 0.
  if (error.get_exit_code() == 0) {
    return app.exit(error);
  }
  std::string message = UnknownCommand(app, argc, argv);
  if (message.empty()) {
    message = error.what();
  }
  std::fprintf(stderr, "cairn: error: %s\nRun 'cairn --help' for usage.\n",
               message.c_str());
  if (AskedForJson(argc, argv)) {
    PrintJson({{"error",
                {{"code", std::string(StatusCodeName(StatusCode::kInvalidArgument))},
                 {"message", message},
                 {"exit_code", kExitUsage}}}});
  }
  return kExitUsage;
}

int Main(int argc, char** argv) {
  CLI::App app("cairn: versioned snapshots of data that stays where it lives", "cairn");
  app.set_version_flag("--version", "cairn " CAIRN_VERSION);
  app.footer(ExitCodeHelp());
  app.require_subcommand(1);
  // Global flags are accepted after the command too: `cairn ls --json`.
  app.fallthrough();
  GlobalOptions options;
  AddGlobalOptions(app, options);

  const std::vector<Command> commands = {
      AddTrackCommand(app),   AddGetCommand(app),     AddLsCommand(app),
      AddShowCommand(app),    AddHistoryCommand(app), AddDiffCommand(app),
      AddAliasCommand(app),   AddVerifyCommand(app),  AddRunCommand(app),
      AddLineageCommand(app), AddImportCommand(app),  AddExportCommand(app),
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return HandleParseError(app, error, argc, argv);
  }

  Context context(options);
  for (const Command& command : commands) {
    if (!command.app->parsed()) {
      continue;
    }
    CatchInterrupts();
    Result<int> outcome = command.action(context);
    context.ClearProgress();
    if (!outcome.ok() && interrupt::Requested()) {
      std::fflush(stdout);
      std::fprintf(stderr,
                   "cairn: interrupted; nothing half-written was left behind (%s)\n",
                   outcome.status().message().c_str());
      return kExitInterrupted;
    }
    if (!outcome.ok()) {
      return PrintError(outcome.status(), options.json);
    }
    return *outcome;
  }
  return kExitUsage;
}

}  // namespace
}  // namespace cairn::cli

int main(int argc, char** argv) {
  // Libraries cairn calls (JSON, the parser) may throw; nothing may escape as a crash.
  try {
    return cairn::cli::Main(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "cairn: error: internal error: %s\n", error.what());
    return cairn::cli::kExitInternal;
  }
}
