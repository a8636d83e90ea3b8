// SPDX-License-Identifier: Apache-2.0
// The List Blobs and Error parsers on responses shaped as the Azure Storage REST
// reference documents them (the values are made up): a versioned account's plain
// listing, an include=versions listing, an encoded name, ADLS directory stubs.
#include "cairn/storage/azure/azure_xml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::storage::azure {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

constexpr std::string_view kVersionedPage = R"(<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="https://acct.blob.core.windows.net/"
    ContainerName="cont">
  <Prefix>data/</Prefix>
  <MaxResults>3</MaxResults>
  <Blobs>
    <Blob>
      <Name>data/a b.txt</Name>
      <VersionId>2026-12-04T15:34:00.1234567Z</VersionId>
      <IsCurrentVersion>true</IsCurrentVersion>
      <Properties>
        <Creation-Time>Fri, 04 Dec 2026 15:30:00 GMT</Creation-Time>
        <Last-Modified>Fri, 04 Dec 2026 15:34:00 GMT</Last-Modified>
        <Etag>0x8DD1234567890AB</Etag>
        <Content-Length>5</Content-Length>
        <Content-Type>text/plain</Content-Type>
        <Content-MD5>XUFAKrxLKna5cZ2REBfFkg==</Content-MD5>
        <BlobType>BlockBlob</BlobType>
      </Properties>
      <Metadata />
    </Blob>
    <Blob>
      <Name>data/dir</Name>
      <VersionId>2026-12-04T15:00:00.0000000Z</VersionId>
      <IsCurrentVersion>true</IsCurrentVersion>
      <Properties>
        <Last-Modified>Fri, 04 Dec 2026 15:00:00 GMT</Last-Modified>
        <Etag>0x8DD0000000000AA</Etag>
        <Content-Length>0</Content-Length>
        <Content-MD5 />
      </Properties>
      <Metadata><hdi_isfolder>true</hdi_isfolder></Metadata>
    </Blob>
    <Blob>
      <Name Encoded="true">data/bell%07.bin</Name>
      <Properties>
        <Last-Modified>Sat, 05 Dec 2026 01:02:03 GMT</Last-Modified>
        <Etag>"0x8DD0000000000BB"</Etag>
        <Content-Length>12345678901</Content-Length>
        <Content-MD5 />
        <ResourceType>file</ResourceType>
      </Properties>
    </Blob>
  </Blobs>
  <NextMarker>2!88!MDAwMDE2IWRhdGEvemVicmEudHh0</NextMarker>
</EnumerationResults>)";

TEST(AzureXmlTest, ListBlobsReportsEveryFieldOfTheCurrentVersion) {
  const Result<ListBlobsPage> page =
      ParseListBlobs(kVersionedPage, "listing az://cont/data/");

  ASSERT_OK(page);
  ASSERT_EQ(page->blobs.size(), 3U);
  const ListedBlob& first = page->blobs[0];
  EXPECT_EQ(first.name, "data/a b.txt");
  EXPECT_EQ(first.size_bytes, 5);
  EXPECT_EQ(first.etag, "0x8DD1234567890AB");
  EXPECT_EQ(first.md5_base64, "XUFAKrxLKna5cZ2REBfFkg==");
  EXPECT_EQ(first.last_modified, "2026-12-04T15:34:00Z");
  EXPECT_EQ(first.version_id, "2026-12-04T15:34:00.1234567Z");
  EXPECT_FALSE(first.is_directory);
  EXPECT_TRUE(page->blobs[1].is_directory);
  EXPECT_EQ(page->blobs[2].name, "data/bell\x07.bin");
  EXPECT_EQ(page->blobs[2].size_bytes, 12345678901);
  EXPECT_EQ(page->blobs[2].etag, "0x8DD0000000000BB");
  EXPECT_EQ(page->blobs[2].md5_base64, "");
  EXPECT_EQ(page->blobs[2].last_modified, "2026-12-05T01:02:03Z");
  EXPECT_EQ(page->blobs[2].version_id, "");
  EXPECT_FALSE(page->blobs[2].is_directory);
  EXPECT_EQ(page->next_marker, "2!88!MDAwMDE2IWRhdGEvemVicmEudHh0");
}

