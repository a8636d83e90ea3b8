// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/azure/azure_store.h"

#include <strings.h>

#include <cstdlib>
#include <utility>
#include <vector>

#include "cairn/base/log.h"
#include "cairn/hash/encoding.h"
#include "cairn/net/http_date.h"
#include "cairn/storage/azure/azure_errors.h"
#include "cairn/storage/azure/azure_signer.h"
#include "cairn/storage/azure/azure_xml.h"
#include "cairn/storage/store_sink.h"

namespace cairn::storage::azure {

struct AzureStore::Call {
  std::string action;      // "stating", "listing", "reading"
  std::string uri;         // the URI acted on, without query
  std::string version_id;  // the pinned version, for messages
  std::string method = "GET";
  std::string url;  // the full request URL, without the SAS
  net::Headers headers{};
};

namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

std::string WithQuery(std::string url, const Query& query) {
  char separator = '?';
  for (const auto& [name, value] : query) {
    url += separator + uri::PercentEncode(name) + "=" + uri::PercentEncode(value);
    separator = '&';
  }
  return url;
}

bool IsTrue(const std::optional<std::string>& value) {
  return value.has_value() && ::strcasecmp(value->c_str(), "true") == 0;
}

Status NotAnObject(std::string_view action, const uri::Uri& uri, std::string_view why) {
  return NotFoundError(std::string(action) + " " + uri.WithoutQuery() +
                       ": the URI names " + std::string(why) +
                       ", not a blob; list it instead");
}

// A pinned request must be answered by that version: a store without versioning
// (Azurite) ignores ?versionid= and answers with the live blob.
Status CheckVersion(std::string_view action, const ObjectRef& ref,
                    const net::Response& response) {
  const std::string answered = response.Header("x-ms-version-id").value_or("");
  if (ref.version_id.empty() || answered == ref.version_id) {
    return Status::Ok();
  }
  return NotFoundError(std::string(action) + " " + ref.uri.WithoutQuery() + ": version " +
                       ref.version_id + " was asked for but Azure answered with " +
                       (answered.empty() ? std::string("no version id") : answered) +
                       " (the account keeps no blob versions, or the version is gone); "
                       "the live blob is not read in its place");
}

}  // namespace

ObjectRef AzureStore::WithUriPin(const ObjectRef& ref, const Address& address) {
  ObjectRef pinned = ref;
  if (pinned.version_id.empty()) {
    pinned.version_id = address.version_id;
  }
  return pinned;
}

Result<std::shared_ptr<AzureStore>> AzureStore::Make(AzureStoreOptions options) {
  CAIRN_ASSIGN_OR_RETURN(std::string endpoint,
                         credentials::NormalizeAzureBlobEndpoint(
                             options.endpoint, "the Azure store options"));
  std::string key_bytes;
  if (options.credentials.kind == credentials::AzureCredentials::Kind::kSharedKey) {
    if (options.account.empty()) {
      return InvalidArgumentError("opening " + endpoint +
                                  ": Shared Key credentials need an account name; set "
                                  "AccountName in AZURE_STORAGE_CONNECTION_STRING or "
                                  "AZURE_STORAGE_ACCOUNT");
    }
    Result<std::string> decoded = hash::Base64Decode(options.credentials.account_key);
    if (!decoded.ok()) {
      return InvalidArgumentError("opening " + endpoint + ": the account key from " +
                                  options.credentials.source + " is not base64");
    }
    key_bytes = std::move(*decoded);
  }
  return std::shared_ptr<AzureStore>(
      new AzureStore(std::move(endpoint), std::move(key_bytes), std::move(options)));
}

namespace {

std::string PathPrefixOf(const std::string& endpoint) {
  const std::size_t path = endpoint.find('/', endpoint.find("://") + 3);
  return path == std::string::npos ? std::string() : endpoint.substr(path + 1) + "/";
}

}  // namespace

AzureStore::AzureStore(std::string endpoint, std::string key_bytes,
                       AzureStoreOptions options)
    : endpoint_(std::move(endpoint)),
      path_prefix_(PathPrefixOf(endpoint_)),
      account_(std::move(options.account)),
      credentials_(std::move(options.credentials)),
      credentials_account_(std::move(options.credentials_account)),
      key_bytes_(std::move(key_bytes)),
      max_results_per_page_(options.max_results_per_page),
      http_(std::make_unique<net::HttpClient>(options.http)) {}

StoreFeatures AzureStore::Features() const {
  return {.has_versions = true,
          .has_ranges = true,
          .has_content_md5 = true,
          .has_etags = true};
}

