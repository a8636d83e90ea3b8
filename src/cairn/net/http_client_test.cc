// SPDX-License-Identifier: Apache-2.0
// HttpClient against a scripted server on 127.0.0.1: retries, resumed downloads,
// permanent failures, signing per attempt, connection reuse and log redaction.
#include "cairn/net/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "cairn/base/log.h"
#include "cairn/net/testing/scripted_http_server.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::net {
namespace {

using ::cairn::net::testing::ReceivedRequest;
using ::cairn::net::testing::ScriptedHttpServer;
using ::cairn::net::testing::ScriptedResponse;
using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Fast, bounded retries so tests finish quickly whatever happens.
HttpClientOptions FastOptions(int max_attempts = 5) {
  HttpClientOptions options;
  options.retry.max_attempts = max_attempts;
  options.retry.base_delay = std::chrono::milliseconds(1);
  options.retry.max_delay = std::chrono::milliseconds(5);
  options.connect_timeout_ms = 2000;
  options.attempt_timeout_ms = 5000;
  return options;
}

// Records every call, so tests can assert the exact sequence of writes and restarts.
class RecordingSink final : public BodySink {
 public:
  Status Write(std::string_view bytes) override {
    data_.append(bytes);
    calls_.push_back("write " + std::to_string(bytes.size()));
    return Status::Ok();
  }
  Status Restart(std::int64_t offset) override {
    data_.resize(static_cast<std::size_t>(offset));
    calls_.push_back("restart " + std::to_string(offset));
    return Status::Ok();
  }
  const std::string& data() const { return data_; }
  const std::vector<std::string>& Restarts() {
    restart_calls_.clear();
    for (const std::string& call : calls_) {
      if (call.rfind("restart", 0) == 0) {
        restart_calls_.push_back(call);
      }
    }
    return restart_calls_;
  }

 private:
  std::string data_;
  std::vector<std::string> calls_;
  std::vector<std::string> restart_calls_;
};

ScriptedResponse Answer(int status, std::string body = "", Headers headers = {}) {
  ScriptedResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

std::string HeaderOf(const ReceivedRequest& request, std::string_view name) {
  return FindHeader(request.headers, name).value_or("<absent>");
}

TEST(HttpClientTest, RetriesServiceUnavailableThenReturnsTheSuccess) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    return index < 2 ? Answer(503, "busy") : Answer(200, "hello");
  });
  HttpClient client(FastOptions());

  const Result<Response> response = client.Perform({.url = server.Url("/object")});

  ASSERT_OK(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(response->attempts, 3);
  EXPECT_EQ(server.Requests().size(), 3U);
}

TEST(HttpClientTest, RetriesThrottlingAnswers) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    if (index == 0) {
      return Answer(429);
    }
    if (index == 1) {
      return Answer(400, "<Error><Code>SlowDown</Code></Error>");
    }
    return Answer(200, "ok");
  });
  HttpClient client(FastOptions());

  const Result<Response> response = client.Perform({.url = server.Url("/o")});

  ASSERT_OK(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(server.Requests().size(), 3U);
}

TEST(HttpClientTest, DoesNotRetryForbidden) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) {
    return Answer(403, "<Error><Code>AccessDenied</Code></Error>");
  });
  HttpClient client(FastOptions());

  const Result<Response> response = client.Perform({.url = server.Url("/secret")});

  ASSERT_OK(response);
  EXPECT_EQ(response->status, 403);
  EXPECT_EQ(response->body, "<Error><Code>AccessDenied</Code></Error>");
  EXPECT_EQ(response->attempts, 1);
  EXPECT_EQ(server.Requests().size(), 1U);
}

TEST(HttpClientTest, ReturnsTheLastAnswerWhenAttemptsRunOut) {
  ScriptedHttpServer server(
      [](const ReceivedRequest&, int) { return Answer(500, "broken"); });
  HttpClient client(FastOptions(3));

  const Result<Response> response = client.Perform({.url = server.Url("/o")});

  ASSERT_OK(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->attempts, 3);
  EXPECT_EQ(server.Requests().size(), 3U);
}

TEST(HttpClientTest, ResumesATruncatedDownloadFromTheDeliveredByte) {
  const std::string content = "0123456789abcdefghij";
  ScriptedHttpServer server([&](const ReceivedRequest&, int index) {
    if (index == 0) {
      ScriptedResponse cut = Answer(200, content, {{"ETag", "\"v1\""}});
      cut.truncate_after = 7;
      return cut;
    }
    return Answer(206, content.substr(7),
                  {{"ETag", "\"v1\""}, {"Content-Range", "bytes 7-19/20"}});
  });
  HttpClient client(FastOptions());
  RecordingSink sink;

  const Result<Response> response = client.Perform({.url = server.Url("/big")}, &sink);

  ASSERT_OK(response);
  EXPECT_EQ(response->status, 206);
  EXPECT_EQ(response->body_bytes, 20);
  EXPECT_EQ(sink.data(), content);
  EXPECT_THAT(sink.Restarts(), ElementsAre("restart 7"));
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(HeaderOf(requests[0], "Range"), "<absent>");
  EXPECT_EQ(HeaderOf(requests[1], "Range"), "bytes=7-");
  EXPECT_EQ(HeaderOf(requests[1], "If-Match"), "\"v1\"");
}

