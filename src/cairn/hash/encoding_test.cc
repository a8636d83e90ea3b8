// SPDX-License-Identifier: Apache-2.0
#include "cairn/hash/encoding.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::hash {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

TEST(EncodingTest, HexIsLowerCaseTwoDigitsPerByte) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x01\x7f\x80\xff", 5)), "00017f80ff");
  EXPECT_EQ(HexEncode("\xAB\xCD"), "abcd");
}

TEST(EncodingTest, Base64MatchesRfc4648Vectors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
      {std::string("\xfb\xff\xbf", 3), "+/+/"},
  };
  for (const auto& [plain, encoded] : cases) {
    SCOPED_TRACE(encoded);
    EXPECT_EQ(Base64Encode(plain), encoded);
    auto decoded = Base64Decode(encoded);
    ASSERT_OK(decoded);
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(EncodingTest, Base64RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) {
    all.push_back(static_cast<char>(i));
  }
  for (std::size_t length = 0; length <= all.size(); length += 37) {
    SCOPED_TRACE(length);
    auto decoded = Base64Decode(Base64Encode(all.substr(0, length)));
    ASSERT_OK(decoded);
    EXPECT_EQ(*decoded, all.substr(0, length));
  }
}

TEST(EncodingTest, Base64DecodeRejectsMalformedText) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Zg=", "multiple of 4"},    {"Zm9", "multiple of 4"},
      {"Zm9v\n", "multiple of 4"}, {"Zm-v", "outside the base64 alphabet"},
      {"Z===", "outside"},         {"====", "outside"},
      {"Zh==", "not zero"},        {"Zm9=", "not zero"},
      {"Zg==Zg==", "outside"},
  };
  for (const auto& [text, problem] : cases) {
    SCOPED_TRACE(text);
    EXPECT_THAT(Base64Decode(text),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr(problem)));
  }
}

}  // namespace
}  // namespace cairn::hash
