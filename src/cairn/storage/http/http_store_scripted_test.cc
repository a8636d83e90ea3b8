// SPDX-License-Identifier: Apache-2.0
// HttpStore against scripted servers on 127.0.0.1, for what nginx cannot show:
// which headers reach which host after a redirect, servers that ignore If-Match or
// Range or answer HEAD without a length, retried 5xx, a refused connection, and
// that signed query strings never reach an error or a log line.
//
// "Another host" is another origin: scheme, host name and port. Two scripted
// servers on 127.0.0.1 with different ports are two origins, and so are
// 127.0.0.1:P and localhost:P, although both reach the same socket.
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "cairn/base/log.h"
#include "cairn/net/testing/scripted_http_server.h"
#include "cairn/storage/http/http_store.h"
#include "cairn/storage/http/http_url.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage::http {
namespace {

using ::cairn::net::testing::ReceivedRequest;
using ::cairn::net::testing::ScriptedHttpServer;
using ::cairn::net::testing::ScriptedResponse;
using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecrets[] = "X-Amz-Signature=s3cr3t-sig&sig=sas-s3cr3t&id=7";

uri::Uri MustParse(const std::string& text) {
  auto uri = uri::Uri::Parse(text);
  EXPECT_OK(uri);
  return uri.ok() ? *uri : uri::Uri{};
}

ObjectRef Ref(const std::string& url, std::string etag = "") {
  return {.uri = MustParse(url), .version_id = "", .etag = std::move(etag)};
}

ScriptedResponse File(std::string body, std::string etag = "\"e1\"") {
  ScriptedResponse response;
  response.headers = {{"Last-Modified", "Fri, 04 Dec 2026 18:15:55 GMT"}};
  if (!etag.empty()) {
    response.headers.emplace_back("ETag", std::move(etag));
  }
  response.body = std::move(body);
  return response;
}

ScriptedResponse Redirect(int status, std::string location) {
  ScriptedResponse response;
  response.status = status;
  response.headers = {{"Location", std::move(location)}};
  return response;
}

ScriptedResponse Answer(int status) {
  ScriptedResponse response;
  response.status = status;
  response.body = "status " + std::to_string(status);
  return response;
}

std::shared_ptr<HttpStore> MakeStore(const std::string& credential_origin = "",
                                     int max_attempts = 3) {
  HttpStoreOptions options;
  options.http.retry.base_delay = std::chrono::milliseconds(1);
  options.http.retry.max_attempts = max_attempts;
  options.http.connect_timeout_ms = 2000;
  options.origin = credential_origin;
  options.origin_headers = {{"Authorization", "Bearer tok-s3cr3t"},
                            {"X-Custom", "custom-value"}};
  return std::make_shared<HttpStore>("http", std::move(options));
}

Result<std::string> ReadAll(HttpStore& store, const ObjectRef& ref,
                            const ReadOptions& options = {}) {
  StringSink sink;
  CAIRN_RETURN_IF_ERROR(store.Read(ref, options, sink));
  return sink.data();
}

bool HasHeader(const ReceivedRequest& request, const std::string& name) {
  return net::FindHeader(request.headers, name).has_value();
}

TEST(HttpStoreScriptedTest, RedirectToAnotherPortDropsCredentialsAndCustomHeaders) {
  ScriptedHttpServer other([](const ReceivedRequest&, int) { return File("moved"); });
  ScriptedHttpServer origin([&](const ReceivedRequest& request, int) {
    return Redirect(302, other.Url(request.target));
  });
  const std::string url = origin.Url("/f.bin?x=1");
  const auto store = MakeStore(Origin(url));

  const Result<ObjectInfo> info = store->Stat(Ref(url));
  const Result<std::string> bytes = ReadAll(*store, Ref(url));

  ASSERT_OK(info);
  EXPECT_EQ(info->uri, MustParse(url));  // the original URL is what is recorded
  EXPECT_EQ(info->size_bytes, 5);
  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "moved");
  for (const ReceivedRequest& request : origin.Requests()) {
    EXPECT_EQ(net::FindHeader(request.headers, "Authorization"), "Bearer tok-s3cr3t");
    EXPECT_EQ(net::FindHeader(request.headers, "X-Custom"), "custom-value");
  }
  ASSERT_EQ(other.Requests().size(), 2U);
  for (const ReceivedRequest& request : other.Requests()) {
    EXPECT_EQ(request.target, "/f.bin?x=1");
    EXPECT_FALSE(HasHeader(request, "Authorization"));
    EXPECT_FALSE(HasHeader(request, "X-Custom"));
  }
}

