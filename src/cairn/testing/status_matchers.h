// SPDX-License-Identifier: Apache-2.0
// GoogleTest helpers for Status and Result: ASSERT_OK, EXPECT_OK and StatusIs.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/base/result.h"
#include "cairn/base/status.h"

namespace cairn::testing {

inline const Status& GetStatus(const Status& status) {
  return status;
}
template <typename T>
const Status& GetStatus(const Result<T>& result) {
  return result.status();
}

/// Matches a Status or Result whose code is `code` and whose message matches
/// `message_matcher` (any string matcher, e.g. HasSubstr("versionId")).
MATCHER_P2(StatusIs, code, message_matcher,
           "has code " + std::string(StatusCodeName(code)) + " and a matching message") {
  const Status& status = GetStatus(arg);
  *result_listener << "whose status is " << status.ToString();
  return status.code() == code && ::testing::ExplainMatchResult(
                                      message_matcher, status.message(), result_listener);
}

}  // namespace cairn::testing

#define EXPECT_OK(expr)                               \
  EXPECT_TRUE(::cairn::testing::GetStatus(expr).ok()) \
      << ::cairn::testing::GetStatus(expr).ToString()
#define ASSERT_OK(expr)                               \
  ASSERT_TRUE(::cairn::testing::GetStatus(expr).ok()) \
      << ::cairn::testing::GetStatus(expr).ToString()
