// SPDX-License-Identifier: Apache-2.0
// The S3 error table, checked on recorded error bodies.
#include "cairn/storage/s3/s3_errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::storage::s3 {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

S3Failure Failure(int http_status, std::string_view body) {
  S3Failure failure;
  failure.action = "reading";
  failure.uri = "s3://bucket/data/a.txt";
  failure.permission = "s3:GetObject";
  failure.http_status = http_status;
  failure.body = ParseErrorBody(body);
  failure.request_id = "HDR-ID";
  failure.signed_region = "us-east-1";
  failure.credentials_source = "environment";
  return failure;
}

std::string ErrorXml(std::string_view code, std::string_view extra = "") {
  return "<Error><Code>" + std::string(code) + "</Code><Message>S3 says so</Message>" +
         std::string(extra) + "<RequestId>4F2A</RequestId></Error>";
}

TEST(S3FailureToStatusTest, MapsEachProviderCodeToItsStatusCode) {
  struct Case {
    int http_status;
    std::string code;
    StatusCode expected;
  };
  const std::vector<Case> cases = {
      {404, "NoSuchKey", StatusCode::kNotFound},
      {404, "NoSuchVersion", StatusCode::kNotFound},
      {404, "NoSuchBucket", StatusCode::kNotFound},
      {400, "NoSuchVersion", StatusCode::kNotFound},
      {403, "AccessDenied", StatusCode::kPermissionDenied},
      {403, "InvalidAccessKeyId", StatusCode::kUnauthenticated},
      {403, "SignatureDoesNotMatch", StatusCode::kUnauthenticated},
      {400, "ExpiredToken", StatusCode::kUnauthenticated},
      {412, "PreconditionFailed", StatusCode::kFailedPrecondition},
      {503, "SlowDown", StatusCode::kUnavailable},
      {500, "InternalError", StatusCode::kUnavailable},
      {503, "ServiceUnavailable", StatusCode::kUnavailable},
      {400, "RequestTimeout", StatusCode::kDeadlineExceeded},
      {301, "PermanentRedirect", StatusCode::kInvalidArgument},
      {400, "AuthorizationHeaderMalformed", StatusCode::kInvalidArgument},
      {501, "NotImplemented", StatusCode::kUnimplemented},
      {416, "InvalidRange", StatusCode::kInvalidArgument},
      {400, "InvalidArgument", StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.code);
    const Status status = S3FailureToStatus(Failure(c.http_status, ErrorXml(c.code)));
    EXPECT_EQ(status.code(), c.expected) << status.ToString();
  }
}

TEST(S3FailureToStatusTest, MapsBareStatusesOfHeadResponses) {
  struct Case {
    int http_status;
    StatusCode expected;
  };
  const std::vector<Case> cases = {
      {404, StatusCode::kNotFound},        {403, StatusCode::kPermissionDenied},
      {401, StatusCode::kUnauthenticated}, {412, StatusCode::kFailedPrecondition},
      {429, StatusCode::kUnavailable},     {500, StatusCode::kUnavailable},
      {502, StatusCode::kUnavailable},     {408, StatusCode::kDeadlineExceeded},
      {301, StatusCode::kInvalidArgument}, {400, StatusCode::kInvalidArgument},
      {501, StatusCode::kUnimplemented},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.http_status);
    const Status status = S3FailureToStatus(Failure(c.http_status, ""));
    EXPECT_EQ(status.code(), c.expected) << status.ToString();
  }
}

TEST(S3FailureToStatusTest, MessageNamesActionUriCodeStatusRequestAndFix) {
  const Status status = S3FailureToStatus(Failure(403, ErrorXml("AccessDenied")));

  EXPECT_EQ(status.message(),
            "reading s3://bucket/data/a.txt: AccessDenied (403, request 4F2A): the "
            "credentials (from environment) are not allowed s3:GetObject");
}

