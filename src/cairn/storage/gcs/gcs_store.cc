// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/gcs/gcs_store.h"

#include <utility>
#include <vector>

#include "cairn/base/env.h"
#include "cairn/base/log.h"
#include "cairn/storage/gcs/gcs_errors.h"
#include "cairn/storage/gcs/gcs_json.h"
#include "cairn/storage/store_sink.h"

namespace cairn::storage::gcs {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

uri::Uri ObjectUri(const std::string& bucket, const std::string& name) {
  uri::Uri object;
  object.scheme = "gs";
  object.authority = bucket;
  object.path = name;
  return object;
}

// The object name is one path segment of the JSON API URL, so '/' is encoded too.
std::string ObjectPath(std::string_view root, const uri::Uri& uri) {
  return std::string(root) + "/b/" + uri::PercentEncode(uri.authority) + "/o/" +
         uri::PercentEncode(uri.path);
}

std::string WithQuery(std::string url, const Query& query) {
  char separator = '?';
  for (const auto& [name, value] : query) {
    url += separator + uri::PercentEncode(name) + "=" + uri::PercentEncode(value);
    separator = '&';
  }
  return url;
}

ObjectInfo InfoFromObject(const std::string& bucket, GcsObject object) {
  ObjectInfo info;
  info.uri = ObjectUri(bucket, object.name);
  info.key = std::move(object.name);
  info.size_bytes = object.size_bytes;
  info.etag = std::move(object.etag);
  info.version_id = std::move(object.generation);
  info.last_modified = Rfc3339Seconds(object.updated);
  info.md5_base64 = std::move(object.md5_base64);
  info.crc32c_base64 = std::move(object.crc32c_base64);
  return info;
}

Result<std::string> NormalizeEndpoint(std::string endpoint) {
  if (endpoint.find("://") == std::string::npos) {
    endpoint = "http://" + endpoint;
  }
  while (endpoint.ends_with('/')) {
    endpoint.pop_back();
  }
  const bool http = endpoint.starts_with("http://");
  const std::size_t host_start = http ? 7 : 8;
  if ((!http && !endpoint.starts_with("https://")) || endpoint.size() <= host_start ||
      endpoint.find_first_of("/?#@ ", host_start) != std::string::npos) {
    return InvalidArgumentError(
        "GCS endpoint \"" + endpoint +
        "\" is not http(s)://host[:port] or host:port; fix STORAGE_EMULATOR_HOST, or "
        "unset it to use " +
        std::string(kGcsEndpoint));
  }
  return endpoint;
}

}  // namespace

Result<std::shared_ptr<GcsStore>> GcsStore::Make(GcsStoreOptions options) {
  CAIRN_ASSIGN_OR_RETURN(std::string endpoint, NormalizeEndpoint(options.endpoint));
  return std::shared_ptr<GcsStore>(new GcsStore(std::move(endpoint), std::move(options)));
}

GcsStore::GcsStore(std::string endpoint, GcsStoreOptions options)
    : endpoint_(std::move(endpoint)),
      tokens_(std::move(options.tokens)),
      max_results_per_page_(options.max_results_per_page),
      http_(std::make_unique<net::HttpClient>(options.http)) {}

StoreFeatures GcsStore::Features() const {
  return {.has_versions = true,
          .has_ranges = true,
          .has_content_md5 = true,
          .has_etags = true};
}

Result<net::Response> GcsStore::Send(const Call& call, net::BodySink* sink,
                                     std::optional<net::ByteRange> range) {
  for (int round = 1;; ++round) {
    std::string used_token;
    net::Request request;
    request.method = "GET";
    request.url = call.url;
    request.headers = call.headers;
    request.range = range;
    request.signer = [this, &used_token](const net::Request&) -> Result<net::Headers> {
      if (tokens_ == nullptr) {
        return net::Headers();
      }
      CAIRN_ASSIGN_OR_RETURN(used_token, tokens_->AccessToken());
      if (used_token.empty()) {
        return net::Headers();
      }
      return net::Headers{{"Authorization", "Bearer " + used_token}};
    };

    Result<net::Response> response = http_->Perform(request, sink);
    if (!response.ok()) {
      return response.status().WithContext(call.action + " " + call.uri);
    }
    // An access token can be revoked or expire early; one fresh token is worth a try.
    if (round == 1 && response->status == 401 && !used_token.empty()) {
      log::Get("storage.gcs")->debug("token refused, fetching another uri={}", call.uri);
      tokens_->Invalidate(used_token);
      continue;
    }
    return response;
  }
}

Status GcsStore::Failure(const Call& call, const net::Response& response) const {
  GcsFailure failure;
  failure.action = call.action;
  failure.uri = call.uri;
  failure.generation = call.generation;
  failure.http_status = response.status;
  failure.body = ParseErrorBody(response.body);
  const bool anonymous = tokens_ == nullptr || tokens_->Credentials().anonymous();
  failure.anonymous = anonymous;
  failure.credentials_source =
      anonymous ? std::string("none (anonymous)") : tokens_->Credentials().source;
  return GcsFailureToStatus(failure);
}

Result<ObjectInfo> GcsStore::Stat(const ObjectRef& ref) {
  return StatObject(ref, "stating");
}

