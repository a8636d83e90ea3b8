// SPDX-License-Identifier: Apache-2.0
// Addressing and signing of S3 requests; pure, no network.
#include "cairn/storage/s3/s3_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::storage::s3 {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

credentials::AwsSettings Settings(std::string endpoint, std::string region = "") {
  credentials::AwsSettings settings;
  settings.credentials.access_key_id = "AKIDEXAMPLE";
  settings.credentials.secret_access_key = "secret";
  settings.region = std::move(region);
  settings.endpoint_url = std::move(endpoint);
  return settings;
}

TEST(S3RequestFactoryTest, CustomEndpointUsesPathStyleWithKeysEncodedOnce) {
  const Result<S3RequestFactory> factory =
      S3RequestFactory::Make(Settings("http://127.0.0.1:9000/"));
  ASSERT_OK(factory);

  const net::Request request = factory->Build(
      "GET",
      {.bucket = "b", .key = "a b/#?%/caf\xC3\xA9//x", .query = {{"versionId", "v+1"}}},
      "us-east-1");

  EXPECT_EQ(request.url,
            "http://127.0.0.1:9000/b/a%20b/%23%3F%25/caf%C3%A9//x?versionId=v%2B1");
  EXPECT_EQ(net::FindHeader(request.headers, "Host"), "127.0.0.1:9000");
  EXPECT_TRUE(factory->HasCustomEndpoint());
  EXPECT_EQ(factory->DefaultRegion(), "us-east-1");
}

TEST(S3RequestFactoryTest, AwsUsesVirtualHostsExceptForDottedBuckets) {
  const Result<S3RequestFactory> factory =
      S3RequestFactory::Make(Settings("", "eu-west-1"));
  ASSERT_OK(factory);

  const net::Request virtual_hosted =
      factory->Build("HEAD", {.bucket = "my-bucket", .key = "k/x y"}, "eu-west-1");
  const net::Request dotted =
      factory->Build("HEAD", {.bucket = "my.bucket", .key = "k"}, "eu-west-1");
  const net::Request listing = factory->Build(
      "GET", {.bucket = "my-bucket", .key = "", .query = {{"list-type", "2"}}},
      "eu-west-1");

  EXPECT_EQ(virtual_hosted.url, "https://my-bucket.s3.eu-west-1.amazonaws.com/k/x%20y");
  EXPECT_EQ(dotted.url, "https://s3.eu-west-1.amazonaws.com/my.bucket/k");
  EXPECT_EQ(listing.url, "https://my-bucket.s3.eu-west-1.amazonaws.com/?list-type=2");
  EXPECT_FALSE(factory->HasCustomEndpoint());
}

TEST(S3RequestFactoryTest, DefaultPortIsLeftOutOfTheHost) {
  const Result<S3RequestFactory> factory =
      S3RequestFactory::Make(Settings("https://minio.internal:443"));
  ASSERT_OK(factory);

  const net::Request request = factory->Build("GET", {.bucket = "b", .key = "k"}, "r");

  EXPECT_EQ(request.url, "https://minio.internal/b/k");
  EXPECT_EQ(net::FindHeader(request.headers, "Host"), "minio.internal");
}

TEST(S3RequestFactoryTest, SignerSignsEachAttemptWithTheRequestsRegion) {
  const Result<S3RequestFactory> factory =
      S3RequestFactory::Make(Settings("http://127.0.0.1:9000"));
  ASSERT_OK(factory);
  const net::Request request =
      factory->Build("GET", {.bucket = "b", .key = "k"}, "ap-south-1",
                     {{"If-Match", "\"e\""}, {"x-amz-meta-note", "n"}});
  ASSERT_TRUE(request.signer);

  const Result<net::Headers> headers = request.signer(request);

  ASSERT_OK(headers);
  const std::string authorization =
      net::FindHeader(*headers, "Authorization").value_or("");
  EXPECT_THAT(authorization, StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
  EXPECT_THAT(authorization,
              HasSubstr("/ap-south-1/s3/aws4_request, SignedHeaders=host;"
                        "x-amz-content-sha256;x-amz-date;x-amz-meta-note, Signature="));
  EXPECT_EQ(net::FindHeader(*headers, "X-Amz-Content-Sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(S3RequestFactoryTest, SessionTokenIsSentAndSigned) {
  credentials::AwsSettings settings = Settings("http://127.0.0.1:9000");
  settings.credentials.session_token = "token-value";
  const Result<S3RequestFactory> factory = S3RequestFactory::Make(settings);
  ASSERT_OK(factory);
  const net::Request request = factory->Build("GET", {.bucket = "b", .key = "k"}, "r");

  const Result<net::Headers> headers = request.signer(request);

  ASSERT_OK(headers);
  EXPECT_EQ(net::FindHeader(*headers, "X-Amz-Security-Token"), "token-value");
  EXPECT_THAT(net::FindHeader(*headers, "Authorization").value_or(""),
              HasSubstr("x-amz-date;x-amz-security-token, Signature="));
}

TEST(S3RequestFactoryTest, AnonymousRequestsAreUnsigned) {
  credentials::AwsSettings settings = Settings("http://127.0.0.1:9000");
  settings.credentials = credentials::AwsCredentials();
  const Result<S3RequestFactory> factory = S3RequestFactory::Make(settings);
  ASSERT_OK(factory);

  const net::Request request = factory->Build("GET", {.bucket = "b", .key = "k"}, "r");

  EXPECT_FALSE(request.signer);
  EXPECT_TRUE(factory->IsAnonymous());
}

TEST(S3RequestFactoryTest, PutBodyHashIsThePayloadHash) {
  const Result<S3RequestFactory> factory =
      S3RequestFactory::Make(Settings("http://127.0.0.1:9000"));
  ASSERT_OK(factory);
  const net::Request request =
      factory->Build("PUT", {.bucket = "b", .key = "k"}, "r", {}, "abc");

  const Result<net::Headers> headers = request.signer(request);

  ASSERT_OK(headers);
  EXPECT_EQ(request.body, "abc");
  EXPECT_EQ(net::FindHeader(*headers, "X-Amz-Content-Sha256"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(S3RequestFactoryTest, RejectsEndpointsThatAreNotHttpUrls) {
  for (const char* endpoint :
       {"127.0.0.1:9000", "ftp://host", "http://", "http://user:pw@host/"}) {
    SCOPED_TRACE(endpoint);
    EXPECT_THAT(S3RequestFactory::Make(Settings(endpoint)),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr("S3 endpoint")));
  }
}

TEST(S3RequestFactoryTest, RejectionNeverEchoesAPassword) {
  EXPECT_THAT(
      S3RequestFactory::Make(Settings("http://user:hunter2@host/")),
      StatusIs(StatusCode::kInvalidArgument, ::testing::Not(HasSubstr("hunter2"))));
}

}  // namespace
}  // namespace cairn::storage::s3
