// SPDX-License-Identifier: Apache-2.0
#include "cairn/uri/uri.h"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::uri {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

struct ParseCase {
  std::string text;
  std::string scheme;
  std::string authority;
  std::string path;
};

TEST(UriTest, ParsesSchemeAuthorityAndDecodedKey) {
  const std::vector<ParseCase> cases = {
      {"s3://bucket/data/x.csv", "s3", "bucket", "data/x.csv"},
      {"s3://bucket", "s3", "bucket", ""},
      {"s3://bucket/", "s3", "bucket", ""},
      {"S3://bucket/k", "s3", "bucket", "k"},
      {"s3://b/a//b", "s3", "b", "a//b"},
      {"s3://b/a/./b/../c", "s3", "b", "a/./b/../c"},
      {"s3://b/a%23b", "s3", "b", "a#b"},
      {"s3://b/a%3Fb%25c", "s3", "b", "a?b%c"},
      {"s3://b/with space", "s3", "b", "with space"},
      {"s3://b/caf%C3%A9", "s3", "b", "caf\xC3\xA9"},
      {"s3://b/caf\xC3\xA9", "s3", "b", "caf\xC3\xA9"},
      {"s3://b/a+b=c&d", "s3", "b", "a+b=c&d"},
      {"s3://b//", "s3", "b", "/"},
      {"gs://bucket/obj", "gs", "bucket", "obj"},
      {"az://container/blob/x", "az", "container", "blob/x"},
      {"https://host.example:8443/files/a.bin", "https", "host.example:8443",
       "files/a.bin"},
      {"http://127.0.0.1:9000/k", "http", "127.0.0.1:9000", "k"},
      {"file:///abs/path", "file", "", "/abs/path"},
      {"file:/abs/path", "file", "", "/abs/path"},
      {"file://localhost/abs/path", "file", "", "/abs/path"},
      {"file:///a%20b/c%23d", "file", "", "/a b/c#d"},
      {"file:///a//b/../c", "file", "", "/a//b/../c"},
      {"/tmp/y", "file", "", "/tmp/y"},
      {"/tmp/./a/../b/", "file", "", "/tmp/b/"},
      {"/tmp//y", "file", "", "/tmp/y"},
      {"/../..", "file", "", "/"},
      {"/data/a%20b#c?d", "file", "", "/data/a%20b#c?d"},
  };
  for (const ParseCase& c : cases) {
    SCOPED_TRACE(c.text);
    auto uri = Uri::Parse(c.text);
    ASSERT_OK(uri);
    EXPECT_EQ(uri->scheme, c.scheme);
    EXPECT_EQ(uri->authority, c.authority);
    EXPECT_EQ(uri->path, c.path);
  }
}

TEST(UriTest, RelativePlainPathIsMadeAbsoluteAgainstCurrentDirectory) {
  const std::string cwd = std::filesystem::current_path().string();
  const std::string base = cwd == "/" ? "" : cwd;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"data/x", base + "/data/x"},
      {"data/", base + "/data/"},
      {"./data/../other", base + "/other"},
      {"a:b", base + "/a:b"},
  };
  for (const auto& [text, path] : cases) {
    SCOPED_TRACE(text);
    auto uri = Uri::Parse(text);
    ASSERT_OK(uri);
    EXPECT_EQ(uri->scheme, "file");
    EXPECT_EQ(uri->path, path);
  }
}

TEST(UriTest, HashStartsFragmentAndQuestionMarkStartsQuery) {
  auto uri = Uri::Parse("s3://b/a#b");
  ASSERT_OK(uri);
  EXPECT_EQ(uri->path, "a");
  EXPECT_EQ(uri->fragment, "b");

  uri = Uri::Parse("s3://b/a?b");
  ASSERT_OK(uri);
  EXPECT_EQ(uri->path, "a");
  ASSERT_EQ(uri->query.size(), 1U);
  EXPECT_EQ(uri->query[0].first, "b");
  EXPECT_EQ(uri->query[0].second, "");
}

TEST(UriTest, QueryValuesAreDecodedAndVersionIdIsKept) {
  auto uri = Uri::Parse("s3://b/k?versionId=3%2FL4kq%2Bx&x=1&versionId=second#frag%20x");
  ASSERT_OK(uri);
  EXPECT_EQ(uri->path, "k");
  EXPECT_EQ(uri->QueryValue("versionId"), "3/L4kq+x");
  EXPECT_EQ(uri->QueryValue("x"), "1");
  EXPECT_EQ(uri->QueryValue("missing"), std::nullopt);
  EXPECT_EQ(uri->query.size(), 3U);
  EXPECT_EQ(uri->fragment, "frag x");
}

