// SPDX-License-Identifier: Apache-2.0
// Runs one command as a child process and waits for it, for `cairn run`.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cairn/base/result.h"

namespace cairn::cli {

/// Starts `argv` (argv[0] looked up on PATH) with this process's environment plus
/// `extra_env` (which replaces variables of the same name), stdin/stdout/stderr
/// inherited, and waits for it. While it runs, SIGINT and SIGQUIT are ignored here
/// so that Ctrl-C reaches the command alone and its outcome is still recorded.
/// Returns its exit status, or 128 + N when signal N ended it. kNotFound when the
/// command does not exist; kPermissionDenied when it is not executable;
/// kInternal when fork fails.
Result<int> RunChildProcess(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& extra_env);

}  // namespace cairn::cli
