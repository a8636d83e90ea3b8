// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/local/local_errors.h"

#include <cerrno>
#include <vector>

#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::storage::local::internal {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

TEST(LocalErrorsTest, ErrnoMapsToTheCodeACallerActsOn) {
  const std::vector<std::pair<int, StatusCode>> cases = {
      {ENOENT, StatusCode::kNotFound},         {ENOTDIR, StatusCode::kNotFound},
      {EACCES, StatusCode::kPermissionDenied}, {EPERM, StatusCode::kPermissionDenied},
      {ELOOP, StatusCode::kInvalidArgument},   {EIO, StatusCode::kUnavailable},
      {EMFILE, StatusCode::kUnavailable},      {ESTALE, StatusCode::kUnavailable},
      {EBADF, StatusCode::kInternal},          {EINVAL, StatusCode::kInternal},
  };
  for (const auto& [error, code] : cases) {
    SCOPED_TRACE(error);
    EXPECT_THAT(ErrnoToStatus(error, "reading", "/data/x"),
                StatusIs(code, HasSubstr("reading /data/x: ")));
  }
}

TEST(LocalErrorsTest, MessageCarriesTheSystemText) {
  EXPECT_EQ(ErrnoToStatus(ENOENT, "opening", "/a b").message(),
            "opening /a b: No such file or directory");
  EXPECT_THAT(ErrnoToStatus(EACCES, "opening", "/p"),
              StatusIs(StatusCode::kPermissionDenied, HasSubstr("grant this user read")));
}

}  // namespace
}  // namespace cairn::storage::local::internal
