// SPDX-License-Identifier: Apache-2.0
#include "cairn/base/result.h"

#include <cstdio>

namespace cairn::internal {

void CheckFailed(const char* file, int line, const char* what) {
  std::fprintf(stderr, "cairn: internal check failed at %s:%d: %s\n", file, line, what);
  std::abort();
}

}  // namespace cairn::internal
