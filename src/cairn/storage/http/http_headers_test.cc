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

}  // namespace
}  // namespace cairn::storage::http
