// SPDX-License-Identifier: Apache-2.0
// GcsStore against a scripted server on 127.0.0.1 that plays both the token
// endpoint and GCS, for what the emulator cannot show: Authorization headers, a
// refused token replaced once, and the request URLs.
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include "cairn/base/log.h"
#include "cairn/net/testing/scripted_http_server.h"
#include "cairn/storage/gcs/gcs_store.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage::gcs {
namespace {

using ::cairn::net::testing::ReceivedRequest;
using ::cairn::net::testing::ScriptedHttpServer;
using ::cairn::net::testing::ScriptedResponse;
using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;
using Json = nlohmann::json;

ScriptedResponse JsonAnswer(int status, const Json& body) {
  ScriptedResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"}};
  response.body = body.dump();
  return response;
}

Json ObjectJson() {
  return {{"name", "dir/a b.txt"},
          {"size", "5"},
          {"md5Hash", "XUFAKrxLKna5cZ2REBfFkg=="},
          {"crc32c", "mnG7TA=="},
          {"etag", "CKih16GjycICEAE="},
          {"generation", "42"},
          {"updated", "2026-12-04T16:39:16.432Z"}};
}

// Tokens are "tok-1", "tok-2", ... in order of request; GCS accepts only `good`.
class ScriptedGcs {
 public:
  explicit ScriptedGcs(std::string good)
      : good_(std::move(good)),
        server_([this](const ReceivedRequest& request, int) { return Answer(request); }) {
  }

  std::shared_ptr<GcsStore> Store(bool with_credentials) {
    GcsStoreOptions options;
    options.endpoint = "127.0.0.1:" + std::to_string(server_.Port());
    options.http.retry.base_delay = std::chrono::milliseconds(1);
    if (with_credentials) {
      credentials::GcpCredentials user;
      user.kind = credentials::GcpCredentials::Kind::kAuthorizedUser;
      user.source = "test user";
      user.client_id = "c";
      user.client_secret = "testing";
      user.refresh_token = "testing";
      user.token_uri = server_.Url("/token");
      options.tokens = std::make_shared<credentials::GcpTokenSource>(user);
    }
    Result<std::shared_ptr<GcsStore>> store = GcsStore::Make(std::move(options));
    CAIRN_CHECK(store.ok());
    return *store;
  }

  std::vector<ReceivedRequest> GcsRequests() const {
    std::vector<ReceivedRequest> out;
    for (ReceivedRequest& request : server_.Requests()) {
      if (request.target != "/token") {
        out.push_back(std::move(request));
      }
    }
    return out;
  }

 private:
  ScriptedResponse Answer(const ReceivedRequest& request) {
    if (request.target == "/token") {
      return JsonAnswer(200, {{"access_token", "tok-" + std::to_string(++tokens_)},
                              {"expires_in", 3600}});
    }
    const auto authorization = net::FindHeader(request.headers, "Authorization");
    if (authorization.has_value() && *authorization != "Bearer " + good_) {
      return JsonAnswer(401, {{"error",
                               {{"code", 401},
                                {"message", "Invalid Credentials"},
                                {"errors", {{{"reason", "authError"}}}}}}});
    }
    return JsonAnswer(200, ObjectJson());
  }

  std::string good_;
  std::atomic<int> tokens_{0};
  ScriptedHttpServer server_;
};

uri::Uri GsUri(std::string key) {
  uri::Uri uri;
  uri.scheme = "gs";
  uri.authority = "bkt";
  uri.path = std::move(key);
  return uri;
}

TEST(GcsStoreScriptedTest, StatSendsTheBearerTokenAndEncodesTheName) {
  ScriptedGcs gcs("tok-1");

  const Result<ObjectInfo> info = gcs.Store(true)->Stat(
      {.uri = GsUri("dir/a b.txt"), .version_id = "42", .etag = ""});

  ASSERT_OK(info);
  EXPECT_EQ(info->uri, GsUri("dir/a b.txt"));
  EXPECT_EQ(info->version_id, "42");
  EXPECT_EQ(info->etag, "CKih16GjycICEAE=");
  EXPECT_EQ(info->md5_base64, "XUFAKrxLKna5cZ2REBfFkg==");
  EXPECT_EQ(info->crc32c_base64, "mnG7TA==");
  EXPECT_EQ(info->last_modified, "2026-12-04T16:39:16Z");
  const std::vector<ReceivedRequest> requests = gcs.GcsRequests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].target, "/storage/v1/b/bkt/o/dir%2Fa%20b.txt?generation=42");
  EXPECT_EQ(net::FindHeader(requests[0].headers, "Authorization"), "Bearer tok-1");
}

