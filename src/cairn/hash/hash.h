// SPDX-License-Identifier: Apache-2.0
// Content digests on OpenSSL's EVP interface: streaming MD5 and SHA-256, HMAC-SHA256
// for request signing, and the base64 MD5 of a file that W&B records as a file://
// entry's digest.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cairn/base/result.h"

namespace cairn::hash {

namespace internal {
struct EvpContextDeleter {
  void operator()(void* context) const;
};

/// One EVP digest context; Md5 and Sha256 are thin names over it.
class EvpHasher {
 public:
  enum class Kind { kMd5, kSha256 };
  explicit EvpHasher(Kind kind);

  void Update(std::string_view bytes);
  std::string Final();

 private:
  void Reset();

  Kind kind_;
  // An EVP_MD_CTX, kept opaque so OpenSSL's headers stay out of cairn's.
  std::unique_ptr<void, EvpContextDeleter> context_;
};
}  // namespace internal

/// Streaming MD5. Feed bytes with Update() in any number of pieces; Final() returns
/// the 16 raw digest bytes and resets the hasher to the empty state, so one object
/// can hash several inputs in turn. Not thread-safe; movable, not copyable.
class Md5 {
 public:
  static constexpr std::size_t kDigestBytes = 16;

  Md5() : hasher_(internal::EvpHasher::Kind::kMd5) {}
  void Update(std::string_view bytes) { hasher_.Update(bytes); }
  std::string Final() { return hasher_.Final(); }

 private:
  internal::EvpHasher hasher_;
};

/// Streaming SHA-256, with the same contract as Md5; Final() returns 32 raw bytes.
class Sha256 {
 public:
  static constexpr std::size_t kDigestBytes = 32;

  Sha256() : hasher_(internal::EvpHasher::Kind::kSha256) {}
  void Update(std::string_view bytes) { hasher_.Update(bytes); }
  std::string Final() { return hasher_.Final(); }

 private:
  internal::EvpHasher hasher_;
};

/// The 16 raw MD5 bytes of `bytes`.
std::string Md5Digest(std::string_view bytes);

/// The 32 raw SHA-256 bytes of `bytes`.
std::string Sha256Digest(std::string_view bytes);

/// The 32 raw bytes of HMAC-SHA256 (RFC 2104) of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);

/// The base64 MD5 of the file's whole content, W&B's digest for a file:// entry.
/// Reads the file in 1 MiB blocks; memory use does not grow with the file size.
/// kNotFound when `path` does not exist, kPermissionDenied when it cannot be
/// opened for reading, kInvalidArgument for a directory or another file that is not
/// regular (FIFO, socket, device), kUnavailable for a read error; each message names
/// the path. Never waits for a FIFO's writer.
Result<std::string> Md5Base64OfFile(const std::string& path);

}  // namespace cairn::hash