TEST(HttpStoreScriptedTest, RedirectToLocalhostByNameCountsAsAnotherHost) {
  int port = 0;
  ScriptedHttpServer server([&](const ReceivedRequest& request, int) {
    if (request.target == "/start") {
      return Redirect(307, "http://localhost:" + std::to_string(port) + "/end");
    }
    return File("end");
  });
  port = server.Port();
  const auto store = MakeStore(Origin(server.Url("/")));

  const Result<std::string> bytes = ReadAll(*store, Ref(server.Url("/start")));

  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "end");
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_TRUE(HasHeader(requests[0], "Authorization"));
  EXPECT_EQ(requests[1].target, "/end");
  EXPECT_FALSE(HasHeader(requests[1], "Authorization"));
  EXPECT_FALSE(HasHeader(requests[1], "X-Custom"));
}

TEST(HttpStoreScriptedTest, RedirectWithinTheOriginKeepsCredentials) {
  ScriptedHttpServer server([](const ReceivedRequest& request, int) {
    return request.target == "/a" ? Redirect(301, "b") : File("bee");
  });
  const auto store = MakeStore(Origin(server.Url("/")));

  const Result<std::string> bytes = ReadAll(*store, Ref(server.Url("/a")));

  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "bee");
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[1].target, "/b");
  EXPECT_TRUE(HasHeader(requests[1], "Authorization"));
}

TEST(HttpStoreScriptedTest, RedirectLoopStopsAfterTheBound) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    return Redirect(302, "/hop" + std::to_string(index + 1));
  });
  const auto store = MakeStore();

  EXPECT_THAT(store->Stat(Ref(server.Url("/hop0"))),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("more than 8 redirects (the last to " +
                                 server.Url("/hop8") + ")")));
  EXPECT_EQ(server.Requests().size(), 9U);
}

TEST(HttpStoreScriptedTest, QueryIsSentAndReportedAndTheFragmentIsNot) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) { return File("q"); });
  const std::string url = server.Url("/f?a=1&b=x%2By#part");

  const Result<ObjectInfo> info = MakeStore()->Stat(Ref(url));

  ASSERT_OK(info);
  EXPECT_EQ(info->uri, MustParse(server.Url("/f?a=1&b=x%2By")));
  EXPECT_EQ(info->etag, "e1");
  EXPECT_EQ(info->last_modified, "2026-12-04T18:15:55Z");
  ASSERT_EQ(server.Requests().size(), 1U);
  EXPECT_EQ(server.Requests()[0].method, "HEAD");
  EXPECT_EQ(server.Requests()[0].target, "/f?a=1&b=x%2By");
}

TEST(HttpStoreScriptedTest, WeakEtagIsNotRecorded) {
  ScriptedHttpServer server(
      [](const ReceivedRequest&, int) { return File("w", "W/\"weak\""); });

  const Result<ObjectInfo> info = MakeStore()->Stat(Ref(server.Url("/w")));

  ASSERT_OK(info);
  EXPECT_EQ(info->etag, "");
  EXPECT_EQ(info->size_bytes, 1);
}

