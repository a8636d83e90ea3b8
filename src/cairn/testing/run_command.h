// SPDX-License-Identifier: Apache-2.0
// Runs a shell command for a test (a peer script, a test tool) and returns what it
// printed.
#pragma once

#include <string>

#include "cairn/base/result.h"

namespace cairn::testing {

/// Runs `command` through /bin/sh and returns its standard output; an error naming
/// the command, with its output, when it cannot run or exits non-zero.
Result<std::string> RunCommand(const std::string& command);

}  // namespace cairn::testing
