// SPDX-License-Identifier: Apache-2.0
// FileSink: a ByteSink that writes a read straight into a file (normally a temp
// path that is renamed into place once verified), honours a resumed read's
// Restart(offset), and can hash MD5 and CRC32C on the way so the bytes are read
// only once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cairn/base/result.h"
#include "cairn/base/status.h"
#include "cairn/hash/crc32c.h"
#include "cairn/hash/hash.h"
#include "cairn/storage/object_store.h"

namespace cairn::transfer {

struct FileSinkOptions {
  bool hash_md5 = false;     // keep a running MD5 of the file's content
  bool hash_crc32c = false;  // keep a running CRC32C (GCS's checksum)
};

/// Writes into one file. Not thread-safe: one read drives one sink.
class FileSink final : public storage::ByteSink {
 public:
  /// Creates `path` (truncating an existing file) with mode 0644. kNotFound when
  /// the parent directory is missing, kPermissionDenied when it is not writable,
  /// kUnavailable for other open errors; each message names the path.
  static Result<std::unique_ptr<FileSink>> Open(const std::string& path,
                                                FileSinkOptions options = {});
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  /// Appends `bytes`. kResourceExhausted when the disk is full, kUnavailable for
  /// other write errors; kFailedPrecondition after Close().
  Status Write(std::string_view bytes) override;

  /// Truncates the file to `offset` bytes and continues writing there. With
  /// hashing on, the kept prefix is re-read from disk to rebuild the MD5 and CRC32C.
  /// kInvalidArgument for an offset past the bytes written so far.
  Status Restart(std::int64_t offset) override;

  /// Closes the file. Idempotent; the destructor closes too, ignoring errors.
  Status Close();

  const std::string& Path() const { return path_; }
  std::int64_t SizeBytes() const { return size_bytes_; }

  /// The base64 MD5 of everything written. Only with hash_md5; call once, after
  /// the last Write.
  std::string Md5Base64();

  /// The CRC32C of everything written, base64 of its big-endian bytes as GCS
  /// reports it. Only with hash_crc32c; may be called at any time.
  std::string Crc32cBase64() const;

 private:
  FileSink(std::string path, int fd, FileSinkOptions options);
  Status ErrnoStatus(std::string_view action, int error) const;

  std::string path_;
  int fd_;
  FileSinkOptions options_;
  std::int64_t size_bytes_ = 0;
  std::unique_ptr<hash::Md5> md5_;
  std::optional<hash::Crc32c> crc32c_;
};

/// A sink that only hashes: MD5 of a read without keeping its bytes. A restart
/// to offset 0 starts over; any other restart is kUnavailable, since the dropped
/// bytes cannot be un-hashed (the caller reads the object again).
class Md5Sink final : public storage::ByteSink {
 public:
  Status Write(std::string_view bytes) override;
  Status Restart(std::int64_t offset) override;

  std::int64_t SizeBytes() const { return size_bytes_; }
  /// The base64 MD5 of everything written; call once, after the last Write.
  std::string Md5Base64();

 private:
  hash::Md5 md5_;
  std::int64_t size_bytes_ = 0;
};

}  // namespace cairn::transfer
