// SPDX-License-Identifier: Apache-2.0
#include "cairn/base/status.h"

#include <gtest/gtest.h>

#include "cairn/base/result.h"
#include "cairn/testing/status_matchers.h"

namespace cairn {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::Eq;

Result<int> ParsePositive(int value) {
  if (value <= 0) {
    return InvalidArgumentError("value must be positive");
  }
  return value;
}

Result<int> Doubled(int value) {
  CAIRN_ASSIGN_OR_RETURN(int parsed, ParsePositive(value));
  return parsed * 2;
}

Status CheckPositive(int value) {
  CAIRN_RETURN_IF_ERROR(ParsePositive(value).status());
  return Status::Ok();
}

TEST(StatusTest, DefaultIsOk) {
  const Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.ToString(), "ok");
}

TEST(StatusTest, WithContextPrefixesMessageAndKeepsCode) {
  const Status status = NotFoundError("no such key").WithContext("reading s3://b/k");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "reading s3://b/k: no such key");
  EXPECT_EQ(status.ToString(), "not_found: reading s3://b/k: no such key");
}

TEST(StatusTest, WithContextLeavesOkAlone) {
  EXPECT_TRUE(Status::Ok().WithContext("anything").ok());
}

TEST(StatusTest, OnlyNetworkCodesAreRetryable) {
  EXPECT_TRUE(IsRetryable(StatusCode::kUnavailable));
  EXPECT_TRUE(IsRetryable(StatusCode::kDeadlineExceeded));
  EXPECT_FALSE(IsRetryable(StatusCode::kNotFound));
  EXPECT_FALSE(IsRetryable(StatusCode::kPermissionDenied));
}

TEST(ResultTest, AssignOrReturnPropagatesValueAndError) {
  EXPECT_EQ(Doubled(21).value(), 42);
  EXPECT_THAT(Doubled(-1),
              StatusIs(StatusCode::kInvalidArgument, Eq("value must be positive")));
}

TEST(ResultTest, ReturnIfErrorStopsAtFirstError) {
  EXPECT_TRUE(CheckPositive(3).ok());
  EXPECT_EQ(CheckPositive(0).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cairn