TEST(HttpClientTest, ResumesWithinTheRequestedRange) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    if (index == 0) {
      ScriptedResponse cut =
          Answer(206, "cdefgh", {{"Content-Range", "bytes 2-7/20"}, {"ETag", "\"e\""}});
      cut.truncate_after = 3;
      return cut;
    }
    return Answer(206, "fgh", {{"Content-Range", "bytes 5-7/20"}});
  });
  HttpClient client(FastOptions());
  RecordingSink sink;

  const Result<Response> response = client.Perform(
      {.url = server.Url("/big"), .range = ByteRange{.offset = 2, .length = 6}}, &sink);

  ASSERT_OK(response);
  EXPECT_EQ(sink.data(), "cdefgh");
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(HeaderOf(requests[0], "Range"), "bytes=2-7");
  EXPECT_EQ(HeaderOf(requests[1], "Range"), "bytes=5-7");
}

TEST(HttpClientTest, RefusesAResumeThatStartsAtAnotherByte) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    if (index == 0) {
      ScriptedResponse cut = Answer(200, "0123456789");
      cut.truncate_after = 4;
      return cut;
    }
    return Answer(206, "23456789", {{"Content-Range", "bytes 2-9/10"}});
  });
  HttpClient client(FastOptions());
  RecordingSink sink;

  const Result<Response> response = client.Perform({.url = server.Url("/o")}, &sink);

  EXPECT_THAT(response,
              StatusIs(StatusCode::kDataLoss, AllOf(HasSubstr("asked for bytes from 4"),
                                                    HasSubstr("'bytes 2-9/10'"))));
  EXPECT_EQ(sink.data(), "0123") << "nothing of the wrong answer reaches the sink";
  EXPECT_EQ(server.Requests().size(), 2U);
}

TEST(HttpClientTest, RefusesAResumeAnsweredWithTheWholeBody) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    ScriptedResponse response = Answer(200, "0123456789");
    if (index == 0) {
      response.truncate_after = 4;
    }
    return response;
  });
  HttpClient client(FastOptions());
  RecordingSink sink;

  EXPECT_THAT(client.Perform({.url = server.Url("/o")}, &sink),
              StatusIs(StatusCode::kDataLoss, HasSubstr("ignores Range")));
  EXPECT_EQ(sink.data(), "0123");
}

TEST(HttpClientTest, KeepsTheErrorBodyOutOfTheSink) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) {
    return Answer(404, "<Error><Code>NoSuchKey</Code></Error>");
  });
  HttpClient client(FastOptions());
  RecordingSink sink;

  const Result<Response> response = client.Perform({.url = server.Url("/o")}, &sink);

  ASSERT_OK(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body, "<Error><Code>NoSuchKey</Code></Error>");
  EXPECT_EQ(sink.data(), "");
}

TEST(HttpClientTest, StopsAtTheSinksErrorWithoutRetrying) {
  class FullSink final : public BodySink {
   public:
    Status Write(std::string_view) override {
      return ResourceExhaustedError("disk full");
    }
    Status Restart(std::int64_t) override { return Status::Ok(); }
  };
  ScriptedHttpServer server([](const ReceivedRequest&, int) { return Answer(200, "x"); });
  HttpClient client(FastOptions());
  FullSink sink;

  EXPECT_THAT(client.Perform({.url = server.Url("/o")}, &sink),
              StatusIs(StatusCode::kResourceExhausted, "disk full"));
  EXPECT_EQ(server.Requests().size(), 1U);
}

TEST(HttpClientTest, SignsEveryAttemptAfresh) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    return index == 0 ? Answer(503) : Answer(200, "signed");
  });
  HttpClient client(FastOptions());
  std::atomic<int> signatures{0};
  Request request{.url = server.Url("/o")};
  request.signer = [&](const Request& attempt) -> Result<Headers> {
    const int n = ++signatures;
    return Headers{{"Authorization", "sig-" + std::to_string(n)},
                   {"X-Saw-Headers", std::to_string(attempt.headers.size())}};
  };

  const Result<Response> response = client.Perform(request);

  ASSERT_OK(response);
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(HeaderOf(requests[0], "Authorization"), "sig-1");
  EXPECT_EQ(HeaderOf(requests[1], "Authorization"), "sig-2");
}

