// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/http/http_headers.h"

#include <array>
#include <charconv>
#include <cstdio>

namespace cairn::storage::http {
namespace {

std::optional<std::int64_t> ParseDecimal(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      value < 0) {
    return std::nullopt;
  }
  return value;
}

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

std::string StrongEtag(std::optional<std::string> header) {
  if (!header.has_value()) {
    return "";
  }
  const std::string_view value = *header;
  if (value.starts_with("W/") || value.starts_with("w/")) {
    return "";
  }
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    return std::string(value.substr(1, value.size() - 2));
  }
  // Some servers forget the quotes; the value is still an opaque strong tag.
  return value.find('"') == std::string_view::npos ? std::string(value) : "";
}

std::optional<std::int64_t> ParseLength(std::optional<std::string> header) {
  if (!header.has_value()) {
    return std::nullopt;
  }
  return ParseDecimal(*header);
}

std::optional<std::int64_t> ContentRangeTotal(std::optional<std::string> header) {
  if (!header.has_value() || !header->starts_with("bytes ")) {
    return std::nullopt;
  }
  const std::size_t slash = header->rfind('/');
  if (slash == std::string::npos) {
    return std::nullopt;
  }
  return ParseDecimal(std::string_view(*header).substr(slash + 1));
}

std::string HttpDateToRfc3339(std::optional<std::string> header) {
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT", 29 bytes at fixed offsets.
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (!header.has_value() || header->size() != 29 || !header->ends_with(" GMT") ||
      (*header)[3] != ',') {
    return "";
  }
  const std::string_view text = *header;
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
  return written == 20 ? std::string(out.data(), 20) : "";
}

}  // namespace cairn::storage::http
