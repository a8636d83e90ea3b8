// SPDX-License-Identifier: Apache-2.0
// LocalStore: the ObjectStore for file:// references, over POSIX calls. A key is
// the file's absolute path; directories are prefixes, never objects.
#pragma once

#include <functional>
#include <string_view>

#include "cairn/base/result.h"
#include "cairn/base/status.h"
#include "cairn/storage/object_store.h"
#include "cairn/uri/uri.h"

namespace cairn::storage::local {

/// Serves file:// URIs. Stateless, so one instance may be shared by any number of
/// threads.
///
/// Objects are regular files. Symbolic links:
/// - a link to a regular file is followed, and the object is reported at the
///   link's own path with the target's size and times;
/// - a link to a directory is not descended (so a link cycle cannot loop a
///   listing); List logs one warning on the "storage.local" logger naming it;
/// - a dangling link fails List with kNotFound naming the link, and Stat of it
///   is kNotFound.
/// Other non-regular files (FIFOs, sockets, devices) are not objects: Stat answers
/// kNotFound and List skips them with a warning, since reading one could block.
///
/// Errors name the path: ENOENT and ENOTDIR become kNotFound, EACCES and EPERM
/// kPermissionDenied, transient I/O failures (EIO, EINTR, EMFILE, ESTALE, ...)
/// kUnavailable, anything else kInternal. A URI of another scheme is
/// kInvalidArgument.
class LocalStore final : public ObjectStore {
 public:
  std::string_view Scheme() const override { return "file"; }

  /// Ranges only: files have no versions, no stored MD5 and no ETags (hashing a
  /// file's content is the artifact layer's job).
  StoreFeatures Features() const override;

  /// The regular file at ref.uri.path, following symlinks: size, last_modified
  /// (RFC 3339 UTC, whole seconds) and file_identity "dev:ino:size:mtime_ns:ctime_ns".
  /// kNotFound for a missing path, a directory or a non-regular file;
  /// kUnimplemented when ref.version_id or ref.etag is set, since files have
  /// neither. One stat(2) call.
  Result<ObjectInfo> Stat(const ObjectRef& ref) override;

  /// Walks the directories under `prefix` recursively and visits every regular
  /// file whose absolute path starts with prefix.path, in byte-wise path order,
  /// each with the same fields as Stat. "file:///data/x/" covers /data/x/... only;
  /// "file:///data/x" also covers /data/x2/.... A prefix whose directory does not
  /// exist visits nothing and succeeds, as an empty S3 prefix does. When more than
  /// options.max_objects files are found, returns kResourceExhausted after
  /// visiting exactly max_objects of them. options.want_versions is ignored.
  Status List(const uri::Uri& prefix, const ListOptions& options,
              const std::function<Status(const ObjectInfo&)>& visit) override;

  /// Copies the file, or the range [offset, offset + length) clipped at its end,
  /// into `sink` in 1 MiB pread(2) chunks. kInvalidArgument for a negative offset,
  /// a length below -1 or an offset past the end; kNotFound and kUnimplemented
  /// as for Stat. Never calls sink.Restart(), and returns the sink's first error.
  Status Read(const ObjectRef& ref, const ReadOptions& options, ByteSink& sink) override;
};

}  // namespace cairn::storage::local
