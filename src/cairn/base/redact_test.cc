// SPDX-License-Identifier: Apache-2.0
#include "cairn/base/redact.h"

#include <gtest/gtest.h>

namespace cairn::redact {
namespace {

TEST(RedactTest, UrlHidesSignatureAndCredentialButKeepsVersionId) {
  EXPECT_EQ(
      Url("https://h/b/"
          "k?versionId=abc&X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA%2F1"),
      "https://h/b/k?versionId=abc&X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED");
}

TEST(RedactTest, UrlHidesSasSignature) {
  EXPECT_EQ(Url("https://a.blob.core.windows.net/c/k?sv=2021&sig=secret%3D&se=2030"),
            "https://a.blob.core.windows.net/c/k?sv=2021&sig=REDACTED&se=2030");
}

TEST(RedactTest, UrlStripsUserInfo) {
  EXPECT_EQ(Url("https://user:pass@example.test/path?x=1"),
            "https://example.test/path?x=1");
}

TEST(RedactTest, UrlWithoutQueryIsUnchanged) {
  EXPECT_EQ(Url("s3://bucket/a b/c"), "s3://bucket/a b/c");
}

TEST(RedactTest, HeaderHidesAuthorizationOnly) {
  EXPECT_EQ(Header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA"),
            "Authorization: REDACTED");
  EXPECT_EQ(Header("x-amz-security-token", "tok"), "x-amz-security-token: REDACTED");
  EXPECT_EQ(Header("Range", "bytes=0-9"), "Range: bytes=0-9");
  EXPECT_EQ(Header("Location", "https://b.s3.amazonaws.com/k?X-Amz-Signature=abc&id=1"),
            "Location: https://b.s3.amazonaws.com/k?X-Amz-Signature=REDACTED&id=1");
}

}  // namespace
}  // namespace cairn::redact
