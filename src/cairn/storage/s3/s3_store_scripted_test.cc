// SPDX-License-Identifier: Apache-2.0
// S3Store against a scripted HTTP server standing in for S3, for what moto cannot
// show: region discovery (moto ignores regions), resumed reads after a cut
// connection, and that no secret reaches a log line or an error.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "cairn/base/log.h"
#include "cairn/net/testing/scripted_http_server.h"
#include "cairn/storage/s3/s3_store.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage::s3 {
namespace {

using ::cairn::net::testing::ReceivedRequest;
using ::cairn::net::testing::ScriptedHttpServer;
using ::cairn::net::testing::ScriptedResponse;
using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET";
constexpr std::string_view kToken = "FQoGZXIvYXdzSESSIONTOKEN";

ScriptedResponse Answer(int status, std::string body = "", net::Headers headers = {}) {
  ScriptedResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

ScriptedResponse HeadOk() {
  return Answer(200, "12345",
                {{"ETag", "\"827ccb0eea8a706c4c34a16891f84e7b\""},
                 {"Last-Modified", "Fri, 04 Dec 2026 15:34:00 GMT"},
                 {"x-amz-version-id", "v9"}});
}

std::shared_ptr<S3Store> StoreFor(const ScriptedHttpServer& server,
                                  std::string region = "us-east-1") {
  S3StoreOptions options;
  options.settings.credentials.access_key_id = "AKIDEXAMPLE";
  options.settings.credentials.secret_access_key = std::string(kSecret);
  options.settings.credentials.session_token = std::string(kToken);
  options.settings.credentials.source = "test settings";
  options.settings.region = std::move(region);
  options.settings.endpoint_url = server.Url("");
  options.http.retry.base_delay = std::chrono::milliseconds(1);
  options.http.retry.max_delay = std::chrono::milliseconds(2);
  Result<std::shared_ptr<S3Store>> store = S3Store::Make(options);
  CAIRN_CHECK(store.ok());
  return *store;
}

ObjectRef Ref(std::string key) {
  uri::Uri uri;
  uri.scheme = "s3";
  uri.authority = "bucket";
  uri.path = std::move(key);
  return {.uri = std::move(uri), .version_id = "", .etag = ""};
}

std::string Authorization(const ReceivedRequest& request) {
  return net::FindHeader(request.headers, "Authorization").value_or("<none>");
}

TEST(S3StoreRegionTest, ResignsOnceForTheRegionS3NamesAndRemembersIt) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    if (index == 0) {
      return Answer(400,
                    "<Error><Code>AuthorizationHeaderMalformed</Code><Message>wrong "
                    "region</Message><Region>eu-west-1</Region><RequestId>R1</RequestId>"
                    "</Error>");
    }
    return HeadOk();
  });
  const std::shared_ptr<S3Store> store = StoreFor(server);
  StringSink first;
  StringSink second;

  ASSERT_OK(store->Read(Ref("k"), {}, first));
  ASSERT_OK(store->Read(Ref("k"), {}, second));

  EXPECT_EQ(first.data(), "12345");
  EXPECT_EQ(second.data(), "12345");
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_THAT(Authorization(requests[0]), HasSubstr("/us-east-1/s3/aws4_request"));
  EXPECT_THAT(Authorization(requests[1]), HasSubstr("/eu-west-1/s3/aws4_request"));
  EXPECT_THAT(Authorization(requests[2]), HasSubstr("/eu-west-1/s3/aws4_request"));
  EXPECT_EQ(requests[0].target, "/bucket/k");
}

TEST(S3StoreStatTest, StatReadsTheObjectsHeaders) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) { return HeadOk(); });
  const std::shared_ptr<S3Store> store = StoreFor(server);

  const Result<ObjectInfo> info = store->Stat(Ref("dir/k"));

  ASSERT_OK(info);
  EXPECT_EQ(info->key, "dir/k");
  EXPECT_EQ(info->size_bytes, 5);
  EXPECT_EQ(info->etag, "827ccb0eea8a706c4c34a16891f84e7b");
  EXPECT_EQ(info->md5_base64, "gnzLDuqKcGxMNKFokfhOew==");
  EXPECT_EQ(info->version_id, "v9");
  EXPECT_EQ(info->last_modified, "2026-12-04T15:34:00Z");
  EXPECT_EQ(server.Requests().at(0).method, "HEAD");
}

