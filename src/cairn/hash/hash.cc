// SPDX-License-Identifier: Apache-2.0
#include "cairn/hash/hash.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "cairn/base/file_descriptor.h"
#include "cairn/hash/encoding.h"

namespace cairn::hash {
namespace {

constexpr std::size_t kFileBufferBytes = std::size_t{1} << 20;

EVP_MD_CTX* Context(const std::unique_ptr<void, internal::EvpContextDeleter>& context) {
  return static_cast<EVP_MD_CTX*>(context.get());
}

Status FileError(const std::string& what, const std::string& path, int error) {
  std::string message = what + " " + path + ": " + std::generic_category().message(error);
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return NotFoundError(std::move(message));
    case EACCES:
    case EPERM:
      return PermissionDeniedError(std::move(message) +
                                   "; grant read permission to this user");
    default:
      return UnavailableError(std::move(message));
  }
}

}  // namespace

namespace internal {

void EvpContextDeleter::operator()(void* context) const {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context));
}

EvpHasher::EvpHasher(Kind kind) : kind_(kind), context_(EVP_MD_CTX_new()) {
  CAIRN_CHECK(context_ != nullptr);
  Reset();
}

void EvpHasher::Reset() {
  const EVP_MD* md = kind_ == Kind::kMd5 ? EVP_md5() : EVP_sha256();
  CAIRN_CHECK(EVP_DigestInit_ex(Context(context_), md, nullptr) == 1);
}

void EvpHasher::Update(std::string_view bytes) {
  CAIRN_CHECK(EVP_DigestUpdate(Context(context_), bytes.data(), bytes.size()) == 1);
}

std::string EvpHasher::Final() {
  std::string digest(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  CAIRN_CHECK(EVP_DigestFinal_ex(Context(context_),
                                 reinterpret_cast<unsigned char*>(digest.data()),
                                 &length) == 1);
  digest.resize(length);
  Reset();
  return digest;
}

}  // namespace internal

std::string Md5Digest(std::string_view bytes) {
  Md5 md5;
  md5.Update(bytes);
  return md5.Final();
}

std::string Sha256Digest(std::string_view bytes) {
  Sha256 sha256;
  sha256.Update(bytes);
  return sha256.Final();
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::string mac(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  const unsigned char* result =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(mac.data()), &length);
  CAIRN_CHECK(result != nullptr);
  mac.resize(length);
  return mac;
}

Result<std::string> Md5Base64OfFile(const std::string& path) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; for a
  // regular file the flag changes nothing.
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (file.Get() < 0) {
    return FileError("opening", path, errno);
  }
  struct stat info {};
  if (::fstat(file.Get(), &info) != 0) {
    return FileError("inspecting", path, errno);
  }
  if (S_ISDIR(info.st_mode)) {
    return InvalidArgumentError("hashing " + path +
                                ": it is a directory; name a regular file");
  }
  if (!S_ISREG(info.st_mode)) {
    return InvalidArgumentError("hashing " + path +
                                ": not a regular file (a FIFO, socket or device); "
                                "name a regular file");
  }

  Md5 md5;
  std::vector<char> buffer(kFileBufferBytes);
  while (true) {
    const ssize_t count = ::read(file.Get(), buffer.data(), buffer.size());
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      return FileError("reading", path, errno);
    }
    if (count == 0) {
      break;
    }
    md5.Update(std::string_view(buffer.data(), static_cast<std::size_t>(count)));
  }
  return Base64Encode(md5.Final());
}

}  // namespace cairn::hash
