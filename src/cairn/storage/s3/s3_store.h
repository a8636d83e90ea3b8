// SPDX-License-Identifier: Apache-2.0
// S3Store: the ObjectStore for s3:// references, on AWS S3 or an S3-compatible
// endpoint (MinIO, Ceph, moto). Stat is a HEAD, List pages through
// ListObjectVersions or ListObjectsV2, Read is a streamed GET; retries and resumed
// reads happen in net::HttpClient, errors are mapped in s3_errors.h.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cairn/base/result.h"
#include "cairn/credentials/aws.h"
#include "cairn/net/http_client.h"
#include "cairn/storage/object_store.h"
#include "cairn/storage/s3/s3_request.h"
#include "cairn/storage/store_factory.h"
#include "cairn/uri/uri.h"

namespace cairn::storage::s3 {

struct S3StoreOptions {
  credentials::AwsSettings settings{};
  net::HttpClientOptions http{};
  // Keys per listing page (S3 caps it at 1000); smaller values force paging.
  int max_keys_per_page = 1000;
};

/// Reads objects of any bucket reachable with one set of settings.
///
/// - Addressing: path-style (endpoint/bucket/key) when settings.endpoint_url is
///   set, virtual-hosted (bucket.s3.region.amazonaws.com/key) for AWS itself.
/// - Credentials: requests are signed with SigV4 per attempt; with anonymous
///   settings they are sent unsigned, and a refusal says that no credentials
///   were found.
/// - Region: requests start in the configured region (else us-east-1). When S3
///   answers that a bucket lives elsewhere (301 or 400 with x-amz-bucket-region,
///   or AuthorizationHeaderMalformed naming the region) the request is signed
///   again once for that region, which is remembered per bucket. When S3 does not
///   say which region, the error asks the user to set AWS_REGION.
/// - Digests: etag is the ETag without quotes; md5_base64 is filled only for an
///   ETag of 32 hex digits (single-part uploads). An object encrypted with SSE-KMS
///   or SSE-C also has such an ETag that is not its MD5, and is reported wrongly;
///   a download verified against it fails with kDataLoss instead of passing.
///
/// Thread-safe: every method may be called concurrently.
class S3Store final : public ObjectStore {
 public:
  /// kInvalidArgument for a malformed endpoint_url. No network.
  static Result<std::shared_ptr<S3Store>> Make(const S3StoreOptions& options);

  std::string_view Scheme() const override { return "s3"; }
  StoreFeatures Features() const override;

  /// HEAD on the key (with ?versionId= when ref.version_id is set, If-Match when
  /// ref.etag is set). kNotFound for a missing key, version or bucket, and for a
  /// URI naming a prefix (empty key or trailing '/'); kFailedPrecondition when
  /// the ETag differs; kPermissionDenied / kUnauthenticated when refused. One
  /// round trip (two when the bucket's region was unknown).
  Result<ObjectInfo> Stat(const ObjectRef& ref) override;

  /// Pages through the keys under prefix.path in key order. With
  /// options.want_versions it lists with ListObjectVersions (latest versions only;
  /// version_id is empty for objects written while versioning was off) and falls
  /// back to ListObjectsV2 when that call is refused or not implemented;
  /// otherwise ListObjectsV2. Folder markers (keys ending '/') are skipped. Never
  /// one request per object. kResourceExhausted, naming the count and
  /// max_objects, when more than options.max_objects objects are found.
  Status List(const uri::Uri& prefix, const ListOptions& options,
              const std::function<Status(const ObjectInfo&)>& visit) override;

  /// GET of the object or the range [offset, offset+length), streamed into
  /// `sink`; a dropped transfer resumes from the bytes already delivered. Errors
  /// as Stat; a read of length 0 only checks that the object exists.
  Status Read(const ObjectRef& ref, const ReadOptions& options, ByteSink& sink) override;

  /// The request builder and HTTP client this store uses; tests use them to write
  /// fixtures through the same endpoint and credentials.
  const S3RequestFactory& Requests() const { return requests_; }
  net::HttpClient& Http() { return *http_; }

 private:
  S3Store(S3RequestFactory requests, const S3StoreOptions& options);

  struct Call {
    std::string action;      // "stating", "listing", "reading"
    std::string uri;         // the s3:// URI acted on, without query
    std::string permission;  // "s3:GetObject", for AccessDenied messages
    std::string method;
    S3Target target;
    net::Headers headers{};
  };

  /// Sends `call` signed for the bucket's region, switching region once when S3
  /// names another. Returns the last response (any status) or a transport error.
  Result<net::Response> Send(const Call& call, net::BodySink* sink,
                             std::optional<net::ByteRange> range);
  /// The Status for a failed response to `call`.
  Status Failure(const Call& call, const net::Response& response);

  std::string RegionFor(const std::string& bucket);
  void RememberRegion(const std::string& bucket, const std::string& region);

  Status ListPages(const uri::Uri& prefix, const ListOptions& options, bool versions,
                   const std::function<Status(const ObjectInfo&)>& visit);

  const S3RequestFactory requests_;
  const int max_keys_per_page_;
  std::unique_ptr<net::HttpClient> http_;

  std::mutex mutex_;  // guards bucket_regions_
  std::map<std::string, std::string> bucket_regions_;
};

/// Opens an S3Store for `uri`: settings come from
/// credentials::ResolveAwsSettings(env::Get), then options.s3_endpoint and
/// options.s3_region override the endpoint and region. kInvalidArgument for a
/// URI without a bucket, bad settings or a malformed endpoint. No network.
Result<std::shared_ptr<ObjectStore>> OpenS3Store(const uri::Uri& uri,
                                                 const StoreOptions& options);

}  // namespace cairn::storage::s3
