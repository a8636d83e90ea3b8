// SPDX-License-Identifier: Apache-2.0
#include "cairn/net/http_date.h"

#include <gtest/gtest.h>

namespace cairn::net {
namespace {

TEST(HttpDateTest, ImfFixdateBecomesRfc3339) {
  EXPECT_EQ(HttpDateToRfc3339("Fri, 04 Dec 2026 18:15:55 GMT"), "2026-12-04T18:15:55Z");
  EXPECT_EQ(HttpDateToRfc3339("Sun, 06 Nov 1994 08:49:37 GMT"), "1994-11-06T08:49:37Z");
  EXPECT_EQ(HttpDateToRfc3339("Mon, 01 Jan 2024 00:00:00 GMT"), "2024-01-01T00:00:00Z");
}

TEST(HttpDateTest, AnythingElseIsEmpty) {
  EXPECT_EQ(HttpDateToRfc3339("Sunday, 06-Nov-94 08:49:37 GMT"), "");  // RFC 850
  EXPECT_EQ(HttpDateToRfc3339("Sun Nov  6 08:49:37 1994"), "");        // asctime
  EXPECT_EQ(HttpDateToRfc3339("Sun, 06 Foo 1994 08:49:37 GMT"), "");
  EXPECT_EQ(HttpDateToRfc3339("Sun, 06 Nov 1994 28:49:37 GMT"), "");
  EXPECT_EQ(HttpDateToRfc3339("Sun, 06 Nov 1994 08-49-37 GMT"), "");
  EXPECT_EQ(HttpDateToRfc3339("2026-12-04T15:58:34Z"), "");
  EXPECT_EQ(HttpDateToRfc3339(""), "");
}

}  // namespace
}  // namespace cairn::net
