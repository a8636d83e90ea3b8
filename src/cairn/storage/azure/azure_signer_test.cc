// SPDX-License-Identifier: Apache-2.0
// Shared Key and account SAS signing on known answers. The expected strings follow
// the Azure Storage REST reference; the expected signatures were computed apart
// from cairn (Python's hmac over the same string with Azurite's development key).
// Azurite checking these signatures is in azure_store_test.cc.
#include "cairn/storage/azure/azure_signer.h"

#include <ctime>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/credentials/azure.h"
#include "cairn/hash/encoding.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage::azure {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

std::chrono::system_clock::time_point At(int year, int month, int day, int hour,
                                         int minute, int second) {
  std::tm utc{};
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  return std::chrono::system_clock::from_time_t(::timegm(&utc));
}

std::string DevKeyBytes() {
  Result<std::string> key = hash::Base64Decode(credentials::kAzuriteAccountKey);
  CAIRN_CHECK(key.ok());
  return *key;
}

net::Request RangedVersionRead() {
  net::Request request;
  request.method = "GET";
  request.url =
      "http://127.0.0.1:10000/devstoreaccount1/cont/dir/a%20b.txt"
      "?versionid=2026-12-04T15%3A34%3A00.1234567Z";
  request.headers = {
      {"x-ms-version", "2021-08-06"}, {"If-Match", "\"0x8D\""}, {"Range", "bytes=0-9"}};
  return request;
}

TEST(AzureSignerTest, HttpDateIsRfc1123InGmt) {
  EXPECT_EQ(HttpDate(At(2026, 12, 4, 15, 34, 0)), "Fri, 04 Dec 2026 15:34:00 GMT");
  EXPECT_EQ(HttpDate(At(2030, 1, 1, 0, 0, 9)), "Tue, 01 Jan 2030 00:00:09 GMT");
}

TEST(AzureSignerTest, StringToSignOfARangedPinnedRead) {
  net::Request request = RangedVersionRead();
  request.headers.emplace_back("x-ms-date", "Fri, 04 Dec 2026 15:34:00 GMT");

  EXPECT_EQ(SharedKeyStringToSign(request, "devstoreaccount1"),
            "GET\n"
            "\n\n\n\n\n\n\n"  // Content-Encoding ... If-Modified-Since: none sent
            "\"0x8D\"\n"
            "\n\n"  // If-None-Match, If-Unmodified-Since
            "bytes=0-9\n"
            "x-ms-date:Fri, 04 Dec 2026 15:34:00 GMT\n"
            "x-ms-version:2021-08-06\n"
            "/devstoreaccount1/devstoreaccount1/cont/dir/a%20b.txt\n"
            "versionid:2026-12-04T15:34:00.1234567Z");
}

TEST(AzureSignerTest, StringToSignSortsQueryNamesAndDecodesValues) {
  net::Request request;
  request.method = "GET";
  request.url =
      "https://acct.blob.core.windows.net/cont?restype=container&comp=list"
      "&include=metadata&maxresults=2&prefix=a%2Fb%20c&Marker=m";
  request.headers = {{"X-MS-Version", "2021-08-06"}, {"x-ms-date", "  D  x  "}};

  EXPECT_EQ(SharedKeyStringToSign(request, "acct"),
            "GET\n\n\n\n\n\n\n\n\n\n\n\n"
            "x-ms-date:D x\n"
            "x-ms-version:2021-08-06\n"
            "/acct/cont\n"
            "comp:list\n"
            "include:metadata\n"
            "marker:m\n"
            "maxresults:2\n"
            "prefix:a/b c\n"
            "restype:container");
}

TEST(AzureSignerTest, StringToSignOfAPutNamesLengthAndDefaultType) {
  net::Request request;
  request.method = "PUT";
  request.url = "http://127.0.0.1:10000/devstoreaccount1/cont/k";
  request.body = "hello";
  net::Request empty = request;
  empty.body.clear();

  EXPECT_EQ(SharedKeyStringToSign(request, "devstoreaccount1"),
            "PUT\n\n\n5\n\napplication/octet-stream\n\n\n\n\n\n\n"
            "/devstoreaccount1/devstoreaccount1/cont/k");
  EXPECT_EQ(SharedKeyStringToSign(empty, "devstoreaccount1"),
            "PUT\n\n\n\n\napplication/octet-stream\n\n\n\n\n\n\n"
            "/devstoreaccount1/devstoreaccount1/cont/k");
}

TEST(AzureSignerTest, SignatureMatchesAnIndependentHmac) {
  const net::Headers headers = SignSharedKey(RangedVersionRead(), "devstoreaccount1",
                                             DevKeyBytes(), At(2026, 12, 4, 15, 34, 0));

  EXPECT_EQ(headers, (net::Headers{{"x-ms-date", "Fri, 04 Dec 2026 15:34:00 GMT"},
                                   {"Authorization",
                                    "SharedKey devstoreaccount1:"
                                    "FZsa7pvyDaC0ZcAV840aEzLwFqxjaibyUBl1pRfZrPE="}}));
}

TEST(AzureSignerTest, AccountSasMatchesAnIndependentHmac) {
  const AccountSasOptions options{.expiry = At(2030, 1, 1, 0, 0, 0)};

  const Result<std::string> sas = MakeAccountSas(
      credentials::kAzuriteAccount, credentials::kAzuriteAccountKey, options);

  ASSERT_OK(sas);
  EXPECT_EQ(*sas,
            "sv=2021-08-06&ss=b&srt=sco&sp=rl&se=2030-01-01T00%3A00%3A00Z"
            "&spr=https%2Chttp&sig=vDMcyw3ZlebJO5%2BzeUI5GFTFTx%2B1XDXzVVIoXUDAJBQ%3D");
}

TEST(AzureSignerTest, AccountSasRefusesAKeyThatIsNotBase64WithoutQuotingIt) {
  const AccountSasOptions options{.expiry = At(2030, 1, 1, 0, 0, 0)};

  EXPECT_THAT(MakeAccountSas("acct", "not*base64!", options),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("not base64"), Not(HasSubstr("not*base64!")))));
}

}  // namespace
}  // namespace cairn::storage::azure
