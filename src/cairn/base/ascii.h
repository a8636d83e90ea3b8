// SPDX-License-Identifier: Apache-2.0
// ASCII case folding for protocol text (schemes, hosts, header and parameter names),
// which must not depend on the process locale.
#pragma once

#include <string>
#include <string_view>

namespace cairn {

/// `text` with A-Z turned into a-z; every other byte is kept.
inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

}  // namespace cairn
