// SPDX-License-Identifier: Apache-2.0
// The cairn commands. Each Add*Command registers one subcommand with its flags on
// the root parser and returns the action main() runs when that subcommand was
// given. An action returns the exit status, or a Status that main() maps to one
// (cli/exit_codes.h) and prints as "cairn: error: <message>".
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "cairn/base/result.h"

#include "cli/context.h"

namespace cairn::cli {

using CommandAction = std::function<Result<int>(Context&)>;

struct Command {
  CLI::App* app = nullptr;  // owned by the root parser
  CommandAction action;
};

/// Makes `option` take exactly one value per occurrence, repeatable ("--use a --use
/// b"), so that it never swallows a following positional or the "--" before a
/// command.
CLI::Option* OneValueEach(CLI::Option* option);

Command AddTrackCommand(CLI::App& root);
Command AddGetCommand(CLI::App& root);
Command AddLsCommand(CLI::App& root);
Command AddShowCommand(CLI::App& root);
Command AddHistoryCommand(CLI::App& root);
Command AddDiffCommand(CLI::App& root);
Command AddAliasCommand(CLI::App& root);
Command AddVerifyCommand(CLI::App& root);
Command AddRunCommand(CLI::App& root);
Command AddLineageCommand(CLI::App& root);
Command AddImportCommand(CLI::App& root);
Command AddExportCommand(CLI::App& root);

}  // namespace cairn::cli