TEST(UriTest, ToStringEncodesOnlyWhatChangesMeaning) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"s3://b/a%23b", "s3://b/a%23b"},
      {"s3://b/a%3fb", "s3://b/a%3Fb"},
      {"s3://b/100%25", "s3://b/100%25"},
      {"s3://b/with space", "s3://b/with%20space"},
      {"s3://b/caf\xC3\xA9", "s3://b/caf%C3%A9"},
      {"s3://b/a%0Ab", "s3://b/a%0Ab"},
      {"s3://b/a+b=c&d:e@f!", "s3://b/a+b=c&d:e@f!"},
      {"s3://b/a//b", "s3://b/a//b"},
      {"s3://b", "s3://b"},
      {"s3://b/", "s3://b"},
      {"s3://b//", "s3://b//"},
      {"s3://b/k?versionId=a%2Bb/c", "s3://b/k?versionId=a%2Bb/c"},
      {"s3://b/k?flag", "s3://b/k?flag="},
      {"file:///a%20b", "file:///a%20b"},
      {"file://localhost/x", "file:///x"},
      {"/tmp/a b#c", "file:///tmp/a%20b%23c"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    auto uri = Uri::Parse(text);
    ASSERT_OK(uri);
    EXPECT_EQ(uri->ToString(), expected);
  }
}

TEST(UriTest, ParseOfToStringReturnsAnEqualUri) {
  const std::vector<Uri> uris = {
      {"s3", "b", "a//b", {}, ""},
      {"s3", "b", "a#b?c%d e", {}, ""},
      {"s3", "b", "/", {}, ""},
      {"s3", "b", "", {}, ""},
      {"s3", "b", "dir/", {}, ""},
      {"s3", "b", "k", {{"versionId", "a+b/c=&#"}, {"x", ""}}, "frag #1"},
      {"s3", "b", "caf\xC3\xA9/\x01tab\t", {}, ""},
      {"gs", "bucket", "o", {{"generation", "1712"}}, ""},
      {"https", "h:8080", "p/q.bin", {}, ""},
      {"file", "", "/a b/%/#/?", {}, ""},
      {"file", "", "/", {}, ""},
  };
  for (const Uri& uri : uris) {
    const std::string text = uri.ToString();
    SCOPED_TRACE(text);
    auto parsed = Uri::Parse(text);
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, uri);
  }
}

TEST(UriTest, WithoutQueryDropsQueryAndFragment) {
  auto uri = Uri::Parse("s3://b/dir/k%23x?versionId=v1#f");
  ASSERT_OK(uri);
  EXPECT_EQ(uri->WithoutQuery(), "s3://b/dir/k%23x");
  EXPECT_EQ(uri->ToString(), "s3://b/dir/k%23x?versionId=v1#f");
}

TEST(UriTest, BaseNameIsLastSegment) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"s3://b/a/c.txt", "c.txt"},
      {"s3://b/c.txt", "c.txt"},
      {"s3://b/a/", ""},
      {"s3://b", ""},
      {"s3://b/a%2Fb", "b"},
      {"file:///x/y z", "y z"},
      {"file:///", ""},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    auto uri = Uri::Parse(text);
    ASSERT_OK(uri);
    EXPECT_EQ(uri->BaseName(), expected);
  }
}

TEST(UriTest, AsPrefixAddsOneSlashAndKeepsExistingOnes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"s3://b/data", "data/"}, {"s3://b/data/", "data/"}, {"s3://b", ""},
      {"s3://b/a//", "a//"},    {"file:///d/x", "/d/x/"},  {"file:///", "/"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    auto uri = Uri::Parse(text);
    ASSERT_OK(uri);
    const Uri prefix = uri->AsPrefix();
    EXPECT_EQ(prefix.path, expected);
    EXPECT_TRUE(prefix.EndsWithSlash());
    EXPECT_EQ(prefix.scheme, uri->scheme);
    EXPECT_EQ(prefix.authority, uri->authority);
  }
}

TEST(UriTest, PrefixMatchesWholeSegmentsOnly) {
  auto uri = Uri::Parse("s3://b/data");
  ASSERT_OK(uri);
  const std::string prefix = uri->AsPrefix().path;
  EXPECT_TRUE(std::string("data/x").starts_with(prefix));
  EXPECT_FALSE(std::string("data2/x").starts_with(prefix));
  EXPECT_FALSE(uri->EndsWithSlash());
}