TEST(HttpClientTest, SignerSeesTheResumeHeaders) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    if (index == 0) {
      ScriptedResponse cut = Answer(200, "abcdef", {{"ETag", "\"t\""}});
      cut.truncate_after = 2;
      return cut;
    }
    return Answer(206, "cdef", {{"Content-Range", "bytes 2-5/6"}});
  });
  HttpClient client(FastOptions());
  std::vector<Headers> seen;
  Request request{.url = server.Url("/o")};
  request.signer = [&](const Request& attempt) -> Result<Headers> {
    seen.push_back(attempt.headers);
    return Headers{};
  };
  RecordingSink sink;

  ASSERT_OK(client.Perform(request, &sink));

  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(FindHeader(seen[1], "range"), "bytes=2-");
  EXPECT_EQ(FindHeader(seen[1], "if-match"), "\"t\"");
}

TEST(HttpClientTest, SignerErrorStopsTheRequest) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) { return Answer(200); });
  HttpClient client(FastOptions());
  Request request{.url = server.Url("/o")};
  request.signer = [](const Request&) -> Result<Headers> {
    return UnauthenticatedError("no key");
  };

  EXPECT_THAT(client.Perform(request), StatusIs(StatusCode::kUnauthenticated, "no key"));
  EXPECT_EQ(server.Requests().size(), 0U);
}

TEST(HttpClientTest, SendsMethodBodyAndHeadersAndReadsHeadersCaseInsensitively) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) {
    return Answer(200, "", {{"x-amz-version-id", "v7"}, {"ETag", "\"abc\""}});
  });
  HttpClient client(FastOptions());

  const Result<Response> put =
      client.Perform({.method = "PUT",
                      .url = server.Url("/b/k?x=1"),
                      .headers = {{"Content-Type", "text/plain"}, {"X-Empty", ""}},
                      .body = "payload"});
  const Result<Response> head =
      client.Perform({.method = "HEAD", .url = server.Url("/b/k")});
  const Result<Response> bare_put =
      client.Perform({.method = "PUT", .url = server.Url("/b/k2"), .body = "z"});

  ASSERT_OK(put);
  ASSERT_OK(head);
  ASSERT_OK(bare_put);
  EXPECT_EQ(put->Header("X-AMZ-VERSION-ID"), "v7");
  EXPECT_EQ(head->Header("etag"), "\"abc\"");
  EXPECT_EQ(head->Header("missing"), std::nullopt);
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/b/k?x=1");
  EXPECT_EQ(requests[0].body, "payload");
  EXPECT_EQ(HeaderOf(requests[0], "Content-Type"), "text/plain");
  EXPECT_EQ(HeaderOf(requests[0], "X-Empty"), "");
  EXPECT_EQ(HeaderOf(requests[0], "Expect"), "<absent>");
  EXPECT_EQ(requests[1].method, "HEAD");
  EXPECT_EQ(HeaderOf(requests[2], "Content-Type"), "application/octet-stream");
}

TEST(HttpClientTest, SendsDotSegmentsAndDoubleSlashesAsWritten) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) { return Answer(200); });
  HttpClient client(FastOptions());

  ASSERT_OK(client.Perform({.url = server.Url("/b/a/../x/./y//z")}));

  ASSERT_EQ(server.Requests().size(), 1U);
  EXPECT_EQ(server.Requests()[0].target, "/b/a/../x/./y//z");
}

TEST(HttpClientTest, ReusesOneConnectionForSequentialRequests) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) { return Answer(200, "r"); });
  HttpClient client(FastOptions());

  for (int i = 0; i < 10; ++i) {
    ASSERT_OK(client.Perform({.url = server.Url("/o" + std::to_string(i))}));
  }

  EXPECT_EQ(server.Requests().size(), 10U);
  EXPECT_EQ(server.Connections(), 1);
}

TEST(HttpClientTest, ServesManyThreadsAtOnceWithoutMoreConnectionsThanThreads) {
  ScriptedHttpServer server(
      [](const ReceivedRequest& request, int) { return Answer(200, request.target); });
  HttpClient client(FastOptions());
  constexpr int kThreads = 8;
  constexpr int kRequestsPerThread = 25;
  std::atomic<int> matched{0};

  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRequestsPerThread; ++i) {
        const std::string path = "/t" + std::to_string(t) + "/" + std::to_string(i);
        const Result<Response> response = client.Perform({.url = server.Url(path)});
        if (response.ok() && response->status == 200 && response->body == path) {
          ++matched;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }

  EXPECT_EQ(matched.load(), kThreads * kRequestsPerThread);
  EXPECT_LE(server.Connections(), kThreads);
}

int ClosedLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t size = sizeof(address);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size), 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(HttpClientTest, ConnectionRefusedIsUnavailableAfterEveryAttempt) {
  HttpClient client(FastOptions(3));
  const std::string url =
      "http://127.0.0.1:" + std::to_string(ClosedLoopbackPort()) + "/o?versionId=v1";

  EXPECT_THAT(client.Perform({.url = url}),
              StatusIs(StatusCode::kUnavailable,
                       AllOf(HasSubstr("GET " + url), HasSubstr("after 3 attempts"))));
}

TEST(HttpClientTest, HungServerTimesOutAsDeadlineExceeded) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) {
    ScriptedResponse response;
    response.hang = true;
    return response;
  });
  HttpClientOptions options = FastOptions(2);
  options.attempt_timeout_ms = 200;
  HttpClient client(options);

  EXPECT_THAT(client.Perform({.url = server.Url("/slow")}),
              StatusIs(StatusCode::kDeadlineExceeded, HasSubstr("after 2 attempts")));
  EXPECT_EQ(server.Requests().size(), 2U);
}

TEST(HttpClientTest, UnsupportedSchemeIsInvalidArgumentUnretried) {
  HttpClient client(FastOptions());

  EXPECT_THAT(client.Perform({.url = "ftp://127.0.0.1/x"}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("GET ftp://127.0.0.1/x")));
}

TEST(HttpClientTest, LogsOneRedactedLinePerAttemptAndNoSecretHeader) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    return index == 0 ? Answer(503) : Answer(200, "ok", {{"x-amz-request-id", "RID9"}});
  });
  std::ostringstream captured;
  const auto logger = log::Get("net");
  const auto capture = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  logger->sinks().push_back(capture);
  log::SetLevel(log::Level::kTrace);
  HttpClient client(FastOptions());
  Request request{.url = server.Url("/b/k?versionId=v2&X-Amz-Signature=sekrit1")};
  request.signer = [](const Request&) -> Result<Headers> {
    return Headers{{"Authorization", "AWS4-HMAC-SHA256 Signature=sekrit2"}};
  };

  const Result<Response> response = client.Perform(request);
  log::SetLevel(log::Level::kWarn);
  logger->sinks().pop_back();

  ASSERT_OK(response);
  const std::string text = captured.str();
  EXPECT_THAT(text, HasSubstr("GET " +
                              server.Url("/b/k?versionId=v2&X-Amz-Signature="
                                         "REDACTED") +
                              " status=503 bytes=0"));
  EXPECT_THAT(text, HasSubstr("status=200 bytes=2"));
  EXPECT_THAT(text, HasSubstr("attempt=2 request_id=RID9"));
  EXPECT_THAT(text, HasSubstr("Authorization: REDACTED"));
  EXPECT_THAT(text, AllOf(Not(HasSubstr("sekrit1")), Not(HasSubstr("sekrit2"))));
}

TEST(RetryPolicyTest, RetriesTransientFailuresOnly) {
  EXPECT_TRUE(RetryPolicy::IsRetryable(AttemptFailure::kConnection, 0, ""));
  EXPECT_TRUE(RetryPolicy::IsRetryable(AttemptFailure::kTimeout, 0, ""));
  for (const int status : {408, 429, 500, 502, 503, 504}) {
    SCOPED_TRACE(status);
    EXPECT_TRUE(RetryPolicy::IsRetryable(AttemptFailure::kResponse, status, ""));
  }
  for (const int status : {200, 206, 301, 400, 401, 403, 404, 412, 416}) {
    SCOPED_TRACE(status);
    EXPECT_FALSE(RetryPolicy::IsRetryable(AttemptFailure::kResponse, status, ""));
  }
  EXPECT_TRUE(RetryPolicy::IsRetryable(AttemptFailure::kResponse, 400,
                                       "<Error><Code>SlowDown</Code></Error>"));
}

TEST(RetryPolicyTest, DelayGrowsExponentiallyWithFullJitterUpToTheCap) {
  const RetryPolicy policy{.max_attempts = 5,
                           .base_delay = std::chrono::milliseconds(100),
                           .max_delay = std::chrono::milliseconds(5000)};

  EXPECT_EQ(policy.Delay(1, 0.5, std::nullopt).count(), 50);
  EXPECT_EQ(policy.Delay(2, 0.5, std::nullopt).count(), 100);
  EXPECT_EQ(policy.Delay(3, 0.999, std::nullopt).count(), 399);
  EXPECT_EQ(policy.Delay(10, 0.5, std::nullopt).count(), 2500);
  EXPECT_EQ(policy.Delay(40, 0.9999, std::nullopt).count(), 4999);
  EXPECT_EQ(policy.Delay(1, 0.0, std::nullopt).count(), 0);
  EXPECT_EQ(policy.Delay(1, 0.0, 2).count(), 2000) << "Retry-After wins when longer";
  EXPECT_EQ(policy.Delay(1, 0.0, 60).count(), 5000) << "but stays under the cap";
}

}  // namespace
}  // namespace cairn::net
