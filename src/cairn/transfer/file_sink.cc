// SPDX-License-Identifier: Apache-2.0
#include "cairn/transfer/file_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "cairn/base/interrupt.h"
#include "cairn/hash/encoding.h"

namespace cairn::transfer {
namespace {

constexpr std::size_t kRehashBlockBytes = 1 << 20;

std::string ErrnoText(int error) {
  return std::strerror(error);  // NOLINT(concurrency-mt-unsafe): glibc's is safe
}

}  // namespace

Result<std::unique_ptr<FileSink>> FileSink::Open(const std::string& path,
                                                 FileSinkOptions options) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg): POSIX open takes a mode.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int error = errno;
    std::string message = "creating " + path + ": " + ErrnoText(error);
    if (error == ENOENT) {
      return NotFoundError(message);
    }
    if (error == EACCES || error == EPERM || error == EROFS) {
      return PermissionDeniedError(message);
    }
    if (error == ENOSPC || error == EDQUOT) {
      return ResourceExhaustedError(message);
    }
    return UnavailableError(message);
  }
  return std::unique_ptr<FileSink>(new FileSink(path, fd, options));
}

FileSink::FileSink(std::string path, int fd, FileSinkOptions options)
    : path_(std::move(path)), fd_(fd), options_(options) {
  if (options_.hash_md5) {
    md5_ = std::make_unique<hash::Md5>();
  }
  if (options_.hash_crc32c) {
    crc32c_.emplace();
  }
}

FileSink::~FileSink() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

Status FileSink::ErrnoStatus(std::string_view action, int error) const {
  std::string message = std::string(action) + " " + path_ + ": " + ErrnoText(error);
  if (error == ENOSPC || error == EDQUOT) {
    return ResourceExhaustedError(message + "; free some disk space and retry");
  }
  return UnavailableError(message);
}

Status FileSink::Write(std::string_view bytes) {
  if (fd_ < 0) {
    return FailedPreconditionError("writing " + path_ + ": the file is closed");
  }
  if (interrupt::Requested()) {
    return AbortedError("writing " + path_ + ": interrupted");
  }
  if (md5_ != nullptr) {
    md5_->Update(bytes);
  }
  if (crc32c_) {
    crc32c_->Update(bytes);
  }
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return ErrnoStatus("writing", errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
    size_bytes_ += written;
  }
  return Status::Ok();
}

Status FileSink::Restart(std::int64_t offset) {
  if (fd_ < 0) {
    return FailedPreconditionError("restarting " + path_ + ": the file is closed");
  }
  if (offset < 0 || offset > size_bytes_) {
    return InvalidArgumentError("restarting " + path_ + " at byte " +
                                std::to_string(offset) + ": only " +
                                std::to_string(size_bytes_) + " bytes were written");
  }
  if (::ftruncate(fd_, offset) != 0) {
    return ErrnoStatus("truncating", errno);
  }
  if (::lseek(fd_, offset, SEEK_SET) < 0) {
    return ErrnoStatus("seeking in", errno);
  }
  size_bytes_ = offset;
  if (md5_ == nullptr && !crc32c_) {
    return Status::Ok();
  }

  // A hash cannot drop bytes, so each is rebuilt from the prefix that was kept.
  if (md5_ != nullptr) {
    md5_ = std::make_unique<hash::Md5>();
  }
  if (crc32c_) {
    crc32c_->Reset();
  }
  std::vector<char> block(kRehashBlockBytes);
  std::int64_t position = 0;
  while (position < offset) {
    const auto want = static_cast<std::size_t>(std::min<std::int64_t>(
        offset - position, static_cast<std::int64_t>(block.size())));
    const ssize_t got = ::pread(fd_, block.data(), want, position);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return got < 0 ? ErrnoStatus("re-reading", errno)
                     : UnavailableError("re-reading " + path_ + ": file ended early");
    }
    const std::string_view kept(block.data(), static_cast<std::size_t>(got));
    if (md5_ != nullptr) {
      md5_->Update(kept);
    }
    if (crc32c_) {
      crc32c_->Update(kept);
    }
    position += got;
  }
  return Status::Ok();
}

Status FileSink::Close() {
  if (fd_ < 0) {
    return Status::Ok();
  }
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    return ErrnoStatus("closing", errno);
  }
  return Status::Ok();
}

std::string FileSink::Md5Base64() {
  CAIRN_CHECK(md5_ != nullptr);
  return hash::Base64Encode(md5_->Final());
}

std::string FileSink::Crc32cBase64() const {
  CAIRN_CHECK(crc32c_.has_value());
  return crc32c_->Base64();
}

Status Md5Sink::Write(std::string_view bytes) {
  md5_.Update(bytes);
  size_bytes_ += static_cast<std::int64_t>(bytes.size());
  return Status::Ok();
}

Status Md5Sink::Restart(std::int64_t offset) {
  if (offset != 0) {
    return UnavailableError("a hashing read cannot resume at byte " +
                            std::to_string(offset) + "; read the object again");
  }
  md5_.Final();
  size_bytes_ = 0;
  return Status::Ok();
}

std::string Md5Sink::Md5Base64() {
  return hash::Base64Encode(md5_.Final());
}

}  // namespace cairn::transfer