TEST(UriTest, MalformedTextIsInvalidArgumentNamingTheText) {
  struct ErrorCase {
    std::string text;
    std::string message_part;
  };
  const std::vector<ErrorCase> cases = {
      {"", "empty"},
      {"s3://", "no bucket"},
      {"s3:///key", "no bucket"},
      {"s3:bucket/key", "expected \"s3://\""},
      {"s3://b/a%2", "%25"},
      {"s3://b/a%zz", "%25"},
      {"s3://b/k?v=%G1", "query"},
      {"s3://b/k#%", "fragment"},
      {"s3://b%41/k", "bucket or host"},
      {"s3://b/a\nb", "control character"},
      {"file:relative/x", "absolute path"},
      {"file://otherhost/x", "another host"},
      {"/tmp/a\tb", "control character"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_THAT(Uri::Parse(c.text),
                StatusIs(StatusCode::kInvalidArgument,
                         ::testing::AllOf(HasSubstr(c.message_part),
                                          HasSubstr("\"" + c.text + "\""))));
  }
}

TEST(UriTest, ErrorsNeverRepeatAPassword) {
  auto uri = Uri::Parse("https://user:hunter2@host/k");
  EXPECT_THAT(uri, StatusIs(StatusCode::kInvalidArgument, HasSubstr("credentials")));
  EXPECT_THAT(uri.status().message(), ::testing::Not(HasSubstr("hunter2")));
}

TEST(UriTest, ErrorsNeverRepeatASignature) {
  auto uri = Uri::Parse("https://h/k%zz?X-Amz-Signature=deadbeefsecret");
  EXPECT_THAT(uri, StatusIs(StatusCode::kInvalidArgument, HasSubstr("https://h/k%zz")));
  EXPECT_THAT(uri.status().message(), ::testing::Not(HasSubstr("deadbeefsecret")));
}

TEST(UriTest, RefStringWritesObjectKeysRawAsWandbDoes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"s3://b/with%20space.txt?versionId=v1", "s3://b/with space.txt"},
      {"s3://b/a%23b%3Fc%25d", "s3://b/a#b?c%d"},
      {"s3://b/a//b", "s3://b/a//b"},
      {"s3://b", "s3://b"},
      {"gs://b/caf%C3%A9#123", "gs://b/caf\xC3\xA9"},
      {"file:///d/a%20b", "file:///d/a b"},
      {"https://h:8080/f%20g.bin?id=3#frag", "https://h:8080/f%20g.bin?id=3"},
      {"http://h/f", "http://h/f"},
      {"https://acct.blob.core.windows.net/c/a%20b%231?versionid=v",
       "https://acct.blob.core.windows.net/c/a b#1"},
  };
  for (const auto& [text, ref] : cases) {
    SCOPED_TRACE(text);
    auto uri = Uri::Parse(text);
    ASSERT_OK(uri);
    EXPECT_EQ(uri->RefString(), ref);
  }
}

TEST(UriTest, ParseRefReadsRawKeysBackExactly) {
  struct RefCase {
    std::string ref;
    std::string scheme;
    std::string authority;
    std::string path;
    std::string written;  // RefString() of the parsed ref
  };
  const std::vector<RefCase> cases = {
      {"s3://b/with space.txt", "s3", "b", "with space.txt", "s3://b/with space.txt"},
      {"s3://b/a#b?c%d", "s3", "b", "a#b?c%d", "s3://b/a#b?c%d"},
      {"s3://b/a%20b", "s3", "b", "a%20b", "s3://b/a%20b"},
      {"s3://b/a//b", "s3", "b", "a//b", "s3://b/a//b"},
      {"S3://b", "s3", "b", "", "s3://b"},
      {"az://container/k#1", "az", "container", "k#1", "az://container/k#1"},
      {"file:///d/a b#c", "file", "", "/d/a b#c", "file:///d/a b#c"},
      {"file://localhost/d/x", "file", "", "/d/x", "file:///d/x"},
      {"https://h/f%20g?id=3", "https", "h", "f g", "https://h/f%20g?id=3"},
      {"https://acct.blob.core.windows.net/c/a b#1?.txt", "https",
       "acct.blob.core.windows.net", "c/a b#1?.txt",
       "https://acct.blob.core.windows.net/c/a b#1?.txt"},
  };
  for (const RefCase& c : cases) {
    SCOPED_TRACE(c.ref);
    auto uri = Uri::ParseRef(c.ref);
    ASSERT_OK(uri);
    EXPECT_EQ(uri->scheme, c.scheme);
    EXPECT_EQ(uri->authority, c.authority);
    EXPECT_EQ(uri->path, c.path);
    EXPECT_EQ(uri->RefString(), c.written);
  }
  auto https = Uri::ParseRef("https://h/f%20g?id=3");
  ASSERT_OK(https);
  EXPECT_EQ(https->QueryValue("id"), "3");
}

