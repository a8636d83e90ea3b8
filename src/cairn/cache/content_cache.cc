// SPDX-License-Identifier: Apache-2.0
#include "cairn/cache/content_cache.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

#include <linux/fs.h>

#include "cairn/hash/encoding.h"
#include "cairn/hash/hash.h"

namespace cairn::cache {
namespace {

namespace fs = std::filesystem;

constexpr auto kStaleTempAge = std::chrono::hours(24);
constexpr std::string_view kMd5KeyPrefix = "md5:";

Status FsError(std::string_view action, const std::error_code& error) {
  std::string message = std::string(action) + ": " + error.message();
  if (error == std::errc::no_space_on_device) {
    return ResourceExhaustedError(message);
  }
  return UnavailableError(message);
}

// Best effort: a temp file another live process still writes is younger than a
// day, so only leftovers of crashed runs go.
void RemoveStaleTemps(const fs::path& tmp) {
  std::error_code error;
  const auto now = fs::file_time_type::clock::now();
  for (fs::directory_iterator it(tmp, error), end; !error && it != end;
       it.increment(error)) {
    const auto written = it->last_write_time(error);
    if (!error && now - written > kStaleTempAge) {
      fs::remove(it->path(), error);
    }
    error.clear();
  }
}

}  // namespace

Result<std::unique_ptr<ContentCache>> ContentCache::Open(const std::string& dir) {
  std::error_code error;
  for (const char* sub : {"objects", "tmp"}) {
    fs::create_directories(fs::path(dir) / sub, error);
    if (error) {
      return FsError("creating content cache " + dir, error);
    }
  }
  RemoveStaleTemps(fs::path(dir) / "tmp");
  return std::unique_ptr<ContentCache>(new ContentCache(dir));
}

std::string ContentCache::ContentKey(std::string_view md5_base64, std::string_view etag,
                                     std::int64_t size_bytes,
                                     std::string_view ref_without_query,
                                     std::string_view version_id) {
  if (!md5_base64.empty()) {
    return std::string(kMd5KeyPrefix) + std::string(md5_base64);
  }
  // The ref goes last: it is the only part that may itself contain ':'.
  if (!etag.empty()) {
    return "etag:" + std::string(etag) + ":size:" + std::to_string(size_bytes) +
           ":version:" + std::string(version_id) +
           ":ref:" + std::string(ref_without_query);
  }
  return "";
}

std::string ContentCache::ObjectPath(std::string_view key) const {
  const std::string hex = hash::HexEncode(hash::Sha256Digest(key));
  return (fs::path(dir_) / "objects" / hex.substr(0, 2) / hex.substr(2)).string();
}

std::optional<std::string> ContentCache::Lookup(std::string_view key,
                                                std::int64_t size_bytes) {
  std::string path = ObjectPath(key);
  std::error_code error;
  const auto size = fs::file_size(path, error);
  bool usable = !error && static_cast<std::int64_t>(size) == size_bytes;
  // The mode alone does not stop root or a chmod from editing an object in place,
  // so a content key is checked against the bytes before they are handed out.
  if (usable && key.starts_with(kMd5KeyPrefix)) {
    Result<std::string> md5 = hash::Md5Base64OfFile(path);
    if (!md5.ok() || *md5 != key.substr(kMd5KeyPrefix.size())) {
      usable = false;
      fs::remove(path, error);
    }
  }
  if (!usable) {
    misses_.fetch_add(1);
    return std::nullopt;
  }
  hits_.fetch_add(1);
  return path;
}

std::string ContentCache::NewTempPath() {
  thread_local std::mt19937_64 random(std::random_device{}());
  const std::string name = std::to_string(::getpid()) + "-" +
                           std::to_string(temp_counter_.fetch_add(1)) + "-" +
                           std::to_string(random());
  return (fs::path(dir_) / "tmp" / name).string();
}

Result<std::string> ContentCache::Insert(std::string_view key,
                                         const std::string& temp_path) {
  std::string path = ObjectPath(key);
  std::error_code error;
  fs::create_directories(fs::path(path).parent_path(), error);
  if (error) {
    return FsError("creating " + fs::path(path).parent_path().string(), error);
  }
  // Read-only against accidental writes; Lookup re-checks content keys anyway.
  fs::permissions(temp_path,
                  fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read,
                  error);
  if (error) {
    return FsError("protecting " + temp_path, error);
  }
  fs::rename(temp_path, path, error);
  if (error) {
    return FsError("moving " + temp_path + " into the cache as " + path, error);
  }
  return path;
}

Status ContentCache::Materialise(const std::string& object_path,
                                 const std::string& dest) {
  const int in = ::open(object_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    return FsError("opening " + object_path,
                   std::error_code(errno, std::generic_category()));
  }
  // Created with the usual mode (after umask): the copy is the caller's own.
  const int out = ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (out < 0) {
    const std::error_code error(errno, std::generic_category());
    ::close(in);
    return FsError("copying " + object_path + " to " + dest, error);
  }
  // A reflink shares extents copy-on-write, so an edit of `dest` never reaches the
  // cache; filesystems without reflinks get a plain copy.
  std::error_code error;
  if (::ioctl(out, FICLONE, in) != 0) {
    char buffer[1 << 16];
    for (;;) {
      const ssize_t got = ::read(in, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got <= 0) {
        if (got < 0) {
          error = std::error_code(errno, std::generic_category());
        }
        break;
      }
      for (ssize_t written = 0; written < got && !error;) {
        const ssize_t put = ::write(out, buffer + written, got - written);
        if (put < 0 && errno != EINTR) {
          error = std::error_code(errno, std::generic_category());
        } else if (put > 0) {
          written += put;
        }
      }
      if (error) {
        break;
      }
    }
  }
  ::close(in);
  if (::close(out) != 0 && !error) {
    error = std::error_code(errno, std::generic_category());
  }
  if (error) {
    std::error_code ignored;
    fs::remove(dest, ignored);
    return FsError("copying " + object_path + " to " + dest, error);
  }
  return Status::Ok();
}

}  // namespace cairn::cache
