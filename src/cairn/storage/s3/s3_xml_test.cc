// SPDX-License-Identifier: Apache-2.0
// Known-answer tests of the S3 XML parsers on response bodies shaped like S3's
// (examples from the S3 API reference, trimmed, with cairn's own keys).
#include "cairn/storage/s3/s3_xml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::storage::s3 {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

constexpr std::string_view kListV2Page = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name>
  <Prefix>data/</Prefix>
  <KeyCount>2</KeyCount>
  <MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYEx=</NextContinuationToken>
  <Contents>
    <Key>data/a.txt</Key>
    <LastModified>2026-12-04T15:34:00.000Z</LastModified>
    <ETag>"9b2cf535f27731c974343645a3985328"</ETag>
    <Size>434234</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents>
    <Key>data/b.bin</Key>
    <LastModified>2026-12-04T15:35:07.123Z</LastModified>
    <ETag>&quot;3858f62230ac3c915f300c664312c11f-9&quot;</ETag>
    <Size>0</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
</ListBucketResult>)";

TEST(ParseListObjectsV2Test, ReadsObjectsAndContinuationToken) {
  const Result<ListPage> page =
      ParseListObjectsV2(kListV2Page, "listing s3://bucket/data/");

  ASSERT_OK(page);
  EXPECT_TRUE(page->is_truncated);
  EXPECT_EQ(page->next_continuation_token, "1ueGcxLPRx1Tr/XYEx=");
  ASSERT_EQ(page->objects.size(), 2U);
  EXPECT_EQ(page->objects[0].key, "data/a.txt");
  EXPECT_EQ(page->objects[0].size_bytes, 434234);
  EXPECT_EQ(page->objects[0].etag, "9b2cf535f27731c974343645a3985328");
  EXPECT_EQ(page->objects[0].last_modified, "2026-12-04T15:34:00Z");
  EXPECT_EQ(page->objects[0].version_id, "");
  EXPECT_EQ(page->objects[1].key, "data/b.bin");
  EXPECT_EQ(page->objects[1].size_bytes, 0);
  EXPECT_EQ(page->objects[1].etag, "3858f62230ac3c915f300c664312c11f-9");
  EXPECT_EQ(page->objects[1].last_modified, "2026-12-04T15:35:07Z");
}

TEST(ParseListObjectsV2Test, LastPageHasNoToken) {
  const Result<ListPage> page = ParseListObjectsV2(
      R"(<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated>
         <KeyCount>0</KeyCount></ListBucketResult>)",
      "listing s3://b/");

  ASSERT_OK(page);
  EXPECT_FALSE(page->is_truncated);
  EXPECT_EQ(page->next_continuation_token, "");
  EXPECT_TRUE(page->objects.empty());
}

TEST(ParseListObjectsV2Test, DecodesUrlEncodedKeys) {
  const Result<ListPage> page = ParseListObjectsV2(
      R"(<ListBucketResult><EncodingType>url</EncodingType>
         <IsTruncated>false</IsTruncated>
         <Contents><Key>odd/a+b%2Bc%23%3F%25%E2%82%AC%01</Key><Size>3</Size>
         <ETag>"e"</ETag></Contents></ListBucketResult>)",
      "listing s3://b/odd/");

  ASSERT_OK(page);
  ASSERT_EQ(page->objects.size(), 1U);
  EXPECT_EQ(page->objects[0].key, "odd/a b+c#?%\xE2\x82\xAC\x01");
}

TEST(ParseListObjectsV2Test, KeepsPlusSignsWhenKeysAreNotEncoded) {
  const Result<ListPage> page = ParseListObjectsV2(
      R"(<ListBucketResult><IsTruncated>false</IsTruncated>
         <Contents><Key>a+b%20c</Key><Size>1</Size></Contents></ListBucketResult>)",
      "listing s3://b/");

  ASSERT_OK(page);
  ASSERT_EQ(page->objects.size(), 1U);
  EXPECT_EQ(page->objects[0].key, "a+b%20c");
}

TEST(ParseListObjectsV2Test, RejectsOtherDocumentsNamingThem) {
  EXPECT_THAT(
      ParseListObjectsV2("<Error><Code>NoSuchBucket</Code></Error>", "listing s3://b/"),
      StatusIs(StatusCode::kInternal,
               HasSubstr("listing s3://b/: expected a <ListBucketResult> "
                         "document, got <Error>")));
  EXPECT_THAT(ParseListObjectsV2("not xml <", "listing s3://b/"),
              StatusIs(StatusCode::kInternal, HasSubstr("is not XML")));
  EXPECT_THAT(ParseListObjectsV2(
                  "<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents>"
                  "</ListBucketResult>",
                  "listing s3://b/"),
              StatusIs(StatusCode::kInternal, HasSubstr("bad <Size> '-1'")));
}

