// SPDX-License-Identifier: Apache-2.0
// The store factory routes http:// and https:// URLs of hosts that are not Azure
// Blob Storage to the http backend. Opening a store makes no request, so the
// hosts here are never looked up.
#include <cstdlib>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/storage/http/http_store.h"
#include "cairn/storage/store_factory.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage::http {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

uri::Uri MustParse(const std::string& text) {
  auto uri = uri::Uri::Parse(text);
  EXPECT_OK(uri);
  return uri.ok() ? *uri : uri::Uri{};
}

TEST(HttpFactoryTest, HttpAndHttpsUrlsOfOtherHostsOpenTheHttpStore) {
  for (const char* text :
       {"http://127.0.0.1:8080/data/a.bin", "https://files.example.invalid/a.bin?x=1",
        "https://[::1]:8443/b"}) {
    SCOPED_TRACE(text);
    const Result<std::shared_ptr<ObjectStore>> store = OpenStore(MustParse(text));

    ASSERT_OK(store);
    EXPECT_NE(dynamic_cast<HttpStore*>(store->get()), nullptr);
    EXPECT_EQ((*store)->Scheme(), MustParse(text).scheme);
    EXPECT_FALSE((*store)->Features().has_listing);
  }
}

TEST(HttpFactoryTest, BearerTokenWithoutHostsIsInvalidArgumentNamingTheFix) {
  // Tests run one at a time on this thread, so changing the environment is safe.
  ::setenv("CAIRN_HTTP_BEARER_TOKEN", "tok-secret", 1);  // NOLINT(concurrency-mt-unsafe)
  ::unsetenv("CAIRN_HTTP_BEARER_HOSTS");                 // NOLINT(concurrency-mt-unsafe)

  const auto store = OpenStore(MustParse("https://files.example.invalid/a.bin"));
  ::unsetenv("CAIRN_HTTP_BEARER_TOKEN");  // NOLINT(concurrency-mt-unsafe)

  EXPECT_THAT(store, StatusIs(StatusCode::kInvalidArgument,
                              AllOf(HasSubstr("CAIRN_HTTP_BEARER_HOSTS is not"),
                                    ::testing::Not(HasSubstr("tok-secret")))));
}

TEST(HttpFactoryTest, BearerTokenIsNeverSentOverPlainHttpBeyondLoopback) {
  ::setenv("CAIRN_HTTP_BEARER_TOKEN", "tok-secret", 1);  // NOLINT(concurrency-mt-unsafe)
  // NOLINTNEXTLINE(concurrency-mt-unsafe)
  ::setenv("CAIRN_HTTP_BEARER_HOSTS", "files.example.invalid,127.0.0.1", 1);

  const auto clear = OpenStore(MustParse("http://files.example.invalid:8080/a.bin"));
  const auto secure = OpenStore(MustParse("https://files.example.invalid/a.bin"));
  const auto loopback = OpenStore(MustParse("http://127.0.0.1:8080/a.bin"));
  ::unsetenv("CAIRN_HTTP_BEARER_TOKEN");  // NOLINT(concurrency-mt-unsafe)
  ::unsetenv("CAIRN_HTTP_BEARER_HOSTS");  // NOLINT(concurrency-mt-unsafe)

  EXPECT_THAT(clear, StatusIs(StatusCode::kInvalidArgument,
                              AllOf(HasSubstr("clear text; use https://"),
                                    ::testing::Not(HasSubstr("tok-secret")))));
  EXPECT_OK(secure);
  EXPECT_OK(loopback);
}

}  // namespace
}  // namespace cairn::storage::http
