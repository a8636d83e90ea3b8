// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/http/http_headers.h"

#include <gtest/gtest.h>

namespace cairn::storage::http {
namespace {

TEST(HttpHeadersTest, StrongEtagDropsQuotesAndRefusesWeakOnes) {
  EXPECT_EQ(StrongEtag("\"6b13035b-5\""), "6b13035b-5");  // nginx
  EXPECT_EQ(StrongEtag("\"\""), "");
  EXPECT_EQ(StrongEtag("unquoted-tag"), "unquoted-tag");
  EXPECT_EQ(StrongEtag("W/\"6b13035b-5\""), "");
  EXPECT_EQ(StrongEtag("w/\"x\""), "");
  EXPECT_EQ(StrongEtag("\"broken"), "");
  EXPECT_EQ(StrongEtag(std::nullopt), "");
}

TEST(HttpHeadersTest, LengthsAreNonNegativeDecimals) {
  EXPECT_EQ(ParseLength("0"), 0);
  EXPECT_EQ(ParseLength("2621440"), 2621440);
  EXPECT_EQ(ParseLength("-1"), std::nullopt);
  EXPECT_EQ(ParseLength("12 "), std::nullopt);
  EXPECT_EQ(ParseLength(""), std::nullopt);
  EXPECT_EQ(ParseLength(std::nullopt), std::nullopt);
}

TEST(HttpHeadersTest, ContentRangeTotalReadsTheCompleteLength) {
  EXPECT_EQ(ContentRangeTotal("bytes 0-0/5"), 5);
  EXPECT_EQ(ContentRangeTotal("bytes 100-199/2621440"), 2621440);
  EXPECT_EQ(ContentRangeTotal("bytes */0"), 0);
  EXPECT_EQ(ContentRangeTotal("bytes 0-0/*"), std::nullopt);
  EXPECT_EQ(ContentRangeTotal("items 0-0/5"), std::nullopt);
  EXPECT_EQ(ContentRangeTotal(std::nullopt), std::nullopt);
}

TEST(HttpHeadersTest, HttpDateBecomesRfc3339) {
  EXPECT_EQ(HttpDateToRfc3339("Fri, 04 Dec 2026 18:15:55 GMT"), "2026-12-04T18:15:55Z");
  EXPECT_EQ(HttpDateToRfc3339("Sun, 06 Nov 1994 08:49:37 GMT"), "1994-11-06T08:49:37Z");
  EXPECT_EQ(HttpDateToRfc3339("Sunday, 06-Nov-94 08:49:37 GMT"), "");  // RFC 850
  EXPECT_EQ(HttpDateToRfc3339("Sun Nov  6 08:49:37 1994"), "");        // asctime
  EXPECT_EQ(HttpDateToRfc3339("Sun, 06 Foo 1994 08:49:37 GMT"), "");
  EXPECT_EQ(HttpDateToRfc3339("Sun, 06 Nov 1994 28:49:37 GMT"), "");
  EXPECT_EQ(HttpDateToRfc3339(std::nullopt), "");
}

}  // namespace
}  // namespace cairn::storage::http