TEST(GcsStoreScriptedTest, RefusedTokenIsReplacedOnce) {
  ScriptedGcs gcs("tok-2");

  const Result<ObjectInfo> info =
      gcs.Store(true)->Stat({.uri = GsUri("k"), .version_id = "", .etag = ""});

  ASSERT_OK(info);
  const std::vector<ReceivedRequest> requests = gcs.GcsRequests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(net::FindHeader(requests[0].headers, "Authorization"), "Bearer tok-1");
  EXPECT_EQ(net::FindHeader(requests[1].headers, "Authorization"), "Bearer tok-2");
}

TEST(GcsStoreScriptedTest, TraceLogsNeverShowTokensOrTheClientSecret) {
  ScriptedGcs gcs("tok-2");
  std::ostringstream captured;
  const auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  const std::vector<std::string> modules = {"net", "credentials", "storage.gcs"};
  for (const std::string& module : modules) {
    log::Get(module)->sinks().push_back(sink);
  }
  log::SetLevel(log::Level::kTrace);

  const Result<ObjectInfo> info =
      gcs.Store(true)->Stat({.uri = GsUri("k"), .version_id = "", .etag = ""});

  log::SetLevel(log::Level::kWarn);
  for (const std::string& module : modules) {
    log::Get(module)->sinks().pop_back();
  }
  ASSERT_OK(info);
  const std::string text = captured.str();
  EXPECT_THAT(text, HasSubstr("Authorization: REDACTED"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("tok-1")));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("tok-2")));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("testing")));
}

TEST(GcsStoreScriptedTest, TokenRefusedTwiceIsUnauthenticatedWithoutTheToken) {
  ScriptedGcs gcs("never");

  const Result<ObjectInfo> info =
      gcs.Store(true)->Stat({.uri = GsUri("k"), .version_id = "", .etag = ""});

  EXPECT_THAT(info, StatusIs(StatusCode::kUnauthenticated,
                             HasSubstr("stating gs://bkt/k: authError (401)")));
  EXPECT_THAT(info.status().message(), ::testing::Not(HasSubstr("tok-")));
  EXPECT_EQ(gcs.GcsRequests().size(), 2U);
}

TEST(GcsStoreScriptedTest, AnonymousSendsNoAuthorization) {
  ScriptedGcs gcs("unused");

  ASSERT_OK(gcs.Store(false)->Stat({.uri = GsUri("k"), .version_id = "", .etag = ""}));

  const std::vector<ReceivedRequest> requests = gcs.GcsRequests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(net::FindHeader(requests[0].headers, "Authorization"), std::nullopt);
}

TEST(GcsStoreMakeTest, EndpointFormsAreNormalisedOrRefused) {
  for (const auto& [given, expected] : std::vector<std::pair<std::string, std::string>>{
           {"127.0.0.1:4443", "http://127.0.0.1:4443"},
           {"http://127.0.0.1:4443/", "http://127.0.0.1:4443"},
           {"https://storage.example", "https://storage.example"}}) {
    SCOPED_TRACE(given);
    const Result<std::shared_ptr<GcsStore>> store = GcsStore::Make({.endpoint = given});
    ASSERT_OK(store);
    EXPECT_EQ((*store)->Endpoint(), expected);
  }
  for (const char* bad : {"ftp://host", "http://", "http://host/path", "http://u@h"}) {
    SCOPED_TRACE(bad);
    EXPECT_THAT(
        GcsStore::Make({.endpoint = bad}),
        StatusIs(StatusCode::kInvalidArgument, HasSubstr("fix STORAGE_EMULATOR_HOST")));
  }
}

}  // namespace
}  // namespace cairn::storage::gcs