Result<AzureStore::Address> AzureStore::Locate(const uri::Uri& uri,
                                               std::string_view action) const {
  // A SAS in the URL would travel into manifests with the ref; it belongs in the
  // environment instead. The message leaves the query out, so the SAS is not quoted.
  if (uri.QueryValue("sig").has_value()) {
    return InvalidArgumentError(
        std::string(action) + " " + uri.WithoutQuery() +
        ": the URL carries a shared access signature (sig=), which cairn would record "
        "with the reference; remove it from the URL and set AZURE_STORAGE_SAS_TOKEN");
  }
  Address address;
  address.version_id = uri.QueryValue("versionid").value_or("");
  if (uri.scheme == "az") {
    address.container = uri.authority;
    address.name = uri.path;
  } else {
    if (!uri.path.starts_with(path_prefix_)) {
      return InvalidArgumentError(std::string(action) + " " + uri.WithoutQuery() +
                                  ": the URL is not under the Azure blob endpoint " +
                                  endpoint_);
    }
    const std::string rest = uri.path.substr(path_prefix_.size());
    const std::size_t slash = rest.find('/');
    address.container = rest.substr(0, slash);
    address.name = slash == std::string::npos ? std::string() : rest.substr(slash + 1);
  }
  if (address.container.empty()) {
    return InvalidArgumentError(
        std::string(action) + " " + uri.WithoutQuery() +
        ": the URI names no container; write az://container/name "
        "or https://ACCOUNT.blob.core.windows.net/container/name");
  }
  return address;
}

uri::Uri AzureStore::UriOf(const uri::Uri& like, const std::string& container,
                           const std::string& name) const {
  uri::Uri out;
  out.scheme = like.scheme;
  if (like.scheme == "az") {
    out.authority = container;
    out.path = name;
  } else {
    out.authority = like.authority;
    out.path = path_prefix_ + container + "/" + name;
  }
  return out;
}

Result<net::Response> AzureStore::Send(const Call& call, net::BodySink* sink,
                                       std::optional<net::ByteRange> range) const {
  net::Request request;
  request.method = call.method;
  request.url = call.url;
  if (credentials_.kind == credentials::AzureCredentials::Kind::kSas) {
    request.url +=
        (request.url.find('?') == std::string::npos ? "?" : "&") + credentials_.sas_token;
  }
  request.headers = call.headers;
  request.headers.emplace_back("x-ms-version", std::string(kAzureApiVersion));
  request.range = range;
  if (credentials_.kind == credentials::AzureCredentials::Kind::kSharedKey) {
    request.signer = [this](const net::Request& attempt) -> Result<net::Headers> {
      return SignSharedKey(attempt, account_, key_bytes_,
                           std::chrono::system_clock::now());
    };
  }

  Result<net::Response> response = http_->Perform(request, sink);
  if (!response.ok()) {
    return response.status().WithContext(call.action + " " + call.uri);
  }
  return response;
}

Status AzureStore::Failure(const Call& call, const net::Response& response) const {
  AzureFailure failure;
  failure.action = call.action;
  failure.uri = call.uri;
  failure.version_id = call.version_id;
  failure.http_status = response.status;
  failure.body = ParseErrorBody(response.body);
  failure.error_code = response.Header("x-ms-error-code").value_or(failure.body.code);
  failure.request_id = response.Header("x-ms-request-id").value_or("");
  failure.account = account_;
  failure.credentials_source = credentials_.source;
  failure.anonymous = credentials_.anonymous();
  failure.credentials_account = credentials_account_;
  return AzureFailureToStatus(failure);
}

Result<ObjectInfo> AzureStore::Stat(const ObjectRef& ref) {
  return StatBlob(ref, "stating");
}

Result<ObjectInfo> AzureStore::StatBlob(const ObjectRef& unpinned,
                                        std::string_view action) {
  CAIRN_ASSIGN_OR_RETURN(const Address address, Locate(unpinned.uri, action));
  const ObjectRef ref = WithUriPin(unpinned, address);
  if (address.name.empty() || address.name.back() == '/') {
    return NotAnObject(action, ref.uri, "a prefix (its name is empty or ends in '/')");
  }
  Call call{.action = std::string(action),
            .uri = ref.uri.WithoutQuery(),
            .version_id = ref.version_id,
            .method = "HEAD",
            .url = ""};
  Query query;
  if (!ref.version_id.empty()) {
    query.emplace_back("versionid", ref.version_id);
  }
  call.url = WithQuery(endpoint_ + "/" + uri::PercentEncode(address.container) + "/" +
                           uri::PercentEncode(address.name, "/"),
                       query);
  if (!ref.etag.empty()) {
    call.headers.emplace_back("If-Match", "\"" + ref.etag + "\"");
  }

  CAIRN_ASSIGN_OR_RETURN(const net::Response response, Send(call, nullptr, {}));
  if (response.status != 200) {
    return Failure(call, response);
  }
  CAIRN_RETURN_IF_ERROR(CheckVersion(action, ref, response));
  if (IsTrue(response.Header("x-ms-meta-hdi_isfolder")) ||
      response.Header("x-ms-resource-type") == "directory") {
    return NotAnObject(action, ref.uri, "an ADLS directory (metadata hdi_isfolder=true)");
  }

  ObjectInfo info;
  info.uri = UriOf(ref.uri, address.container, address.name);
  info.key = address.name;
  const std::string length = response.Header("Content-Length").value_or("");
  char* end = nullptr;
  info.size_bytes = std::strtoll(length.c_str(), &end, 10);
  if (length.empty() || *end != '\0' || info.size_bytes < 0) {
    return InternalError(call.action + " " + call.uri +
                         ": Azure answered without a valid Content-Length");
  }
  info.etag = UnquoteEtag(response.Header("ETag").value_or(""));
  info.md5_base64 = response.Header("Content-MD5").value_or("");
  info.last_modified =
      net::HttpDateToRfc3339(response.Header("Last-Modified").value_or(""));
  info.version_id = response.Header("x-ms-version-id").value_or("");
  return info;
}