constexpr std::string_view kVersionsPage = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name>
  <Prefix>data/</Prefix>
  <KeyMarker></KeyMarker>
  <VersionIdMarker></VersionIdMarker>
  <NextKeyMarker>data/d.txt</NextKeyMarker>
  <NextVersionIdMarker>3/L4kqtJl40Nr8X8gdRQBpUMLUo</NextVersionIdMarker>
  <MaxKeys>5</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <Version>
    <Key>data/a.txt</Key>
    <VersionId>3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY</VersionId>
    <IsLatest>true</IsLatest>
    <LastModified>2026-12-04T15:34:00.000Z</LastModified>
    <ETag>"fba9dede5f27731c9771645a39863328"</ETag>
    <Size>434234</Size>
  </Version>
  <Version>
    <Key>data/a.txt</Key>
    <VersionId>3HL4kqCxf3vjVBH40Nrjfkd</VersionId>
    <IsLatest>false</IsLatest>
    <LastModified>2026-12-03T10:00:00.000Z</LastModified>
    <ETag>"9b2cf535f27731c974343645a3985328"</ETag>
    <Size>166434</Size>
  </Version>
  <DeleteMarker>
    <Key>data/b.txt</Key>
    <VersionId>03jpff543dhffds434rfdsFDN943fdsFkdmqnh892</VersionId>
    <IsLatest>true</IsLatest>
    <LastModified>2026-12-04T15:40:00.000Z</LastModified>
  </DeleteMarker>
  <Version>
    <Key>data/b.txt</Key>
    <VersionId>UIORUnfndfhnw89493jJFJ</VersionId>
    <IsLatest>false</IsLatest>
    <LastModified>2026-12-01T10:00:00.000Z</LastModified>
    <ETag>"0b2cf535f27731c974343645a3985328"</ETag>
    <Size>5</Size>
  </Version>
  <Version>
    <Key>data/c.txt</Key>
    <VersionId>null</VersionId>
    <IsLatest>true</IsLatest>
    <LastModified>2026-11-30T10:00:00.000Z</LastModified>
    <ETag>"c"</ETag>
    <Size>7</Size>
  </Version>
</ListVersionsResult>)";

TEST(ParseListObjectVersionsTest, KeepsLatestVersionsAndSkipsDeleteMarkers) {
  const Result<ListPage> page = ParseListObjectVersions(kVersionsPage, "listing");

  ASSERT_OK(page);
  EXPECT_TRUE(page->is_truncated);
  EXPECT_EQ(page->next_key_marker, "data/d.txt");
  EXPECT_EQ(page->next_version_id_marker, "3/L4kqtJl40Nr8X8gdRQBpUMLUo");
  ASSERT_EQ(page->objects.size(), 2U);
  EXPECT_EQ(page->objects[0].key, "data/a.txt");
  EXPECT_EQ(page->objects[0].version_id, "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY");
  EXPECT_EQ(page->objects[0].size_bytes, 434234);
  EXPECT_EQ(page->objects[0].etag, "fba9dede5f27731c9771645a39863328");
  EXPECT_EQ(page->objects[0].last_modified, "2026-12-04T15:34:00Z");
  EXPECT_EQ(page->objects[1].key, "data/c.txt");
  EXPECT_EQ(page->objects[1].version_id, "") << "the 'null' version has no id";
}

TEST(ParseListObjectVersionsTest, DecodesUrlEncodedKeyMarker) {
  const Result<ListPage> page = ParseListObjectVersions(
      R"(<ListVersionsResult><EncodingType>url</EncodingType>
         <IsTruncated>true</IsTruncated><NextKeyMarker>a%20b+c</NextKeyMarker>
         <NextVersionIdMarker>v1</NextVersionIdMarker></ListVersionsResult>)",
      "listing");

  ASSERT_OK(page);
  EXPECT_EQ(page->next_key_marker, "a b c");
}

TEST(ParseErrorBodyTest, ReadsCodeMessageRequestIdAndRegion) {
  const ErrorBody body = ParseErrorBody(R"(<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>AuthorizationHeaderMalformed</Code>
  <Message>the region us-east-1 is wrong; expecting 'eu-west-1'</Message>
  <Region>eu-west-1</Region>
  <RequestId>4F2A0B8C</RequestId>
  <HostId>host</HostId>
</Error>)");

  EXPECT_EQ(body.code, "AuthorizationHeaderMalformed");
  EXPECT_THAT(body.message, HasSubstr("expecting 'eu-west-1'"));
  EXPECT_EQ(body.region, "eu-west-1");
  EXPECT_EQ(body.request_id, "4F2A0B8C");
  EXPECT_EQ(body.endpoint, "");
}

TEST(ParseErrorBodyTest, ReadsPermanentRedirectEndpoint) {
  const ErrorBody body = ParseErrorBody(
      "<Error><Code>PermanentRedirect</Code><Message>use the endpoint</Message>"
      "<Endpoint>bucket.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>bucket</Bucket>"
      "<RequestId>R1</RequestId></Error>");

  EXPECT_EQ(body.code, "PermanentRedirect");
  EXPECT_EQ(body.endpoint, "bucket.s3.eu-west-1.amazonaws.com");
}

TEST(ParseErrorBodyTest, EmptyOrForeignBodiesGiveEmptyFields) {
  for (const std::string_view body : {"", "<html>Bad Gateway</html>", "garbage <"}) {
    SCOPED_TRACE(body);
    const ErrorBody parsed = ParseErrorBody(body);
    EXPECT_EQ(parsed.code, "");
    EXPECT_EQ(parsed.message, "");
    EXPECT_EQ(parsed.request_id, "");
  }
}

TEST(TrimFractionalSecondsTest, DropsMillisecondsOnly) {
  EXPECT_EQ(TrimFractionalSeconds("2026-12-04T15:34:00.000Z"), "2026-12-04T15:34:00Z");
  EXPECT_EQ(TrimFractionalSeconds("2026-12-04T15:34:00Z"), "2026-12-04T15:34:00Z");
  EXPECT_EQ(TrimFractionalSeconds(""), "");
}

}  // namespace
}  // namespace cairn::storage::s3