TEST(UriTest, ParseRefRejectsRefsWithoutSchemeBucketOrWithControlBytes) {
  EXPECT_THAT(Uri::ParseRef(""), StatusIs(StatusCode::kInvalidArgument,
                                          HasSubstr("expected scheme://bucket/key")));
  EXPECT_THAT(Uri::ParseRef("data/x.txt"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("\"data/x.txt\"")));
  EXPECT_THAT(Uri::ParseRef("s3:///k"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no bucket")));
  EXPECT_THAT(Uri::ParseRef("s3://b/a\nb"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("control")));
  EXPECT_THAT(Uri::ParseRef("file://otherhost/x"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("file:///abs/path")));
}

TEST(UriTest, ObjectUriKeepsTheQueryOnlyWhereItNamesTheObject) {
  auto s3 = Uri::Parse("s3://b/k?versionId=v1#f");
  ASSERT_OK(s3);
  EXPECT_EQ(s3->ObjectUri().ToString(), "s3://b/k");
  auto http = Uri::Parse("http://h/k?id=3#f");
  ASSERT_OK(http);
  EXPECT_EQ(http->ObjectUri().ToString(), "http://h/k?id=3");
}

struct PinCase {
  std::string text;
  std::optional<std::string> pin;
};

TEST(UriTest, PinnedVersionReadsEachSchemesPin) {
  const std::vector<PinCase> cases = {
      {"s3://b/k?versionId=3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
       "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"},
      {"s3://b/k", std::nullopt},
      {"s3://b/k?generation=5", std::nullopt},
      {"s3://b/k?versionid=v", std::nullopt},
      {"gs://b/k#1712345678901234", "1712345678901234"},
      {"gs://b/k?generation=1712345678901234", "1712345678901234"},
      {"gs://b/k?generation=1712345678901234#1712345678901234", "1712345678901234"},
      {"gs://b/dir/k%23x", std::nullopt},
      {"gs://b/k?versionId=5", std::nullopt},
      {"gs://b/k", std::nullopt},
      {"az://c/k?versionid=2024-01-02T03:04:05.0000000Z", "2024-01-02T03:04:05.0000000Z"},
      {"az://c/k?versionId=w", "w"},
      {"https://acct.blob.core.windows.net/c/k?versionid=v", "v"},
      {"https://h/k?versionid=v", std::nullopt},
      {"http://h/k?versionId=v", std::nullopt},
      {"file:///d/k?versionId=v", std::nullopt},
  };
  for (const PinCase& c : cases) {
    SCOPED_TRACE(c.text);
    auto uri = Uri::Parse(c.text);
    ASSERT_OK(uri);
    auto pin = uri->PinnedVersion();
    ASSERT_OK(pin);
    EXPECT_EQ(*pin, c.pin);
  }
}

TEST(UriTest, PinnedVersionRefusesEmptyAndNonNumericPins) {
  auto pin = [](const std::string& text) {
    auto uri = Uri::Parse(text);
    CAIRN_CHECK(uri.ok());
    return uri->PinnedVersion();
  };
  EXPECT_THAT(
      pin("gs://b/k?generation=abc"),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("invalid URI \"gs://b/k?generation=abc\": the generation "
                         "\"abc\" is not a decimal number")));
  EXPECT_THAT(pin("gs://b/k#v1"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("invalid URI \"gs://b/k#v1\": \"#v1\" is read as a GCS "
                                 "generation")));
  EXPECT_THAT(pin("gs://b/k#12a"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("%23")));
  EXPECT_THAT(pin("gs://b/k#-12"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("\"#-12\" is read as")));
  EXPECT_THAT(pin("gs://b/k?generation=12345678901234567890"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a decimal number")));
  EXPECT_THAT(pin("gs://b/k?generation=1#2"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("two generations (?generation=1 and #2)")));
  EXPECT_THAT(pin("gs://b/k?generation="),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("the version pin ?generation= is empty")));
  EXPECT_THAT(pin("s3://b/k?versionId="),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("the version pin ?versionId= is empty")));
  EXPECT_THAT(pin("az://c/k?versionid="),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("the version pin ?versionid= is empty")));
}

TEST(UriTest, PercentEncodeKeepsUnreservedAndRequestedBytes) {
  EXPECT_EQ(PercentEncode("a b/c~d-e_f.g"), "a%20b%2Fc~d-e_f.g");
  EXPECT_EQ(PercentEncode("a b/c", "/"), "a%20b/c");
  EXPECT_EQ(PercentEncode("\xC3\xA9%"), "%C3%A9%25");
}

TEST(UriTest, PercentDecodeRejectsTruncatedAndNonHexEscapes) {
  auto decoded = PercentDecode("a%20b%2f%2F");
  ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, "a b//");
  EXPECT_THAT(PercentDecode("a%2"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("two hex digits")));
  EXPECT_THAT(PercentDecode("%xy"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("two hex digits")));
}

}  // namespace
}  // namespace cairn::uri
