// SPDX-License-Identifier: Apache-2.0
// GcsStore: the ObjectStore for gs:// references, on Google Cloud Storage's JSON
// API or an emulator (fake-gcs-server) named by STORAGE_EMULATOR_HOST. Stat is a
// metadata GET, List pages through objects.list, Read is a streamed media GET;
// retries and resumed reads happen in net::HttpClient, errors are mapped in
// gcs_errors.h, tokens come from credentials/gcp.h.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cairn/base/result.h"
#include "cairn/credentials/gcp.h"
#include "cairn/net/http_client.h"
#include "cairn/storage/object_store.h"
#include "cairn/storage/store_factory.h"
#include "cairn/uri/uri.h"

namespace cairn::storage::gcs {

/// Where requests go when STORAGE_EMULATOR_HOST is unset.
inline constexpr std::string_view kGcsEndpoint = "https://storage.googleapis.com";

struct GcsStoreOptions {
  // "http(s)://host[:port]"; a bare "host:port" (the usual STORAGE_EMULATOR_HOST
  // form) means http://host:port.
  std::string endpoint = std::string(kGcsEndpoint);
  // Hands out access tokens; null or anonymous credentials send no Authorization.
  std::shared_ptr<credentials::GcpTokenSource> tokens{};
  net::HttpClientOptions http{};
  // Objects per listing page (GCS caps it at 1000); smaller values force paging.
  int max_results_per_page = 1000;
};

/// Reads objects of any bucket reachable with one endpoint and one set of
/// credentials.
///
/// - Versions: ObjectInfo::version_id is the object's generation, reported by Stat
///   and by every List (options.want_versions changes nothing: GCS lists
///   generations for free). A pinned Stat or Read asks for exactly that
///   generation; when it is gone the answer is kNotFound saying so, never the
///   live object.
/// - Digests: md5_base64 is GCS's md5Hash (absent for composite objects, which
///   then carry only crc32c_base64); crc32c_base64 is reported for every object.
///   A download checks the MD5 when there is one, else the CRC32C, so composite
///   objects are verified by content too, not by size alone. etag is GCS's etag,
///   which W&B records as the digest. GCS changes an object's etag when only its metadata
///   changes, so a metadata edit also reads as a changed object.
/// - ETag checks: GCS has no If-Match on reads. A Read with ref.etag first stats
///   the object and compares etags (one extra round trip), then reads that
///   generation with ifGenerationMatch, so an object replaced in between is
///   refused with kFailedPrecondition rather than read.
/// - Credentials: each attempt carries "Authorization: Bearer <token>" from
///   `tokens`; a 401 drops the token and the request is sent once more with a
///   fresh one.
///
/// Thread-safe: every method may be called concurrently.
class GcsStore final : public ObjectStore {
 public:
  /// kInvalidArgument, naming the value and the fix, for an endpoint that is not
  /// http(s)://host[:port] or host:port. No network.
  static Result<std::shared_ptr<GcsStore>> Make(GcsStoreOptions options);

  std::string_view Scheme() const override { return "gs"; }
  StoreFeatures Features() const override;

  /// GET of the object's metadata (with ?generation= when ref.version_id is set).
  /// kNotFound for a missing object, generation or bucket, and for a URI naming a
  /// prefix (empty key or trailing '/'); kFailedPrecondition when ref.etag is set
  /// and differs; kPermissionDenied / kUnauthenticated when refused. One round
  /// trip (plus a token fetch when none is cached).
  Result<ObjectInfo> Stat(const ObjectRef& ref) override;

  /// Pages through objects.list under prefix.path in name order, latest
  /// generations only. Folder markers (names ending '/') are skipped.
  /// kResourceExhausted, naming the count and max_objects, when more than
  /// options.max_objects objects are found. One round trip per page.
  Status List(const uri::Uri& prefix, const ListOptions& options,
              const std::function<Status(const ObjectInfo&)>& visit) override;

  /// Media GET of the object or the range [offset, offset+length), streamed into
  /// `sink`; a dropped transfer resumes from the bytes already delivered. Errors
  /// as Stat; a read of length 0 only stats the object.
  ///
  /// A resumed read of an unpinned object is guarded only by the If-Match that
  /// net::HttpClient adds with the first answer's ETag; whether GCS's JSON API
  /// honours If-Match on media downloads is not checked here (the emulator does
  /// not), so an object replaced mid-read can yield mixed bytes, which the
  /// caller's MD5 or CRC32C check then refuses. Pinned reads are exact.
  Status Read(const ObjectRef& ref, const ReadOptions& options, ByteSink& sink) override;

  /// The endpoint requests go to ("http://127.0.0.1:4443"), without trailing '/'.
  const std::string& Endpoint() const { return endpoint_; }

 private:
  GcsStore(std::string endpoint, GcsStoreOptions options);

  struct Call {
    std::string action;      // "stating", "listing", "reading"
    std::string uri;         // the gs:// URI acted on, without query
    std::string generation;  // the pinned generation, for messages
    std::string url;         // the full request URL
    net::Headers headers{};
  };

  /// Sends `call` with a token, once more with a fresh token after a 401.
  /// Returns the last response (any status) or a transport or token error.
  Result<net::Response> Send(const Call& call, net::BodySink* sink,
                             std::optional<net::ByteRange> range);
  /// The Status for a failed response to `call`.
  Status Failure(const Call& call, const net::Response& response) const;

  Result<ObjectInfo> StatObject(const ObjectRef& ref, std::string_view action);

  const std::string endpoint_;
  const std::shared_ptr<credentials::GcpTokenSource> tokens_;
  const int max_results_per_page_;
  std::unique_ptr<net::HttpClient> http_;
};

/// Opens a GcsStore for `uri`: the endpoint is STORAGE_EMULATOR_HOST when set,
/// else https://storage.googleapis.com; credentials come from
/// credentials::ResolveGcpCredentials(env::Get). kInvalidArgument for a URI
/// without a bucket or a malformed STORAGE_EMULATOR_HOST, and the credential
/// resolver's errors. Reads credential files; no network.
Result<std::shared_ptr<ObjectStore>> OpenGcsStore(const uri::Uri& uri,
                                                  const StoreOptions& options);

}  // namespace cairn::storage::gcs
