// SPDX-License-Identifier: Apache-2.0
#include "cairn/testing/run_command.h"

#include <cstdio>

#include "cairn/base/status.h"

namespace cairn::testing {

Result<std::string> RunCommand(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return InternalError("cannot run: " + command);
  }
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) {
    output += buffer;
  }
  const int status = ::pclose(pipe);
  if (status != 0) {
    return InternalError("failed (status " + std::to_string(status) + "): " + command +
                         "\n" + output);
  }
  return output;
}

}  // namespace cairn::testing
