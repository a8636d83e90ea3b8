// SPDX-License-Identifier: Apache-2.0
#include "cli/exit_codes.h"

#include <gtest/gtest.h>

namespace cairn::cli {
namespace {

TEST(ExitCodesTest, EachStatusCodeMapsToItsDocumentedExitStatus) {
  const struct {
    StatusCode code;
    int exit_code;
  } cases[] = {
      {StatusCode::kOk, 0},
      {StatusCode::kInvalidArgument, 2},
      {StatusCode::kNotFound, 3},
      {StatusCode::kFailedPrecondition, 4},
      {StatusCode::kDataLoss, 4},
      {StatusCode::kUnauthenticated, 5},
      {StatusCode::kPermissionDenied, 5},
      {StatusCode::kResourceExhausted, 6},
      {StatusCode::kUnavailable, 7},
      {StatusCode::kDeadlineExceeded, 7},
      {StatusCode::kAlreadyExists, 8},
      {StatusCode::kAborted, 8},
      {StatusCode::kUnimplemented, 9},
      {StatusCode::kInternal, 10},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(StatusCodeName(c.code));
    EXPECT_EQ(ExitCodeFor(c.code), c.exit_code);
  }
}

TEST(ExitCodesTest, HelpTextListsEveryExitStatus) {
  const std::string help = ExitCodeHelp();
  for (const char* line :
       {"  0   success", "  1   verify", "  2   usage", "  3   not found",
        "  4   the data", "  5   missing", "  6   a limit", "  7   network",
        "  8   conflict", "  9   not implemented", "  10  internal",
        "  130 interrupted"}) {
    SCOPED_TRACE(line);
    EXPECT_NE(help.find(line), std::string::npos);
  }
}

}  // namespace
}  // namespace cairn::cli
