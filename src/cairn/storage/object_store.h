// SPDX-License-Identifier: Apache-2.0
// ObjectStore: the one interface every storage backend implements (local files,
// S3, later GCS, Azure, HTTP). A store knows objects, never artifacts: it stats one
// object, lists a prefix as a stream of records, and reads an object (optionally at
// a pinned version and a byte range) into a sink. Backends only translate the
// protocol: retries live in net/, parallelism in transfer/, artifact rules in
// artifact/.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cairn/base/result.h"
#include "cairn/base/status.h"
#include "cairn/uri/uri.h"

namespace cairn::storage {

/// What a backend can do; the conformance suite picks its cases from this.
struct StoreFeatures {
  bool has_versions = false;     // reads and stats honour ObjectRef::version_id
  bool has_ranges = false;       // ReadOptions offset/length are honoured natively
  bool has_content_md5 = false;  // ObjectInfo::md5_base64 is filled by Stat and List
  bool has_etags = false;        // ObjectInfo::etag is filled and If-Match is honoured
  bool has_listing = true;       // List visits objects under a prefix (http(s): none)
};

/// One object as the store reports it.
struct ObjectInfo {
  uri::Uri uri;     // the object's full URI, without query or fragment
  std::string key;  // bucket-relative key, or absolute path for file://
  std::int64_t size_bytes = 0;
  std::string etag;           // without surrounding quotes; empty if none
  std::string version_id;     // S3 versionId, GCS generation, ...; empty if none
  std::string last_modified;  // RFC 3339 UTC ("2026-12-04T15:34:00Z"); empty if none
  std::string md5_base64;     // content MD5 when the store reports it
  std::string sha256_hex;     // content SHA-256 when known
  std::string crc32c_base64;  // GCS-style CRC32C when reported
  // False when the ETag may stay the same while the bytes change: a web server's
  // ETag is usually its file's mtime (in seconds) and size, so a same-size rewrite
  // within one second keeps it. Such objects are hashed as well.
  bool etag_tracks_content = true;
  // For file:// only: "device:inode:size:mtime_ns:ctime_ns", so checksum caches can tell
  // an unchanged file without reading it. Empty for remote stores.
  std::string file_identity;
};

/// Names one object, optionally pinned.
struct ObjectRef {
  uri::Uri uri;            // without query; the pin travels in version_id
  std::string version_id;  // read or stat exactly this version when non-empty
  std::string etag;        // when non-empty, the store must refuse a different object
                           // (S3 If-Match): kFailedPrecondition
};

struct ListOptions {
  // Stop after this many objects have been visited; the listing then reports
  // kResourceExhausted with the count seen so far. 0 means no limit.
  std::int64_t max_objects = 0;
  // Ask the store for version ids (S3 ListObjectVersions, latest versions only).
  bool want_versions = true;
};

struct ReadOptions {
  std::int64_t offset = 0;
  std::int64_t length = -1;  // -1 reads to the end
};

/// Receives the bytes of a read. A retried transfer resumes: the reader first calls
/// Restart(offset) with the number of bytes of this read it will not send again,
/// and the sink drops anything it holds past that offset.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status Write(std::string_view bytes) = 0;
  virtual Status Restart(std::int64_t offset) = 0;
};

/// A sink that keeps everything in memory; for small reads and tests.
class StringSink final : public ByteSink {
 public:
  Status Write(std::string_view bytes) override {
    data_.append(bytes);
    return Status::Ok();
  }
  Status Restart(std::int64_t offset) override {
    data_.resize(static_cast<std::size_t>(offset));
    return Status::Ok();
  }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

/// Reads objects of one URI scheme (and, for remote stores, one set of credentials
/// and endpoint). Every method may be called concurrently from many threads.
class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  virtual std::string_view Scheme() const = 0;
  virtual StoreFeatures Features() const = 0;

  /// Returns the object with exactly this key (at this version, if pinned).
  /// kNotFound when there is none (a prefix with objects below it is not an
  /// object); kFailedPrecondition when ref.etag is set and differs.
  /// One round trip for remote stores (HEAD).
  virtual Result<ObjectInfo> Stat(const ObjectRef& ref) = 0;

  /// Visits every object whose key starts with `prefix.path` (callers pass a
  /// '/'-terminated prefix to get whole segments), in key order, latest versions
  /// only. Keys ending in '/' (folder markers) are skipped. Stops at the first
  /// error `visit` returns and returns it. One round trip per page.
  virtual Status List(const uri::Uri& prefix, const ListOptions& options,
                      const std::function<Status(const ObjectInfo&)>& visit) = 0;

  /// Streams the object, or a byte range of it, into `sink`. kNotFound for a
  /// missing object or version; kFailedPrecondition when ref.etag no longer
  /// matches. Transient failures are retried below this call and resume through
  /// sink.Restart().
  virtual Status Read(const ObjectRef& ref, const ReadOptions& options,
                      ByteSink& sink) = 0;
};

/// Forwards every call to another store, so a test double overrides one method.
class ForwardingStore : public ObjectStore {
 public:
  explicit ForwardingStore(std::shared_ptr<ObjectStore> target)
      : target_(std::move(target)) {}

  std::string_view Scheme() const override { return target_->Scheme(); }
  StoreFeatures Features() const override { return target_->Features(); }
  Result<ObjectInfo> Stat(const ObjectRef& ref) override { return target_->Stat(ref); }
  Status List(const uri::Uri& prefix, const ListOptions& options,
              const std::function<Status(const ObjectInfo&)>& visit) override {
    return target_->List(prefix, options, visit);
  }
  Status Read(const ObjectRef& ref, const ReadOptions& options, ByteSink& sink) override {
    return target_->Read(ref, options, sink);
  }

 protected:
  ObjectStore& Target() { return *target_; }

 private:
  std::shared_ptr<ObjectStore> target_;
};

}  // namespace cairn::storage