Result<ObjectInfo> GcsStore::StatObject(const ObjectRef& ref, std::string_view action) {
  if (ref.uri.EndsWithSlash()) {
    return PrefixIsNotAnObject(action, ref.uri);
  }
  Query query;
  if (!ref.version_id.empty()) {
    query.emplace_back("generation", ref.version_id);
  }
  const Call call{
      .action = std::string(action),
      .uri = ref.uri.WithoutQuery(),
      .generation = ref.version_id,
      .url = WithQuery(ObjectPath(endpoint_ + "/storage/v1", ref.uri), query)};

  CAIRN_ASSIGN_OR_RETURN(const net::Response response, Send(call, nullptr, {}));
  if (response.status != 200) {
    return Failure(call, response);
  }
  CAIRN_ASSIGN_OR_RETURN(GcsObject object,
                         ParseObject(response.body, call.action + " " + call.uri));
  ObjectInfo info = InfoFromObject(ref.uri.authority, std::move(object));
  if (!ref.etag.empty() && info.etag != ref.etag) {
    return FailedPreconditionError(
        call.action + " " + call.uri + ": etag now " + info.etag + ", recorded " +
        ref.etag +
        ": the object changed since it was recorded; re-track the reference or pin a "
        "generation");
  }
  return info;
}

Status GcsStore::List(const uri::Uri& prefix, const ListOptions& options,
                      const std::function<Status(const ObjectInfo&)>& visit) {
  const std::string& bucket = prefix.authority;
  const std::string what = "listing " + prefix.WithoutQuery();
  std::int64_t seen = 0;
  std::string page_token;

  for (int page = 1;; ++page) {
    Query query = {{"prefix", prefix.path},
                   {"maxResults", std::to_string(max_results_per_page_)},
                   {"projection", "noAcl"}};
    if (!page_token.empty()) {
      query.emplace_back("pageToken", page_token);
    }
    const Call call{
        .action = "listing",
        .uri = prefix.WithoutQuery(),
        .generation = "",
        .url = WithQuery(endpoint_ + "/storage/v1/b/" + uri::PercentEncode(bucket) + "/o",
                         query)};

    CAIRN_ASSIGN_OR_RETURN(const net::Response response, Send(call, nullptr, {}));
    if (response.status != 200) {
      return Failure(call, response);
    }
    CAIRN_ASSIGN_OR_RETURN(GcsListPage parsed, ParseListPage(response.body, what));

    for (GcsObject& object : parsed.objects) {
      if (object.name.ends_with('/') || !object.name.starts_with(prefix.path)) {
        continue;
      }
      if (options.max_objects > 0 && seen == options.max_objects) {
        return ResourceExhaustedError(
            what + ": more than " + std::to_string(options.max_objects) +
            " objects (max_objects=" + std::to_string(options.max_objects) +
            "); raise max_objects to track them all, or reference a narrower prefix");
      }
      ++seen;
      CAIRN_RETURN_IF_ERROR(visit(InfoFromObject(bucket, std::move(object))));
    }
    if (parsed.next_page_token.empty()) {
      return Status::Ok();
    }
    if (parsed.next_page_token == page_token) {
      return InternalError(what +
                           ": GCS said the listing continues but repeated its page "
                           "token (page " +
                           std::to_string(page) + ")");
    }
    page_token = std::move(parsed.next_page_token);
  }
}

Status GcsStore::Read(const ObjectRef& ref, const ReadOptions& options, ByteSink& sink) {
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
    return StatObject(ref, "reading").status();
  }

  Query query = {{"alt", "media"}};
  if (!ref.version_id.empty()) {
    query.emplace_back("generation", ref.version_id);
  }
  // GCS has no If-Match on media reads: compare etags on the metadata, then hold the
  // read to the generation that was compared.
  if (!ref.etag.empty()) {
    CAIRN_ASSIGN_OR_RETURN(const ObjectInfo info, StatObject(ref, "reading"));
    if (ref.version_id.empty() && !info.version_id.empty()) {
      query.emplace_back("ifGenerationMatch", info.version_id);
    }
  }
  const Call call{
      .action = "reading",
      .uri = ref.uri.WithoutQuery(),
      .generation = ref.version_id,
      .url = WithQuery(ObjectPath(endpoint_ + "/download/storage/v1", ref.uri), query)};
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

Result<std::shared_ptr<ObjectStore>> OpenGcsStore(const uri::Uri& uri,
                                                  const StoreOptions& /*options*/) {
  if (uri.authority.empty()) {
    return InvalidArgumentError("opening " + uri.WithoutQuery() +
                                ": a gs:// URI needs a bucket, as in gs://bucket/key");
  }
  GcsStoreOptions options;
  if (const std::string emulator = env::GetOr("STORAGE_EMULATOR_HOST", "");
      !emulator.empty()) {
    options.endpoint = emulator;
  }
  CAIRN_ASSIGN_OR_RETURN(credentials::GcpCredentials found,
                         credentials::ResolveGcpCredentials(&env::Get));
  options.tokens = std::make_shared<credentials::GcpTokenSource>(std::move(found));
  CAIRN_ASSIGN_OR_RETURN(std::shared_ptr<GcsStore> store,
                         GcsStore::Make(std::move(options)));
  return std::shared_ptr<ObjectStore>(std::move(store));
}

}  // namespace cairn::storage::gcs
