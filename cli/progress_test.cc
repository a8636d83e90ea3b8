// SPDX-License-Identifier: Apache-2.0
#include "cli/progress.h"

#include <gtest/gtest.h>

#include "cli/output.h"

namespace cairn::cli {
namespace {

TEST(ProgressTest, LineWithTotalsShowsBarPercentAndBytes) {
  const api::Progress progress{.phase = "hashing",
                               .done = 5,
                               .total = 10,
                               .bytes_done = 1536,
                               .bytes_total = 3072};
  EXPECT_EQ(FormatProgress(progress, 10),
            "hashing     5/10 [#####.....]  50%  1.5 KiB/3.0 KiB");
}

TEST(ProgressTest, LineWithoutTotalShowsCountOnly) {
  const api::Progress progress{.phase = "listing", .done = 1200};
  EXPECT_EQ(FormatProgress(progress, 10), "listing     1200");
}

TEST(ProgressTest, EmptyTotalCountsAsComplete) {
  const api::Progress progress{.phase = "downloading", .done = 0, .total = 0};
  EXPECT_EQ(FormatProgress(progress, 4), "downloading 0/0 [####] 100%");
}

TEST(OutputTest, HumanBytesPicksBinaryUnits) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(1023), "1023 B");
  EXPECT_EQ(HumanBytes(1024), "1.0 KiB");
  EXPECT_EQ(HumanBytes(5 * 1024 * 1024 + 512 * 1024), "5.5 MiB");
  EXPECT_EQ(HumanBytes(std::int64_t{3} << 40), "3.0 TiB");
}

TEST(OutputTest, CountOfPluralisesAllButOne) {
  EXPECT_EQ(CountOf(0, "file"), "0 files");
  EXPECT_EQ(CountOf(1, "file"), "1 file");
  EXPECT_EQ(CountOf(1797, "file"), "1797 files");
}

TEST(OutputTest, StoredJsonThatDoesNotParseIsKeptAsText) {
  EXPECT_EQ(ParseStoredJson("{\"a\":\"1\"}"), nlohmann::json({{"a", "1"}}));
  EXPECT_EQ(ParseStoredJson("not json"), nlohmann::json("not json"));
}

}  // namespace
}  // namespace cairn::cli