TEST(HttpStoreScriptedTest, RefusedHeadFallsBackToARangedGet) {
  ScriptedHttpServer server([](const ReceivedRequest& request, int) {
    if (request.method == "HEAD") {
      return Answer(405);
    }
    ScriptedResponse first = File("h", "\"full-etag\"");
    first.status = 206;
    first.headers.emplace_back("Content-Range", "bytes 0-0/11");
    return first;
  });

  const Result<ObjectInfo> info = MakeStore()->Stat(Ref(server.Url("/h")));

  ASSERT_OK(info);
  EXPECT_EQ(info->size_bytes, 11);
  EXPECT_EQ(info->etag, "full-etag");
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(net::FindHeader(requests[1].headers, "Range"), "bytes=0-0");
}

TEST(HttpStoreScriptedTest, ServerRefusingHeadAndIgnoringRangeIsCountedWhole) {
  ScriptedHttpServer server([](const ReceivedRequest& request, int) {
    return request.method == "HEAD" ? Answer(405) : File("twelve bytes");
  });

  const Result<ObjectInfo> info = MakeStore()->Stat(Ref(server.Url("/x")));

  ASSERT_OK(info);
  EXPECT_EQ(info->size_bytes, 12);
  EXPECT_EQ(info->etag, "e1");
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_TRUE(HasHeader(requests[1], "Range"));
  EXPECT_FALSE(HasHeader(requests[2], "Range"));
}

TEST(HttpStoreScriptedTest, EmptyFileAnsweringRangeWith416IsCountedWhole) {
  ScriptedHttpServer server([](const ReceivedRequest& request, int) {
    if (request.method == "HEAD") {
      return Answer(405);
    }
    if (HasHeader(request, "Range")) {
      ScriptedResponse unsatisfiable = Answer(416);
      unsatisfiable.headers = {{"Content-Range", "bytes */0"}};
      return unsatisfiable;
    }
    return File("", "\"empty\"");
  });

  const Result<ObjectInfo> info = MakeStore()->Stat(Ref(server.Url("/e")));

  ASSERT_OK(info);
  EXPECT_EQ(info->size_bytes, 0);
  EXPECT_EQ(info->etag, "empty");
  EXPECT_EQ(server.Requests().size(), 3U);
}

TEST(HttpStoreScriptedTest, ChangedEtagFromAServerIgnoringIfMatchLeavesNoBytes) {
  ScriptedHttpServer server(
      [](const ReceivedRequest&, int) { return File("new bytes", "\"e2\""); });
  StringSink sink;

  EXPECT_THAT(MakeStore()->Read(Ref(server.Url("/f"), "e1"), {}, sink),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("reading " + server.Url("/f") +
                                 ": etag now e2, recorded e1: the file changed")));
  EXPECT_EQ(sink.data(), "");
  ASSERT_EQ(server.Requests().size(), 1U);
  EXPECT_EQ(net::FindHeader(server.Requests()[0].headers, "If-Match"), "\"e1\"");
}

TEST(HttpStoreScriptedTest, ServerErrorsAreRetriedThenUnavailable) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) { return Answer(503); });

  EXPECT_THAT(MakeStore("", 3)->Stat(Ref(server.Url("/f"))),
              StatusIs(StatusCode::kUnavailable,
                       HasSubstr("stating " + server.Url("/f") +
                                 ": server error (503) after 3 attempts")));
  EXPECT_EQ(server.Requests().size(), 3U);
}

