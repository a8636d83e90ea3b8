// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/local/local_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "cairn/base/file_descriptor.h"
#include "cairn/base/log.h"
#include "cairn/storage/local/local_errors.h"

namespace cairn::storage::local {
namespace {

using internal::ErrnoToStatus;

constexpr std::int64_t kReadChunkBytes = std::int64_t{1} << 20;

std::string Rfc3339(const struct timespec& time) {
  struct tm utc {};
  const time_t seconds = time.tv_sec;
  if (::gmtime_r(&seconds, &utc) == nullptr) {
    return {};
  }
  char text[32];
  const std::size_t length =
      std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return {text, length};
}

std::int64_t Nanoseconds(const timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

ObjectInfo InfoFor(const std::string& path, const struct stat& info) {
  ObjectInfo object;
  object.uri.scheme = "file";
  object.uri.path = path;
  object.key = path;
  object.size_bytes = static_cast<std::int64_t>(info.st_size);
  object.last_modified = Rfc3339(info.st_mtim);
  // ctime is part of the identity because no user can set it: a file rewritten
  // with its size and mtime put back (cp -p, touch -r) still gets a new ctime.
  object.file_identity = std::to_string(static_cast<std::uint64_t>(info.st_dev)) + ":" +
                         std::to_string(static_cast<std::uint64_t>(info.st_ino)) + ":" +
                         std::to_string(object.size_bytes) + ":" +
                         std::to_string(Nanoseconds(info.st_mtim)) + ":" +
                         std::to_string(Nanoseconds(info.st_ctim));
  return object;
}

Status CheckUri(const uri::Uri& uri) {
  if (uri.scheme != "file" || !uri.path.starts_with('/')) {
    return InvalidArgumentError("the local store serves file:///abs/path URIs, not " +
                                uri.WithoutQuery());
  }
  return Status::Ok();
}

Status CheckRef(const ObjectRef& ref) {
  CAIRN_RETURN_IF_ERROR(CheckUri(ref.uri));
  if (!ref.version_id.empty() || !ref.etag.empty()) {
    return UnimplementedError("reading " + ref.uri.path +
                              ": local files have no versions or ETags; drop the pin");
  }
  return Status::Ok();
}

// The regular file at `path`, following symlinks.
Result<struct stat> StatRegularFile(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return ErrnoToStatus(errno, "stat", path);
  }
  if (S_ISDIR(info.st_mode)) {
    return NotFoundError("stat " + path +
                         ": a directory, which is a prefix, not an object");
  }
  if (!S_ISREG(info.st_mode)) {
    return NotFoundError("stat " + path + ": not a regular file");
  }
  return info;
}

struct DirEntry {
  std::string name;
  std::string sort_key;  // name, plus '/' for a directory: its keys all start so
  bool is_directory = false;
  struct stat info {};
};

// Everything one listing carries through the recursion.
struct Walk {
  const uri::Uri& prefix;
  std::int64_t max_objects = 0;
  const std::function<Status(const ObjectInfo&)>& visit;
  std::int64_t visited = 0;
};

// Classifies one directory entry; nullopt for one that is not listed.
Result<std::optional<DirEntry>> Classify(const std::string& path, std::string name) {
  DirEntry entry;
  entry.name = std::move(name);
  if (::lstat(path.c_str(), &entry.info) != 0) {
    // Removed since readdir: it is not there any more.
    if (errno == ENOENT) {
      return std::optional<DirEntry>();
    }
    return ErrnoToStatus(errno, "lstat", path);
  }

  if (S_ISLNK(entry.info.st_mode)) {
    if (::stat(path.c_str(), &entry.info) != 0) {
      if (errno == ENOENT) {
        return NotFoundError("dangling symbolic link " + path +
                             ": remove it or point it at a file");
      }
      return ErrnoToStatus(errno, "following symbolic link", path);
    }
    if (S_ISDIR(entry.info.st_mode)) {
      log::Get("storage.local")
          ->warn("not descending a symbolic link to a directory path={}", path);
      return std::optional<DirEntry>();
    }
  }

  entry.is_directory = S_ISDIR(entry.info.st_mode);
  if (!entry.is_directory && !S_ISREG(entry.info.st_mode)) {
    log::Get("storage.local")->warn("skipping a file that is not regular path={}", path);
    return std::optional<DirEntry>();
  }
  entry.sort_key = entry.is_directory ? entry.name + "/" : entry.name;
  return std::optional<DirEntry>(std::move(entry));
}

// The names in `directory` starting with `name_prefix`; a missing directory has
// none, since nothing can be below it.
Result<std::vector<std::string>> ReadNames(const std::string& directory,
                                           std::string_view name_prefix) {
  DIR* stream = ::opendir(directory.c_str());
  if (stream == nullptr) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return std::vector<std::string>();
    }
    return ErrnoToStatus(errno, "opening directory", directory);
  }
  std::vector<std::string> names;
  errno = 0;
  // readdir is safe here: each stream is read by one thread only (glibc manual).
  // NOLINTNEXTLINE(concurrency-mt-unsafe)
  while (const struct dirent* item = ::readdir(stream)) {
    const std::string_view name = item->d_name;
    if (name != "." && name != ".." && name.starts_with(name_prefix)) {
      names.emplace_back(name);
    }
    errno = 0;
  }
  const int read_error = errno;
  ::closedir(stream);
  if (read_error != 0) {
    return ErrnoToStatus(read_error, "reading directory", directory);
  }
  return names;
}