TEST(S3StoreRegionTest, FollowsTheBucketRegionHeaderOfA301) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    return index == 0 ? Answer(301, "", {{"x-amz-bucket-region", "ap-south-1"}})
                      : HeadOk();
  });
  const std::shared_ptr<S3Store> store = StoreFor(server);

  ASSERT_OK(store->Stat(Ref("k")));

  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_THAT(Authorization(requests[1]), HasSubstr("/ap-south-1/s3/aws4_request"));
}

TEST(S3StoreRegionTest, UndiscoverableRegionAsksTheUserToSetIt) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) {
    return Answer(301,
                  "<Error><Code>PermanentRedirect</Code><Endpoint>bucket.s3.example."
                  "com</Endpoint><RequestId>R7</RequestId></Error>");
  });
  const std::shared_ptr<S3Store> store = StoreFor(server);
  StringSink sink;

  EXPECT_THAT(store->Read(Ref("k"), {}, sink),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("reading s3://bucket/k: PermanentRedirect (301, "
                                       "request R7)"),
                             HasSubstr("set AWS_REGION to the bucket's region"))));
  EXPECT_EQ(server.Requests().size(), 1U);
}

TEST(S3StoreResumeTest, ReadResumesACutDownloadWithARangeAndIfMatch) {
  const std::string content(1000, 'q');
  ScriptedHttpServer server([&](const ReceivedRequest&, int index) {
    if (index == 0) {
      ScriptedResponse cut = Answer(200, content, {{"ETag", "\"etag1\""}});
      cut.truncate_after = 300;
      return cut;
    }
    return Answer(206, content.substr(300),
                  {{"ETag", "\"etag1\""}, {"Content-Range", "bytes 300-999/1000"}});
  });
  const std::shared_ptr<S3Store> store = StoreFor(server);
  StringSink sink;

  ASSERT_OK(store->Read(Ref("big"), {}, sink));

  EXPECT_EQ(sink.data(), content);
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(net::FindHeader(requests[1].headers, "Range"), "bytes=300-");
  EXPECT_EQ(net::FindHeader(requests[1].headers, "If-Match"), "\"etag1\"");
  EXPECT_THAT(Authorization(requests[1]), HasSubstr("/us-east-1/s3/aws4_request"));
}

TEST(S3StoreSecretsTest, NoSecretReachesLogsOrErrors) {
  ScriptedHttpServer server([](const ReceivedRequest& request, int) {
    if (request.method == "HEAD") {
      return Answer(503);
    }
    return Answer(403,
                  "<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message>"
                  "<RequestId>R2</RequestId></Error>");
  });
  const std::shared_ptr<S3Store> store = StoreFor(server);
  std::ostringstream captured;
  const auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  const auto net_logger = log::Get("net");
  const auto s3_logger = log::Get("storage.s3");
  net_logger->sinks().push_back(sink);
  s3_logger->sinks().push_back(sink);
  log::SetLevel(log::Level::kTrace);

  const Result<ObjectInfo> stat = store->Stat(Ref("k"));
  StringSink bytes;
  const Status read = store->Read(Ref("k"), {}, bytes);
  const Status list =
      store->List(Ref("p/").uri, {}, [](const ObjectInfo&) { return Status::Ok(); });

  log::SetLevel(log::Level::kWarn);
  net_logger->sinks().pop_back();
  s3_logger->sinks().pop_back();
  EXPECT_THAT(stat, StatusIs(StatusCode::kUnavailable, HasSubstr("(503")));
  EXPECT_THAT(read, StatusIs(StatusCode::kUnauthenticated,
                             HasSubstr("check AWS_SECRET_ACCESS_KEY")));
  EXPECT_FALSE(list.ok());
  const std::string everything =
      captured.str() + stat.status().message() + read.message() + list.message();
  EXPECT_THAT(everything, HasSubstr("Authorization: REDACTED"));
  EXPECT_THAT(everything, HasSubstr("X-Amz-Security-Token: REDACTED"));
  EXPECT_THAT(everything, AllOf(Not(HasSubstr(kSecret)), Not(HasSubstr(kToken))));
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(net::FindHeader(requests[0].headers, "X-Amz-Security-Token"), kToken)
      << "the token is sent, only never printed";
}

}  // namespace
}  // namespace cairn::storage::s3
