// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/http/http_headers.h"

#include <charconv>

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

}  // namespace cairn::storage::http