TEST(S3FailureToStatusTest, BareHeadResponseUsesHeaderRequestId) {
  const Status status = S3FailureToStatus(Failure(404, ""));

  EXPECT_EQ(status.message(),
            "reading s3://bucket/data/a.txt: NotFound (404, request HDR-ID): no object "
            "has this key (or the bucket or version does not exist)");
}

TEST(S3FailureToStatusTest, NoSuchBucketAndNoSuchVersionSayWhatIsMissing) {
  EXPECT_THAT(S3FailureToStatus(Failure(404, ErrorXml("NoSuchBucket"))),
              StatusIs(StatusCode::kNotFound, HasSubstr("the bucket does not exist")));
  EXPECT_THAT(S3FailureToStatus(Failure(404, ErrorXml("NoSuchVersion"))),
              StatusIs(StatusCode::kNotFound, HasSubstr("pinned version")));
}

TEST(S3FailureToStatusTest, AnonymousRefusalAsksForCredentials) {
  S3Failure failure = Failure(403, ErrorXml("AccessDenied"));
  failure.anonymous = true;

  EXPECT_THAT(S3FailureToStatus(failure),
              StatusIs(StatusCode::kUnauthenticated,
                       AllOf(HasSubstr("sent anonymously"),
                             HasSubstr("set AWS_ACCESS_KEY_ID and "
                                       "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"))));
}

TEST(S3FailureToStatusTest, SignatureMismatchPointsAtTheSecret) {
  EXPECT_THAT(S3FailureToStatus(Failure(403, ErrorXml("SignatureDoesNotMatch"))),
              StatusIs(StatusCode::kUnauthenticated,
                       AllOf(HasSubstr("SignatureDoesNotMatch (403, request 4F2A)"),
                             HasSubstr("check AWS_SECRET_ACCESS_KEY"))));
  EXPECT_THAT(S3FailureToStatus(Failure(400, ErrorXml("ExpiredToken"))),
              StatusIs(StatusCode::kUnauthenticated, HasSubstr("expired")));
}

TEST(S3FailureToStatusTest, WrongRegionNamesTheBucketsRegion) {
  S3Failure from_header = Failure(301, "");
  from_header.bucket_region = "eu-west-1";
  EXPECT_THAT(S3FailureToStatus(from_header),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("the bucket lives in region eu-west-1, not us-east-1; "
                                 "set AWS_REGION=eu-west-1")));

  const S3Failure from_body = Failure(
      400, ErrorXml("AuthorizationHeaderMalformed", "<Region>ap-south-1</Region>"));
  EXPECT_THAT(S3FailureToStatus(from_body),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("AWS_REGION=ap-south-1")));

  const S3Failure unknown = Failure(
      301, ErrorXml("PermanentRedirect", "<Endpoint>b.s3.example.com</Endpoint>"));
  EXPECT_THAT(S3FailureToStatus(unknown),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("set AWS_REGION to the bucket's region"),
                             HasSubstr("b.s3.example.com"))));
}

TEST(S3FailureToStatusTest, PreconditionFailedSaysTheObjectChanged) {
  EXPECT_THAT(S3FailureToStatus(Failure(412, ErrorXml("PreconditionFailed"))),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("changed since it was recorded")));
}

TEST(RegionFromFailureTest, IgnoresTheRegionThatWasSignedFor) {
  S3Failure failure = Failure(400, "");
  failure.bucket_region = "us-east-1";
  EXPECT_EQ(RegionFromFailure(failure), "");

  failure.bucket_region = "eu-central-1";
  EXPECT_EQ(RegionFromFailure(failure), "eu-central-1");
}

TEST(S3FailureToStatusTest, MessageNeverCarriesTheProviderMessageOfKnownCodes) {
  const Status status =
      S3FailureToStatus(Failure(403, ErrorXml("SignatureDoesNotMatch")));
  EXPECT_THAT(status.message(), Not(HasSubstr("S3 says so")));
}

}  // namespace
}  // namespace cairn::storage::s3
