// SPDX-License-Identifier: Apache-2.0
#include "cairn/net/http_date.h"

#include <array>
#include <cstddef>
#include <cstdio>

namespace cairn::net {
namespace {

// The digits of `text` at [start, start+count) as a number, or -1.
int Digits(std::string_view text, std::size_t start, std::size_t count) {
  if (start + count > text.size()) {
    return -1;
  }
  int value = 0;
  for (std::size_t i = start; i < start + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return -1;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::string HttpDateToRfc3339(std::string_view text) {
  // 29 bytes at fixed offsets: "Sun, 06 Nov 1994 08:49:37 GMT".
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || !text.ends_with(" GMT") || text[3] != ',' || text[4] != ' ') {
    return "";
  }
  int month = 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (text.substr(8, 3) == kMonths[i]) {
      month = static_cast<int>(i) + 1;
    }
  }
  const int day = Digits(text, 5, 2);
  const int year = Digits(text, 12, 4);
  const int hour = Digits(text, 17, 2);
  const int minute = Digits(text, 20, 2);
  const int second = Digits(text, 23, 2);
  if (month == 0 || day < 1 || day > 31 || year < 0 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60 || text[19] != ':' ||
      text[22] != ':') {
    return "";
  }
  std::array<char, 24> out{};
  const int written =
      std::snprintf(out.data(), out.size(), "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month,
                    day, hour, minute, second);
  return {out.data(), static_cast<std::size_t>(written)};
}

}  // namespace cairn::net
