// SPDX-License-Identifier: Apache-2.0
// CRC32C (Castagnoli, RFC 3720 section 12.1): the checksum GCS reports for every
// object as "crc32c", and the only one it reports for composite objects, which
// have no md5Hash. Software slice-by-8, so no CPU feature is required.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::hash {

/// Streaming CRC32C. Feed bytes with Update() in any number of pieces; Value()
/// is the checksum of everything fed so far and may be read at any time. Not
/// thread-safe; copyable (a copy continues independently).
class Crc32c {
 public:
  void Update(std::string_view bytes);
  std::uint32_t Value() const { return ~state_; }
  /// Back to the empty input (Value() == 0).
  void Reset() { state_ = 0xFFFFFFFFU; }
  /// Value() in GCS's form: base64 of the four bytes, most significant first.
  std::string Base64() const;

 private:
  std::uint32_t state_ = 0xFFFFFFFFU;
};

/// The CRC32C of `bytes` in one call.
std::uint32_t Crc32cValue(std::string_view bytes);

/// `value` in GCS's form ("4waSgw==" for 0xE3069283): base64 of its big-endian bytes.
std::string Crc32cBase64(std::uint32_t value);

}  // namespace cairn::hash
