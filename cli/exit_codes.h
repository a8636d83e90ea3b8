// SPDX-License-Identifier: Apache-2.0
// Exit codes of the cairn command: the one table that maps a cairn::StatusCode to
// the status a shell script sees, and the text of that table for --help.
#pragma once

#include <string>

#include "cairn/base/status.h"

namespace cairn::cli {

/// Exit statuses cairn itself returns. `cairn run` instead passes its command's
/// own status through once the command has started.
inline constexpr int kExitOk = 0;
inline constexpr int kExitDrift = 1;  // `verify` found changed or missing entries
inline constexpr int kExitUsage = 2;  // bad flags, arguments, URIs or names
inline constexpr int kExitNotFound = 3;
inline constexpr int kExitDataChanged = 4;  // data behind a reference changed or was lost
inline constexpr int kExitCredentials = 5;  // missing, bad or insufficient credentials
inline constexpr int kExitLimit = 6;        // a limit was hit (--max-objects, disk)
inline constexpr int kExitNetwork = 7;      // network failure or timeout after retries
inline constexpr int kExitConflict = 8;     // a name is taken or a writer raced us
inline constexpr int kExitUnimplemented = 9;
inline constexpr int kExitInternal = 10;

/// The exit status for a failed operation with this code. kOk maps to 0.
int ExitCodeFor(StatusCode code);

/// The table above as text, for the footer of `cairn --help`.
std::string ExitCodeHelp();

}  // namespace cairn::cli