TEST(HttpStoreScriptedTest, RefusedConnectionIsUnavailableNamingHostAndPort) {
  int port = 0;
  {
    ScriptedHttpServer gone([](const ReceivedRequest&, int) { return Answer(200); });
    port = gone.Port();
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/f";

  EXPECT_THAT(MakeStore("", 2)->Stat(Ref(url)),
              StatusIs(StatusCode::kUnavailable,
                       AllOf(HasSubstr("stating " + url),
                             HasSubstr("127.0.0.1 port " + std::to_string(port)))));
}

TEST(HttpStoreScriptedTest, SignedQueryNeverAppearsInErrorsOrLogs) {
  ScriptedHttpServer server([](const ReceivedRequest& request, int) {
    const std::string path = request.target.substr(0, request.target.find('?'));
    if (path == "/missing") {
      return Answer(404);
    }
    if (path == "/forbidden") {
      return Answer(403);
    }
    if (path == "/changed") {
      return File("x", "\"other\"");
    }
    if (path == "/away") {
      return Redirect(302, "ftp://elsewhere/f?" + std::string(kSecrets));
    }
    return Answer(503);
  });
  std::ostringstream captured;
  const auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  const std::vector<std::string> modules = {"net", "storage.http"};
  for (const std::string& module : modules) {
    log::Get(module)->sinks().push_back(sink);
  }
  log::SetLevel(log::Level::kTrace);

  std::vector<cairn::Status> errors;
  const auto store = MakeStore(Origin(server.Url("/")), 2);
  for (const char* path : {"/missing", "/forbidden", "/failing", "/away"}) {
    errors.push_back(store->Stat(Ref(server.Url(path) + "?" + kSecrets)).status());
  }
  StringSink bytes;
  errors.push_back(
      store->Read(Ref(server.Url("/changed") + "?" + kSecrets, "e1"), {}, bytes));
  errors.push_back(store->List(MustParse(server.Url("/dir/?") + kSecrets), {},
                               [](const ObjectInfo&) { return cairn::Status::Ok(); }));

  log::SetLevel(log::Level::kWarn);
  for (const std::string& module : modules) {
    log::Get(module)->sinks().pop_back();
  }
  std::vector<StatusCode> codes;
  for (const cairn::Status& error : errors) {
    SCOPED_TRACE(error.ToString());
    codes.push_back(error.code());
    EXPECT_THAT(error.ToString(), AllOf(Not(HasSubstr("s3cr3t")), HasSubstr("id=7")));
  }
  EXPECT_THAT(codes,
              ElementsAre(StatusCode::kNotFound, StatusCode::kPermissionDenied,
                          StatusCode::kUnavailable, StatusCode::kInvalidArgument,
                          StatusCode::kFailedPrecondition, StatusCode::kInvalidArgument));
  // The signed query did reach the server, as the URL requires.
  EXPECT_THAT(server.Requests()[0].target, HasSubstr("sig=sas-s3cr3t"));
  const std::string text = captured.str();
  EXPECT_THAT(text, HasSubstr("X-Amz-Signature=REDACTED"));
  EXPECT_THAT(text, HasSubstr("Authorization: REDACTED"));
  EXPECT_THAT(text, Not(HasSubstr("s3cr3t")));
}

TEST(HttpStoreScriptedTest, OpenHttpStoreSendsTheBearerTokenOnlyToListedHosts) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) { return File("t"); });
  const std::string authority = "127.0.0.1:" + std::to_string(server.Port());
  // Tests run one at a time on this thread, so changing the environment is safe.
  ::setenv("CAIRN_HTTP_BEARER_TOKEN", "tok-env", 1);  // NOLINT(concurrency-mt-unsafe)
  std::vector<std::optional<std::string>> sent;
  for (const std::string& hosts :
       {authority, std::string("127.0.0.1"), std::string("other.example, 127.0.0.2")}) {
    ::setenv("CAIRN_HTTP_BEARER_HOSTS", hosts.c_str(),
             1);  // NOLINT(concurrency-mt-unsafe)
    const auto store = OpenHttpStore(MustParse(server.Url("/t")), {});
    ASSERT_OK(store);
    ASSERT_OK((*store)->Stat(Ref(server.Url("/t"))));
    sent.push_back(net::FindHeader(server.Requests().back().headers, "Authorization"));
  }
  ::unsetenv("CAIRN_HTTP_BEARER_TOKEN");  // NOLINT(concurrency-mt-unsafe)
  ::unsetenv("CAIRN_HTTP_BEARER_HOSTS");  // NOLINT(concurrency-mt-unsafe)

  EXPECT_THAT(sent, ElementsAre("Bearer tok-env", "Bearer tok-env", std::nullopt));
}

}  // namespace
}  // namespace cairn::storage::http
