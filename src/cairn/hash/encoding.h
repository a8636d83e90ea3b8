// SPDX-License-Identifier: Apache-2.0
// Byte-to-text encodings for digests: lower-case hex (S3 ETags, SHA-256 payload
// hashes, W&B's manifest digest) and standard base64 (Content-MD5, W&B's file
// digests, GCS md5Hash and crc32c).
#pragma once

#include <string>
#include <string_view>

#include "cairn/base/result.h"

namespace cairn::hash {

/// Lower-case hex, two characters per byte.
std::string HexEncode(std::string_view bytes);

/// Standard base64 (RFC 4648 section 4) with '=' padding.
std::string Base64Encode(std::string_view bytes);

/// Decodes standard padded base64. kInvalidArgument naming the input for a length
/// that is not a multiple of 4, a character outside the alphabet, or misplaced
/// padding. Whitespace is not accepted.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace cairn::hash