Status AzureStore::List(const uri::Uri& prefix, const ListOptions& options,
                        const std::function<Status(const ObjectInfo&)>& visit) {
  CAIRN_ASSIGN_OR_RETURN(const Address address, Locate(prefix, "listing"));
  const std::string what = "listing " + prefix.WithoutQuery();
  std::int64_t seen = 0;
  std::string marker;

  for (int page = 1;; ++page) {
    Query query = {{"restype", "container"},
                   {"comp", "list"},
                   {"include", "metadata"},
                   {"maxresults", std::to_string(max_results_per_page_)}};
    if (!address.name.empty()) {
      query.emplace_back("prefix", address.name);
    }
    if (!marker.empty()) {
      query.emplace_back("marker", marker);
    }
    const Call call{
        .action = "listing",
        .uri = prefix.WithoutQuery(),
        .version_id = "",
        .method = "GET",
        .url = WithQuery(endpoint_ + "/" + uri::PercentEncode(address.container), query)};

    CAIRN_ASSIGN_OR_RETURN(const net::Response response, Send(call, nullptr, {}));
    if (response.status != 200) {
      return Failure(call, response);
    }
    CAIRN_ASSIGN_OR_RETURN(ListBlobsPage parsed, ParseListBlobs(response.body, what));
    log::Get("storage.azure")
        ->trace("listed page={} blobs={} has_next={}", page, parsed.blobs.size(),
                !parsed.next_marker.empty());

    for (ListedBlob& blob : parsed.blobs) {
      if (blob.is_directory || blob.name.ends_with('/') ||
          !blob.name.starts_with(address.name)) {
        continue;
      }
      if (options.max_objects > 0 && seen == options.max_objects) {
        return ResourceExhaustedError(
            what + ": more than " + std::to_string(options.max_objects) +
            " objects (max_objects=" + std::to_string(options.max_objects) +
            "); raise max_objects to track them all, or reference a narrower prefix");
      }
      ++seen;
      ObjectInfo info;
      info.uri = UriOf(prefix, address.container, blob.name);
      info.key = std::move(blob.name);
      info.size_bytes = blob.size_bytes;
      info.etag = std::move(blob.etag);
      info.version_id = std::move(blob.version_id);
      info.last_modified = std::move(blob.last_modified);
      info.md5_base64 = std::move(blob.md5_base64);
      CAIRN_RETURN_IF_ERROR(visit(info));
    }
    if (parsed.next_marker.empty()) {
      return Status::Ok();
    }
    if (parsed.next_marker == marker) {
      return InternalError(what +
                           ": Azure said the listing continues but repeated its "
                           "marker (page " +
                           std::to_string(page) + ")");
    }
    marker = std::move(parsed.next_marker);
  }
}

Status AzureStore::Read(const ObjectRef& unpinned, const ReadOptions& options,
                        ByteSink& sink) {
  CAIRN_ASSIGN_OR_RETURN(const Address address, Locate(unpinned.uri, "reading"));
  const ObjectRef ref = WithUriPin(unpinned, address);
  if (address.name.empty() || address.name.back() == '/') {
    return NotAnObject("reading", ref.uri, "a prefix (its name is empty or ends in '/')");
  }
  if (options.offset < 0 || options.length < -1) {
    return InvalidArgumentError("reading " + ref.uri.WithoutQuery() +
                                ": bad range (offset " + std::to_string(options.offset) +
                                ", length " + std::to_string(options.length) +
                                "); offset must be >= 0 and length >= 0 or -1");
  }
  if (options.length == 0) {
    return StatBlob(ref, "reading").status();
  }

  Call call{.action = "reading",
            .uri = ref.uri.WithoutQuery(),
            .version_id = ref.version_id,
            .method = "GET",
            .url = ""};
  Query query;
  if (!ref.version_id.empty()) {
    query.emplace_back("versionid", ref.version_id);
  }
  call.url = WithQuery(endpoint_ + "/" + uri::PercentEncode(address.container) + "/" +
                           uri::PercentEncode(address.name, "/"),
                       query);
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
  CAIRN_RETURN_IF_ERROR(CheckVersion("reading", ref, response));
  if (IsTrue(response.Header("x-ms-meta-hdi_isfolder"))) {
    return NotAnObject("reading", ref.uri,
                       "an ADLS directory (metadata hdi_isfolder=true)");
  }
  return Status::Ok();
}

}  // namespace cairn::storage::azure
