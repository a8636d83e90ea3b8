// SPDX-License-Identifier: Apache-2.0
#include "cairn/hash/encoding.h"

#include <array>
#include <cstdint>

namespace cairn::hash {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Maps a byte to its 6-bit base64 value, or -1 outside the alphabet.
constexpr std::array<int, 256> MakeBase64Values() {
  std::array<int, 256> values{};
  for (int& value : values) {
    value = -1;
  }
  for (std::size_t i = 0; i < kBase64Alphabet.size(); ++i) {
    values[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<int>(i);
  }
  return values;
}

constexpr std::array<int, 256> kBase64Values = MakeBase64Values();

Status BadBase64(std::string_view text, std::string_view problem) {
  return InvalidArgumentError("invalid base64 \"" + std::string(text) +
                              "\": " + std::string(problem));
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 0xf]);
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    const auto b2 = static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kBase64Alphabet[b0 >> 2]);
    out.push_back(kBase64Alphabet[((b0 & 0x3) << 4) | (b1 >> 4)]);
    out.push_back(kBase64Alphabet[((b1 & 0xf) << 2) | (b2 >> 6)]);
    out.push_back(kBase64Alphabet[b2 & 0x3f]);
  }

  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = rest == 2 ? static_cast<unsigned char>(bytes[i + 1]) : 0;
    out.push_back(kBase64Alphabet[b0 >> 2]);
    out.push_back(kBase64Alphabet[((b0 & 0x3) << 4) | (b1 >> 4)]);
    out.push_back(rest == 2 ? kBase64Alphabet[(b1 & 0xf) << 2] : '=');
    out.push_back('=');
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return BadBase64(text, "its length is not a multiple of 4 (is padding missing?)");
  }
  std::size_t padding = 0;
  if (text.ends_with("==")) {
    padding = 2;
  } else if (text.ends_with('=')) {
    padding = 1;
  }

  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t bits = 0;
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    const int value = kBase64Values[static_cast<unsigned char>(text[i])];
    if (value < 0) {
      return BadBase64(
          text, "character " + std::to_string(i) + " is outside the base64 alphabet");
    }
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    if (i % 4 == 3) {
      out.push_back(static_cast<char>((bits >> 16) & 0xff));
      out.push_back(static_cast<char>((bits >> 8) & 0xff));
      out.push_back(static_cast<char>(bits & 0xff));
      bits = 0;
    }
  }

  // The last group holds 2 or 3 characters before its padding; the bits past the
  // last whole byte must be zero, so each byte string has exactly one encoding.
  const std::uint32_t unused_mask = padding == 2 ? 0xf : (padding == 1 ? 0x3 : 0);
  if ((bits & unused_mask) != 0) {
    return BadBase64(text, "the bits before the padding are not zero");
  }
  if (padding == 2) {
    out.push_back(static_cast<char>((bits >> 4) & 0xff));
  } else if (padding == 1) {
    out.push_back(static_cast<char>((bits >> 10) & 0xff));
    out.push_back(static_cast<char>((bits >> 2) & 0xff));
  }
  return out;
}

}  // namespace cairn::hash