// Lists `directory` (ending in '/') depth first. Sorting each level by sort_key
// yields keys in byte-wise order: every key below "a/" sorts after "a-b" and
// before "a0", exactly where "a/" does.
Status ListDirectory(const std::string& directory, std::string_view name_prefix,
                     Walk& walk) {
  CAIRN_ASSIGN_OR_RETURN(std::vector<std::string> names,
                         ReadNames(directory, name_prefix));
  std::vector<DirEntry> entries;
  entries.reserve(names.size());
  for (std::string& name : names) {
    const std::string path = directory + name;
    CAIRN_ASSIGN_OR_RETURN(std::optional<DirEntry> entry,
                           Classify(path, std::move(name)));
    if (entry.has_value()) {
      entries.push_back(std::move(*entry));
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.sort_key < b.sort_key; });

  for (const DirEntry& entry : entries) {
    const std::string path = directory + entry.name;
    if (entry.is_directory) {
      CAIRN_RETURN_IF_ERROR(ListDirectory(path + "/", "", walk));
      continue;
    }
    if (walk.max_objects > 0 && walk.visited == walk.max_objects) {
      return ResourceExhaustedError(
          "listing " + walk.prefix.WithoutQuery() + ": stopped at " +
          std::to_string(walk.visited + 1) + " objects, more than max_objects=" +
          std::to_string(walk.max_objects) + "; raise max_objects to take them all");
    }
    ++walk.visited;
    CAIRN_RETURN_IF_ERROR(walk.visit(InfoFor(path, entry.info)));
  }
  return Status::Ok();
}

// Sends bytes [begin, end) of the open file `fd` to `sink` in pread(2) chunks.
Status CopyRange(int fd, const std::string& path, std::int64_t begin, std::int64_t end,
                 ByteSink& sink) {
  std::vector<char> buffer(static_cast<std::size_t>(
      std::max<std::int64_t>(1, std::min(kReadChunkBytes, end - begin))));
  std::int64_t position = begin;
  while (position < end) {
    const auto want = static_cast<std::size_t>(
        std::min<std::int64_t>(end - position, static_cast<std::int64_t>(buffer.size())));
    const ssize_t count = ::pread(fd, buffer.data(), want, position);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      return ErrnoToStatus(errno, "reading", path);
    }
    if (count == 0) {
      return UnavailableError("reading " + path + ": the file shrank to " +
                              std::to_string(position) + " bytes while being read");
    }
    CAIRN_RETURN_IF_ERROR(
        sink.Write(std::string_view(buffer.data(), static_cast<std::size_t>(count))));
    position += count;
  }
  return Status::Ok();
}

}  // namespace

StoreFeatures LocalStore::Features() const {
  return StoreFeatures{.has_versions = false,
                       .has_ranges = true,
                       .has_content_md5 = false,
                       .has_etags = false};
}

Result<ObjectInfo> LocalStore::Stat(const ObjectRef& ref) {
  CAIRN_RETURN_IF_ERROR(CheckRef(ref));
  CAIRN_ASSIGN_OR_RETURN(const struct stat info, StatRegularFile(ref.uri.path));
  return InfoFor(ref.uri.path, info);
}

Status LocalStore::List(const uri::Uri& prefix, const ListOptions& options,
                        const std::function<Status(const ObjectInfo&)>& visit) {
  CAIRN_RETURN_IF_ERROR(CheckUri(prefix));
  // "/data/x" lists /data/ for names starting "x"; "/data/x/" lists /data/x/.
  const std::size_t slash = prefix.path.rfind('/');
  const std::string directory = prefix.path.substr(0, slash + 1);
  const std::string_view name_prefix = std::string_view(prefix.path).substr(slash + 1);

  Walk walk{.prefix = prefix, .max_objects = options.max_objects, .visit = visit};
  return ListDirectory(directory, name_prefix, walk);
}

Status LocalStore::Read(const ObjectRef& ref, const ReadOptions& options,
                        ByteSink& sink) {
  CAIRN_RETURN_IF_ERROR(CheckRef(ref));
  const std::string& path = ref.uri.path;
  if (options.offset < 0 || options.length < -1) {
    return InvalidArgumentError("reading " + path + ": offset " +
                                std::to_string(options.offset) + " and length " +
                                std::to_string(options.length) +
                                " are not a valid range; use offset >= 0, length >= -1");
  }
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; for a
  // regular file the flag changes nothing.
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (file.Get() < 0) {
    return ErrnoToStatus(errno, "opening", path);
  }

  struct stat info {};
  if (::fstat(file.Get(), &info) != 0) {
    return ErrnoToStatus(errno, "stat", path);
  }
  if (!S_ISREG(info.st_mode)) {
    return NotFoundError("reading " + path + ": not a regular file");
  }
  const auto size = static_cast<std::int64_t>(info.st_size);
  if (options.offset > size) {
    return InvalidArgumentError("reading " + path + ": offset " +
                                std::to_string(options.offset) + " is past the end (" +
                                std::to_string(size) + " bytes)");
  }

  // Compared as a remaining length, so offset + length cannot overflow.
  const std::int64_t end = options.length < 0 || options.length > size - options.offset
                               ? size
                               : options.offset + options.length;
  return CopyRange(file.Get(), path, options.offset, end, sink);
}

}  // namespace cairn::storage::local
