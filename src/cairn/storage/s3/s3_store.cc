// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/s3/s3_store.h"

#include <utility>

#include "cairn/base/env.h"
#include "cairn/base/log.h"
#include "cairn/hash/encoding.h"
#include "cairn/net/http_date.h"
#include "cairn/storage/s3/s3_errors.h"
#include "cairn/storage/s3/s3_xml.h"
#include "cairn/storage/store_sink.h"

namespace cairn::storage::s3 {
namespace {

// A single-part upload's ETag is the hex MD5 of the content; multipart ETags carry
// a "-N" suffix and are not content hashes.
std::string Md5Base64FromEtag(std::string_view etag) {
  if (etag.size() != 32) {
    return "";
  }
  std::string bytes;
  bytes.reserve(16);
  for (std::size_t i = 0; i < etag.size(); i += 2) {
    int value = 0;
    for (const char c : etag.substr(i, 2)) {
      const int digit = (c >= '0' && c <= '9')   ? c - '0'
                        : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                        : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                 : -1;
      if (digit < 0) {
        return "";
      }
      value = value * 16 + digit;
    }
    bytes += static_cast<char>(value);
  }
  return hash::Base64Encode(bytes);
}

std::string RequestId(const net::Response& response) {
  return response.Header("x-amz-request-id")
      .value_or(response.Header("x-amzn-requestid").value_or(""));
}

uri::Uri ObjectUri(const std::string& bucket, const std::string& key) {
  uri::Uri object;
  object.scheme = "s3";
  object.authority = bucket;
  object.path = key;
  return object;
}

ObjectInfo InfoFromListing(const std::string& bucket, ListedObject object) {
  ObjectInfo info;
  info.uri = ObjectUri(bucket, object.key);
  info.key = std::move(object.key);
  info.size_bytes = object.size_bytes;
  info.md5_base64 = Md5Base64FromEtag(object.etag);
  info.etag = std::move(object.etag);
  info.version_id = std::move(object.version_id);
  info.last_modified = std::move(object.last_modified);
  return info;
}

}  // namespace

Result<std::shared_ptr<S3Store>> S3Store::Make(const S3StoreOptions& options) {
  CAIRN_ASSIGN_OR_RETURN(S3RequestFactory requests,
                         S3RequestFactory::Make(options.settings));
  return std::shared_ptr<S3Store>(new S3Store(std::move(requests), options));
}

S3Store::S3Store(S3RequestFactory requests, const S3StoreOptions& options)
    : requests_(std::move(requests)),
      max_keys_per_page_(options.max_keys_per_page),
      http_(std::make_unique<net::HttpClient>(options.http)) {}

StoreFeatures S3Store::Features() const {
  return {.has_versions = true,
          .has_ranges = true,
          .has_content_md5 = true,
          .has_etags = true};
}

std::string S3Store::RegionFor(const std::string& bucket) {
  const std::lock_guard lock(mutex_);
  const auto found = bucket_regions_.find(bucket);
  return found == bucket_regions_.end() ? requests_.DefaultRegion() : found->second;
}

void S3Store::RememberRegion(const std::string& bucket, const std::string& region) {
  const std::lock_guard lock(mutex_);
  bucket_regions_[bucket] = region;
}

Result<net::Response> S3Store::Send(const Call& call, net::BodySink* sink,
                                    std::optional<net::ByteRange> range) {
  std::string region = RegionFor(call.target.bucket);
  for (int round = 1;; ++round) {
    net::Request request =
        requests_.Build(call.method, call.target, region, call.headers);
    request.range = range;
    Result<net::Response> response = http_->Perform(request, sink);
    if (!response.ok()) {
      return response.status().WithContext(call.action + " " + call.uri);
    }

    // A bucket in another region: sign again once for the region S3 names.
    const int status = response->status;
    if (round == 1 && (status == 301 || status == 307 || status == 400)) {
      S3Failure failure;
      failure.body = ParseErrorBody(response->body);
      failure.bucket_region = response->Header("x-amz-bucket-region").value_or("");
      failure.signed_region = region;
      const std::string discovered = RegionFromFailure(failure);
      if (!discovered.empty()) {
        log::Get("storage.s3")
            ->debug("bucket in another region bucket={} region={} was={}",
                    call.target.bucket, discovered, region);
        RememberRegion(call.target.bucket, discovered);
        region = discovered;
        continue;
      }
    }
    return response;
  }
}

Status S3Store::Failure(const Call& call, const net::Response& response) {
  S3Failure failure;
  failure.action = call.action;
  failure.uri = call.uri;
  failure.permission = call.permission;
  failure.http_status = response.status;
  failure.body = ParseErrorBody(response.body);
  failure.request_id = RequestId(response);
  failure.bucket_region = response.Header("x-amz-bucket-region").value_or("");
  failure.signed_region = RegionFor(call.target.bucket);
  failure.credentials_source = requests_.CredentialsSource();
  failure.anonymous = requests_.IsAnonymous();
  return S3FailureToStatus(failure);
}

Result<ObjectInfo> S3Store::Stat(const ObjectRef& ref) {
  if (ref.uri.EndsWithSlash()) {
    return PrefixIsNotAnObject("stating", ref.uri);
  }
  Call call{.action = "stating",
            .uri = ref.uri.WithoutQuery(),
            .permission = ref.version_id.empty() ? "s3:GetObject" : "s3:GetObjectVersion",
            .method = "HEAD",
            .target = {.bucket = ref.uri.authority, .key = ref.uri.path}};
  if (!ref.version_id.empty()) {
    call.target.query.emplace_back("versionId", ref.version_id);
  }
  if (!ref.etag.empty()) {
    call.headers.emplace_back("If-Match", "\"" + ref.etag + "\"");
  }

  CAIRN_ASSIGN_OR_RETURN(const net::Response response, Send(call, nullptr, {}));
  if (response.status != 200) {
    return Failure(call, response);
  }

  ObjectInfo info;
  info.uri = ObjectUri(ref.uri.authority, ref.uri.path);
  info.key = ref.uri.path;
  const std::string length = response.Header("Content-Length").value_or("0");
  info.size_bytes = std::strtoll(length.c_str(), nullptr, 10);
  info.etag = UnquoteEtag(response.Header("ETag").value_or(""));
  info.md5_base64 = Md5Base64FromEtag(info.etag);
  info.version_id = response.Header("x-amz-version-id").value_or("");
  if (info.version_id == "null") {
    info.version_id.clear();
  }
  info.last_modified =
      net::HttpDateToRfc3339(response.Header("Last-Modified").value_or(""));
  return info;
}

Status S3Store::List(const uri::Uri& prefix, const ListOptions& options,
                     const std::function<Status(const ObjectInfo&)>& visit) {
  return ListPages(prefix, options, options.want_versions, visit);
}

Status S3Store::ListPages(const uri::Uri& prefix, const ListOptions& options,
                          bool versions,
                          const std::function<Status(const ObjectInfo&)>& visit) {
  const std::string& bucket = prefix.authority;
  std::int64_t seen = 0;
  std::string marker;  // continuation token, or key marker for versions
  std::string version_marker;

  for (int page = 1;; ++page) {
    Call call{.action = "listing",
              .uri = prefix.WithoutQuery(),
              .permission = versions ? "s3:ListBucketVersions" : "s3:ListBucket",
              .method = "GET",
              .target = {.bucket = bucket, .key = ""}};
    auto& query = call.target.query;
    query = {{versions ? "versions" : "list-type", versions ? "" : "2"},
             {"prefix", prefix.path},
             {"max-keys", std::to_string(max_keys_per_page_)},
             {"encoding-type", "url"}};
    if (!marker.empty()) {
      query.emplace_back(versions ? "key-marker" : "continuation-token", marker);
    }
    if (!version_marker.empty()) {
      query.emplace_back("version-id-marker", version_marker);
    }

    CAIRN_ASSIGN_OR_RETURN(const net::Response response, Send(call, nullptr, {}));
    if (response.status != 200) {
      // Some stores refuse or lack ListObjectVersions (it needs its own
      // permission); the plain listing still works, without version ids.
      if (versions && page == 1 &&
          (response.status == 403 || response.status == 501 || response.status == 405)) {
        log::Get("storage.s3")
            ->warn(
                "ListObjectVersions refused, listing without version ids uri={} "
                "status={}",
                call.uri, response.status);
        return ListPages(prefix, options, false, visit);
      }
      return Failure(call, response);
    }
    const std::string what = "listing " + call.uri;
    CAIRN_ASSIGN_OR_RETURN(ListPage parsed,
                           versions ? ParseListObjectVersions(response.body, what)
                                    : ParseListObjectsV2(response.body, what));

    for (ListedObject& object : parsed.objects) {
      if (object.key.ends_with('/') || !object.key.starts_with(prefix.path)) {
        continue;
      }
      if (options.max_objects > 0 && seen == options.max_objects) {
        return ResourceExhaustedError(
            what + ": more than " + std::to_string(options.max_objects) +
            " objects (max_objects=" + std::to_string(options.max_objects) +
            "); raise max_objects to track them all, or reference a narrower prefix");
      }
      ++seen;
      CAIRN_RETURN_IF_ERROR(visit(InfoFromListing(bucket, std::move(object))));
    }
    if (!parsed.is_truncated) {
      return Status::Ok();
    }

    std::string next = versions ? parsed.next_key_marker : parsed.next_continuation_token;
    std::string next_version = versions ? parsed.next_version_id_marker : "";
    if (next.empty() || (next == marker && next_version == version_marker)) {
      return InternalError(what +
                           ": the store said the listing continues but gave no "
                           "new page marker (page " +
                           std::to_string(page) + ")");
    }
    marker = std::move(next);
    version_marker = std::move(next_version);
  }
}

Status S3Store::Read(const ObjectRef& ref, const ReadOptions& options, ByteSink& sink) {
  if (ref.uri.EndsWithSlash()) {
    return PrefixIsNotAnObject("reading", ref.uri);
  }
  if (options.offset < 0 || options.length < -1) {
    return InvalidArgumentError("reading " + ref.uri.WithoutQuery() +
                                ": bad range (offset " + std::to_string(options.offset) +
                                ", length " + std::to_string(options.length) +
                                "); offset must be >= 0 and length >= 0 or -1");
  }
  if (options.length == 0) {
    return Stat(ref).status();
  }
  Call call{.action = "reading",
            .uri = ref.uri.WithoutQuery(),
            .permission = ref.version_id.empty() ? "s3:GetObject" : "s3:GetObjectVersion",
            .method = "GET",
            .target = {.bucket = ref.uri.authority, .key = ref.uri.path}};
  if (!ref.version_id.empty()) {
    call.target.query.emplace_back("versionId", ref.version_id);
  }
  if (!ref.etag.empty()) {
    call.headers.emplace_back("If-Match", "\"" + ref.etag + "\"");
  }
  std::optional<net::ByteRange> range;
  if (options.offset > 0 || options.length > 0) {
    range = net::ByteRange{.offset = options.offset, .length = options.length};
  }

  StoreBodySink adapter(sink);
  CAIRN_ASSIGN_OR_RETURN(const net::Response response, Send(call, &adapter, range));
  if (response.status != 200 && response.status != 206) {
    return Failure(call, response);
  }
  return Status::Ok();
}

Result<std::shared_ptr<ObjectStore>> OpenS3Store(const uri::Uri& uri,
                                                 const StoreOptions& options) {
  if (uri.authority.empty()) {
    return InvalidArgumentError("opening " + uri.WithoutQuery() +
                                ": an s3:// URI needs a bucket, as in s3://bucket/key");
  }
  CAIRN_ASSIGN_OR_RETURN(credentials::AwsSettings settings,
                         credentials::ResolveAwsSettings(&env::Get));
  if (!options.s3_endpoint.empty()) {
    settings.endpoint_url = options.s3_endpoint;
  }
  if (!options.s3_region.empty()) {
    settings.region = options.s3_region;
  }
  CAIRN_ASSIGN_OR_RETURN(std::shared_ptr<S3Store> store,
                         S3Store::Make({.settings = std::move(settings)}));
  return std::shared_ptr<ObjectStore>(std::move(store));
}

}  // namespace cairn::storage::s3