TEST(AzureXmlTest, ListBlobsKeepsOnlyCurrentLiveBlobs) {
  // An include=versions,deleted,snapshots listing: "k" has an old version and a
  // current one, "gone" only an old version (its blob was deleted), "soft" is
  // soft-deleted, "snap" has a snapshot beside the base blob.
  constexpr std::string_view kXml = R"(<EnumerationResults><Blobs>
    <Blob><Name>gone</Name><VersionId>v1</VersionId>
      <Properties><Content-Length>1</Content-Length></Properties></Blob>
    <Blob><Name>k</Name><VersionId>v2</VersionId>
      <Properties><Content-Length>2</Content-Length></Properties></Blob>
    <Blob><Name>k</Name><VersionId>v3</VersionId><IsCurrentVersion>true</IsCurrentVersion>
      <Properties><Content-Length>3</Content-Length></Properties></Blob>
    <Blob><Name>snap</Name><Snapshot>2026-12-04T10:00:00.0000000Z</Snapshot>
      <Properties><Content-Length>4</Content-Length></Properties></Blob>
    <Blob><Name>snap</Name>
      <Properties><Content-Length>5</Content-Length></Properties></Blob>
    <Blob><Name>soft</Name><Deleted>true</Deleted>
      <Properties><Content-Length>6</Content-Length></Properties></Blob>
  </Blobs><NextMarker /></EnumerationResults>)";

  const Result<ListBlobsPage> page = ParseListBlobs(kXml, "listing");

  ASSERT_OK(page);
  ASSERT_EQ(page->blobs.size(), 2U);
  EXPECT_EQ(page->blobs[0].name, "k");
  EXPECT_EQ(page->blobs[0].version_id, "v3");
  EXPECT_EQ(page->blobs[0].size_bytes, 3);
  EXPECT_EQ(page->blobs[1].name, "snap");
  EXPECT_EQ(page->blobs[1].size_bytes, 5);
  EXPECT_EQ(page->next_marker, "");
}

TEST(AzureXmlTest, ResourceTypeDirectoryIsADirectory) {
  constexpr std::string_view kXml = R"(<EnumerationResults><Blobs>
    <Blob><Name>d</Name><Properties><Content-Length>0</Content-Length>
      <ResourceType>directory</ResourceType></Properties></Blob>
  </Blobs></EnumerationResults>)";

  const Result<ListBlobsPage> page = ParseListBlobs(kXml, "listing");

  ASSERT_OK(page);
  ASSERT_EQ(page->blobs.size(), 1U);
  EXPECT_TRUE(page->blobs[0].is_directory);
}

TEST(AzureXmlTest, MalformedListingsAreInternalErrorsNamingWhat) {
  struct Case {
    std::string_view xml;
    std::string_view expected;
  };
  const Case cases[] = {
      {"not xml <", "listing az://c/p/: the blob listing is not XML"},
      {"<Error><Code>X</Code></Error>",
       "expected an <EnumerationResults> document, got <Error>"},
      {"<EnumerationResults><Blobs><Blob><Properties/></Blob></Blobs></"
       "EnumerationResults>",
       "a listed blob has no <Name>"},
      {"<EnumerationResults><Blobs><Blob><Name>n</Name><Properties><Content-Length>-1"
       "</Content-Length></Properties></Blob></Blobs></EnumerationResults>",
       "blob \"n\" has no valid <Content-Length>"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.xml);
    EXPECT_THAT(ParseListBlobs(c.xml, "listing az://c/p/"),
                StatusIs(StatusCode::kInternal, HasSubstr(std::string(c.expected))));
  }
}

TEST(AzureXmlTest, ErrorBodyKeepsCodeAndFirstMessageLineButNoDetail) {
  constexpr std::string_view kXml = R"(<?xml version="1.0" encoding="utf-8"?>
<Error><Code>AuthenticationFailed</Code>
<Message>Server failed to authenticate the request.
RequestId:4f2a0000-0000-0000-0000-000000000000
Time:2026-12-04T15:34:00.0000000Z</Message>
<AuthenticationErrorDetail>The MAC signature found in the HTTP request 'c2lnbmF0dXJl'
is not the same as any computed signature.</AuthenticationErrorDetail></Error>)";

  const AzureErrorBody body = ParseErrorBody(kXml);

  EXPECT_EQ(body.code, "AuthenticationFailed");
  EXPECT_EQ(body.message, "Server failed to authenticate the request.");
  EXPECT_EQ(ParseErrorBody("").code, "");
  EXPECT_EQ(ParseErrorBody("<html>busy</html>").message, "");
}

}  // namespace
}  // namespace cairn::storage::azure
