// SPDX-License-Identifier: Apache-2.0
#include "cairn/hash/crc32c.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cairn::hash {
namespace {

struct KnownAnswer {
  std::string name;
  std::string input;
  std::uint32_t crc;
};

std::string Bytes(int count, int first, int step) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    out.push_back(static_cast<char>((first + step * i) & 0xFF));
  }
  return out;
}

// The check value of the CRC catalogue and the four vectors of RFC 3720, B.4.
std::vector<KnownAnswer> KnownAnswers() {
  return {
      {"empty", "", 0x00000000U},
      {"check", "123456789", 0xE3069283U},
      {"32 zeros", std::string(32, '\0'), 0x8A9136AAU},
      {"32 ones", std::string(32, '\xFF'), 0x62A8AB43U},
      {"32 incrementing", Bytes(32, 0, 1), 0x46DD794EU},
      {"32 decrementing", Bytes(32, 31, -1), 0x113FDB5CU},
  };
}

TEST(Crc32cTest, KnownAnswers) {
  for (const KnownAnswer& answer : KnownAnswers()) {
    SCOPED_TRACE(answer.name);
    EXPECT_EQ(Crc32cValue(answer.input), answer.crc);
  }
}

// Every split point of every input, so the eight-byte steps and the byte tail
// agree wherever a piece starts.
TEST(Crc32cTest, PiecesGiveTheSameValueAsOneUpdate) {
  const std::string long_input = Bytes(100, 7, 13);
  for (const KnownAnswer& answer : KnownAnswers()) {
    for (std::size_t split = 0; split <= answer.input.size(); ++split) {
      SCOPED_TRACE(answer.name + " split at " + std::to_string(split));
      Crc32c crc;
      crc.Update(std::string_view(answer.input).substr(0, split));
      crc.Update(std::string_view(answer.input).substr(split));
      EXPECT_EQ(crc.Value(), answer.crc);
    }
  }
  const std::uint32_t whole = Crc32cValue(long_input);
  for (std::size_t split = 0; split <= long_input.size(); ++split) {
    Crc32c crc;
    crc.Update(std::string_view(long_input).substr(0, split));
    crc.Update(std::string_view(long_input).substr(split));
    EXPECT_EQ(crc.Value(), whole) << "split at " << split;
  }
}

TEST(Crc32cTest, ResetStartsOver) {
  Crc32c crc;
  crc.Update("something else");
  crc.Reset();
  EXPECT_EQ(crc.Value(), 0U);
  crc.Update("123456789");
  EXPECT_EQ(crc.Value(), 0xE3069283U);
}

// GCS writes the value big-endian in base64: "4waSgw==" is E3 06 92 83.
TEST(Crc32cTest, Base64IsBigEndianAsGcsReportsIt) {
  EXPECT_EQ(Crc32cBase64(0xE3069283U), "4waSgw==");
  EXPECT_EQ(Crc32cBase64(0U), "AAAAAA==");
  EXPECT_EQ(Crc32cBase64(0x01020304U), "AQIDBA==");
  Crc32c crc;
  crc.Update("123456789");
  EXPECT_EQ(crc.Base64(), "4waSgw==");
}

}  // namespace
}  // namespace cairn::hash
