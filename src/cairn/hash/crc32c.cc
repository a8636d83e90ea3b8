// SPDX-License-Identifier: Apache-2.0
#include "cairn/hash/crc32c.h"

#include <array>

#include "cairn/hash/encoding.h"

namespace cairn::hash {
namespace {

// The reflected Castagnoli polynomial 0x1EDC6F41.
constexpr std::uint32_t kPolynomial = 0x82F63B78U;

using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

// tables[0] is the byte-at-a-time table; tables[k][b] is the CRC of byte b
// followed by k zero bytes, which lets Update fold eight bytes per step.
constexpr Tables MakeTables() {
  Tables tables{};
  for (std::uint32_t byte = 0; byte < 256; ++byte) {
    std::uint32_t crc = byte;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1U) != 0 ? (crc >> 1) ^ kPolynomial : crc >> 1;
    }
    tables[0][byte] = crc;
  }
  for (std::size_t k = 1; k < tables.size(); ++k) {
    for (std::uint32_t byte = 0; byte < 256; ++byte) {
      const std::uint32_t previous = tables[k - 1][byte];
      tables[k][byte] = (previous >> 8) ^ tables[0][previous & 0xFFU];
    }
  }
  return tables;
}

constexpr Tables kTables = MakeTables();

std::uint32_t Byte(std::uint32_t value, int index) {
  return (value >> (8 * index)) & 0xFFU;
}

}  // namespace

void Crc32c::Update(std::string_view bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t left = bytes.size();
  std::uint32_t crc = state_;

  // Eight bytes per step; the words are assembled little-endian by hand, so the
  // result does not depend on the host's byte order or alignment.
  while (left >= 8) {
    const std::uint32_t low =
        crc ^ (std::uint32_t{data[0]} | std::uint32_t{data[1]} << 8 |
               std::uint32_t{data[2]} << 16 | std::uint32_t{data[3]} << 24);
    crc = kTables[7][Byte(low, 0)] ^ kTables[6][Byte(low, 1)] ^ kTables[5][Byte(low, 2)] ^
          kTables[4][Byte(low, 3)] ^ kTables[3][data[4]] ^ kTables[2][data[5]] ^
          kTables[1][data[6]] ^ kTables[0][data[7]];
    data += 8;
    left -= 8;
  }
  for (; left > 0; --left, ++data) {
    crc = (crc >> 8) ^ kTables[0][(crc ^ *data) & 0xFFU];
  }
  state_ = crc;
}

std::string Crc32c::Base64() const {
  return Crc32cBase64(Value());
}

std::uint32_t Crc32cValue(std::string_view bytes) {
  Crc32c crc;
  crc.Update(bytes);
  return crc.Value();
}

std::string Crc32cBase64(std::uint32_t value) {
  const std::string big_endian = {
      static_cast<char>(Byte(value, 3)), static_cast<char>(Byte(value, 2)),
      static_cast<char>(Byte(value, 1)), static_cast<char>(Byte(value, 0))};
  return Base64Encode(big_endian);
}

}  // namespace cairn::hash
