// SPDX-License-Identifier: Apache-2.0
// The GCS error table, on error bodies recorded from fake-gcs-server 1.56.1 and
// bodies in GCS's documented shape
// (https://cloud.google.com/storage/docs/json_api/v1/status-codes).
#include "cairn/storage/gcs/gcs_errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::storage::gcs {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

std::string ErrorJson(int code, std::string_view reason, std::string_view message) {
  return R"({"error":{"code":)" + std::to_string(code) + R"(,"message":")" +
         std::string(message) + R"(","errors":[{"domain":"global","reason":")" +
         std::string(reason) + R"(","message":")" + std::string(message) + R"("}]}})";
}

GcsFailure Failure(int http_status, std::string_view body) {
  GcsFailure failure;
  failure.action = "reading";
  failure.uri = "gs://bucket/data/a.txt";
  failure.http_status = http_status;
  failure.body = ParseErrorBody(body);
  failure.credentials_source = "GOOGLE_APPLICATION_CREDENTIALS /k.json";
  return failure;
}

TEST(GcsFailureToStatusTest, MapsEachStatusToItsCode) {
  struct Case {
    int http_status;
    std::string reason;
    StatusCode expected;
  };
  const std::vector<Case> cases = {
      {404, "notFound", StatusCode::kNotFound},
      {401, "required", StatusCode::kUnauthenticated},
      {401, "authError", StatusCode::kUnauthenticated},
      {403, "forbidden", StatusCode::kPermissionDenied},
      {412, "conditionNotMet", StatusCode::kFailedPrecondition},
      {429, "rateLimitExceeded", StatusCode::kUnavailable},
      {500, "backendError", StatusCode::kUnavailable},
      {503, "backendError", StatusCode::kUnavailable},
      {408, "requestTimeout", StatusCode::kDeadlineExceeded},
      {416, "requestedRangeNotSatisfiable", StatusCode::kInvalidArgument},
      {400, "invalid", StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    const Status with_body = GcsFailureToStatus(
        Failure(c.http_status, ErrorJson(c.http_status, c.reason, "m")));
    const Status bare = GcsFailureToStatus(Failure(c.http_status, ""));
    EXPECT_EQ(with_body.code(), c.expected) << with_body.ToString();
    EXPECT_EQ(bare.code(), c.expected) << bare.ToString();
  }
}

TEST(GcsFailureToStatusTest, MessageNamesActionUriReasonStatusAndFix) {
  const Status status = GcsFailureToStatus(Failure(
      403, ErrorJson(403, "forbidden",
                     "reader@p.iam.gserviceaccount.com does not have "
                     "storage.objects.get access to the Google Cloud Storage object.")));

  EXPECT_EQ(status.message(),
            "reading gs://bucket/data/a.txt: forbidden (403): the credentials (from "
            "GOOGLE_APPLICATION_CREDENTIALS /k.json) are not allowed to do this; grant "
            "them storage.objects.get and storage.objects.list on the bucket (role "
            "Storage Object Viewer)");
}

TEST(GcsFailureToStatusTest, RecordedFakeGcsNotFoundSaysNoObject) {
  const Status status = GcsFailureToStatus(Failure(
      404, R"({"error":{"code":404,"message":"Not Found","errors":[{"domain":"global",)"
           R"("reason":"notFound","message":"Not Found"}]}})"));

  EXPECT_EQ(status.message(),
            "reading gs://bucket/data/a.txt: notFound (404): no object has this name (or "
            "the bucket does not exist)");
}

TEST(GcsFailureToStatusTest, PinnedGenerationThatIsGoneSaysSo) {
  GcsFailure failure = Failure(404, "Not Found\n");
  failure.generation = "1796402356432497";

  EXPECT_THAT(GcsFailureToStatus(failure),
              StatusIs(StatusCode::kNotFound,
                       AllOf(HasSubstr("reading gs://bucket/data/a.txt: notFound (404)"),
                             HasSubstr("generation 1796402356432497 of this object is "
                                       "gone"),
                             HasSubstr("the live object is not read in its place"))));
}

TEST(GcsFailureToStatusTest, MissingBucketIsNamed) {
  EXPECT_THAT(
      GcsFailureToStatus(Failure(
          404, ErrorJson(404, "notFound", "The specified bucket does not exist."))),
      StatusIs(StatusCode::kNotFound, HasSubstr("the bucket does not exist;")));
}

TEST(GcsFailureToStatusTest, AnonymousRefusalAsksForCredentials) {
  GcsFailure failure =
      Failure(403, ErrorJson(403, "forbidden", "Anonymous caller does not have access."));
  failure.anonymous = true;

  EXPECT_THAT(GcsFailureToStatus(failure),
              StatusIs(StatusCode::kUnauthenticated,
                       AllOf(HasSubstr("sent anonymously"),
                             HasSubstr("set GOOGLE_APPLICATION_CREDENTIALS"))));
}

TEST(GcsFailureToStatusTest, UnauthenticatedNamesTheCredentialsSource) {
  EXPECT_THAT(
      GcsFailureToStatus(
          Failure(401, ErrorJson(401, "authError", "Invalid Credentials"))),
      StatusIs(StatusCode::kUnauthenticated,
               AllOf(HasSubstr("authError (401)"),
                     HasSubstr("(from GOOGLE_APPLICATION_CREDENTIALS /k.json)"))));
}

TEST(GcsFailureToStatusTest, UnknownRefusalQuotesGcsButKnownOnesDoNot) {
  EXPECT_THAT(GcsFailureToStatus(Failure(400, ErrorJson(400, "invalid", "Bad range"))),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("(\"Bad range\")")));
  EXPECT_THAT(GcsFailureToStatus(Failure(412, ErrorJson(412, "conditionNotMet", "zzz")))
                  .message(),
              Not(HasSubstr("zzz")));
}

}  // namespace
}  // namespace cairn::storage::gcs
