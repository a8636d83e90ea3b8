// SPDX-License-Identifier: Apache-2.0
// FileDescriptor: owns a POSIX file descriptor and closes it on every return path.
#pragma once

#include <unistd.h>

namespace cairn {

/// Owns `fd` (which may be -1 for "none") and closes it on destruction. Not
/// copyable; Get() lends the descriptor without giving up ownership.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int Get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace cairn
