// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/http/http_url.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::storage::http {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

uri::Uri MustParse(const std::string& text) {
  auto uri = uri::Uri::Parse(text);
  EXPECT_OK(uri);
  return uri.ok() ? *uri : uri::Uri{};
}

TEST(HttpUrlTest, RequestUrlKeepsTheQueryAndDropsTheFragment) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"https://h.example/a/b.bin", "https://h.example/a/b.bin"},
      {"http://127.0.0.1:8080/f?x=1&sig=abc#frag", "http://127.0.0.1:8080/f?x=1&sig=abc"},
      {"https://h/sp%20ace/caf%C3%A9", "https://h/sp%20ace/caf%C3%A9"},
      {"https://h/q%3Fx=1/hash%23x/pct%2541", "https://h/q%3Fx=1/hash%23x/pct%2541"},
      {"https://h/plus+eq=amp&~!$'(),;@", "https://h/plus+eq=amp&~!$'(),;@"},
      {"https://h/f?a=b%26c%3Dd%2Be&e=%2F", "https://h/f?a=b%26c%3Dd%2Be&e=/"},
      {"https://h/f?flag", "https://h/f?flag="},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(RequestUrl(MustParse(c.text)), c.expected);
  }
}

TEST(HttpUrlTest, ShownRedactsSignaturesAndDropsTheFragment) {
  EXPECT_EQ(Shown(MustParse("https://h/f?X-Amz-Signature=s3cr3t&id=4#top")),
            "https://h/f?X-Amz-Signature=REDACTED&id=4");
  EXPECT_EQ(Shown(MustParse("https://h/f?sig=s3cr3t")), "https://h/f?sig=REDACTED");
}

TEST(HttpUrlTest, OriginIsSchemeHostAndPortWithDefaultsMadeExplicit) {
  EXPECT_EQ(Origin("https://Example.COM/a?b"), "https://example.com:443");
  EXPECT_EQ(Origin("https://example.com:443/"), "https://example.com:443");
  EXPECT_EQ(Origin("http://example.com"), "http://example.com:80");
  EXPECT_EQ(Origin("http://127.0.0.1:8080/x"), "http://127.0.0.1:8080");
  EXPECT_EQ(Origin("http://[::1]/x"), "http://[::1]:80");
  EXPECT_EQ(Origin("http://[::1]:9000?q"), "http://[::1]:9000");
  EXPECT_EQ(Origin("ftp://example.com/x"), "");
  EXPECT_EQ(Origin("/relative"), "");
  EXPECT_NE(Origin("http://h/x"), Origin("https://h/x"));
  EXPECT_NE(Origin("http://h:1/x"), Origin("http://h:2/x"));
}

TEST(HttpUrlTest, RedirectTargetResolvesEveryLocationForm) {
  struct Case {
    std::string location;
    std::string expected;
  };
  const std::string from = "https://a.example:8443/dir/file.bin?sig=1";
  const std::vector<Case> cases = {
      {"http://b.example/x?y=1#frag", "http://b.example/x?y=1"},
      {"HTTPS://b.example/x", "HTTPS://b.example/x"},
      {"//c.example/y", "https://c.example/y"},
      {"/root/z?q=2", "https://a.example:8443/root/z?q=2"},
      {"other.bin", "https://a.example:8443/dir/other.bin"},
      {"sub/other.bin#x", "https://a.example:8443/dir/sub/other.bin"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.location);
    auto target = RedirectTarget(from, c.location);
    ASSERT_OK(target);
    EXPECT_EQ(*target, c.expected);
  }
}

TEST(HttpUrlTest, RedirectAwayFromHttpOrWithoutTargetIsInvalidArgument) {
  const std::string from = "https://a.example/f?X-Amz-Signature=s3cr3t";

  EXPECT_THAT(RedirectTarget(from, "ftp://b.example/f"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("leaves http(s)"), HasSubstr("ftp://b.example/f"),
                             Not(HasSubstr("s3cr3t")))));
  EXPECT_THAT(RedirectTarget(from, "file:///etc/passwd"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("leaves http(s)")));
  EXPECT_THAT(RedirectTarget(from, ""),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("has no target")));
}

}  // namespace
}  // namespace cairn::storage::http
