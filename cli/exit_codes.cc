// SPDX-License-Identifier: Apache-2.0
#include "cli/exit_codes.h"

namespace cairn::cli {

int ExitCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
      return kExitUsage;
    case StatusCode::kNotFound:
      return kExitNotFound;
    case StatusCode::kFailedPrecondition:
    case StatusCode::kDataLoss:
      return kExitDataChanged;
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
      return kExitCredentials;
    case StatusCode::kResourceExhausted:
      return kExitLimit;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      return kExitNetwork;
    case StatusCode::kAlreadyExists:
    case StatusCode::kAborted:
      return kExitConflict;
    case StatusCode::kUnimplemented:
      return kExitUnimplemented;
    case StatusCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

std::string ExitCodeHelp() {
  return "Exit codes:\n"
         "  0   success\n"
         "  1   verify found changed or missing entries\n"
         "  2   usage error: bad flag, argument, URI, name or alias\n"
         "  3   not found: artifact, version, alias, object or command\n"
         "  4   the data behind a reference changed or does not match its digest\n"
         "  5   missing, invalid or insufficient credentials\n"
         "  6   a limit was hit (raise it, e.g. with --max-objects)\n"
         "  7   network failure or timeout, after retries\n"
         "  8   conflict: a name is taken or another writer won a race\n"
         "  9   not implemented in this build (e.g. a storage backend)\n"
         "  10  internal error in cairn\n"
         "  130 interrupted (Ctrl-C, SIGTERM); a download removes what it staged\n"
         "  cairn run exits with its command's status once the command has started,\n"
         "  unless logging a --log output then fails (cairn's code; the run failed).\n";
}

}  // namespace cairn::cli
