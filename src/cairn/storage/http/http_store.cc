// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/http/http_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "cairn/base/ascii.h"
#include "cairn/base/env.h"
#include "cairn/base/log.h"
#include "cairn/base/redact.h"
#include "cairn/net/http_date.h"
#include "cairn/storage/http/http_errors.h"
#include "cairn/storage/http/http_headers.h"
#include "cairn/storage/http/http_url.h"
#include "cairn/storage/store_sink.h"

namespace cairn::storage::http {

/// The last answer of a request, after any redirects.
struct HttpStore::Exchange {
  net::Response response;
  std::string final_url;  // the URL that gave `response`
  bool redirected = false;
  bool sent_credentials = false;
  // The file's length when a Stat request learned it (Content-Length of a HEAD,
  // the total of a Content-Range, or the bytes counted by a full GET).
  std::optional<std::int64_t> size_bytes;
};

namespace {

// Counts a body without keeping it, for servers that tell a file's size only by
// sending it.
class CountingSink final : public net::BodySink {
 public:
  Status Write(std::string_view bytes) override {
    count_ += static_cast<std::int64_t>(bytes.size());
    return Status::Ok();
  }
  Status Restart(std::int64_t offset) override {
    count_ = offset;
    return Status::Ok();
  }
  std::int64_t Count() const { return count_; }

 private:
  std::int64_t count_ = 0;
};

bool IsSuccess(int status) {
  return status >= 200 && status < 300;
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 ||
         status == 308;
}

// Answers to HEAD after which a GET may still work: HEAD not allowed or not
// implemented, and signed URLs whose signature covers the method (S3 answers 403,
// some servers 400).
bool HeadRefused(int status) {
  return status == 400 || status == 403 || status == 405 || status == 501;
}

Status CheckRef(std::string_view action, const ObjectRef& ref) {
  const std::string what = std::string(action) + " " + Shown(ref.uri);
  if (ref.uri.scheme != "http" && ref.uri.scheme != "https") {
    return InvalidArgumentError(what +
                                ": the http backend reads http:// and https:// "
                                "URLs only");
  }
  if (ref.uri.EndsWithSlash()) {
    return NotFoundError(what +
                         ": the URL ends in '/' (a folder); a web server has no "
                         "listing, so reference each file by its own URL");
  }
  if (!ref.version_id.empty() && ref.uri.QueryValue("versionId") != ref.version_id) {
    return InvalidArgumentError(what +
                                ": http(s) URLs have no version pins (asked for "
                                "version " +
                                ref.version_id + "); drop the pin");
  }
  return Status::Ok();
}

// True when `authority` (host or host:port) is one of the comma-separated `hosts`,
// by its full text or by its host alone.
bool HostListed(std::string_view hosts, std::string_view authority) {
  const std::string full = AsciiLower(authority);
  const std::size_t colon = full.rfind(':');
  const bool has_port =
      colon != std::string::npos && full.find(']', colon) == std::string::npos;
  const std::string host = has_port ? full.substr(0, colon) : full;

  std::size_t start = 0;
  while (start <= hosts.size()) {
    const std::size_t end = std::min(hosts.find(',', start), hosts.size());
    std::string entry = AsciiLower(hosts.substr(start, end - start));
    entry.erase(0, entry.find_first_not_of(' '));
    entry.erase(entry.find_last_not_of(' ') + 1);
    if (!entry.empty() && (entry == full || entry == host)) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

// True for hosts whose traffic never leaves this machine.
bool IsLoopbackHost(std::string_view authority) {
  std::string_view host = authority;
  if (host.starts_with('[')) {
    host = host.substr(0, host.find(']') + 1);
  } else if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  return host == "127.0.0.1" || host == "[::1]" || host == "localhost";
}

}  // namespace

HttpStore::HttpStore(std::string scheme, HttpStoreOptions options)
    : scheme_(std::move(scheme)),
      origin_(std::move(options.origin)),
      origin_headers_(std::move(options.origin_headers)),
      max_redirects_(options.max_redirects),
      http_(std::make_unique<net::HttpClient>(options.http)) {}

StoreFeatures HttpStore::Features() const {
  return {.has_versions = false,
          .has_ranges = true,
          .has_content_md5 = false,
          .has_etags = true,
          .has_listing = false};
}

Result<HttpStore::Exchange> HttpStore::Send(std::string_view action, const ObjectRef& ref,
                                            net::Request request, net::BodySink* sink) {
  const std::string what = std::string(action) + " " + Shown(ref.uri);
  const net::Headers headers = request.headers;
  Exchange exchange;
  std::string url = RequestUrl(ref.uri);

  for (int hop = 0;; ++hop) {
    // Credentials go to the configured origin only, never along a redirect away.
    request.url = url;
    request.headers = headers;
    exchange.sent_credentials = !origin_headers_.empty() && Origin(url) == origin_;
    if (exchange.sent_credentials) {
      request.headers.insert(request.headers.end(), origin_headers_.begin(),
                             origin_headers_.end());
    }

    Result<net::Response> response = http_->Perform(request, sink);
    if (!response.ok()) {
      return response.status().WithContext(what);
    }
    exchange.response = std::move(*response);
    exchange.final_url = url;
    if (!IsRedirect(exchange.response.status)) {
      return exchange;
    }
    if (hop >= max_redirects_) {
      return InvalidArgumentError(what + ": more than " + std::to_string(max_redirects_) +
                                  " redirects (the last to " + redact::Url(url) +
                                  "); the server loops, give cairn the final URL");
    }
    Result<std::string> next =
        RedirectTarget(url, exchange.response.Header("Location").value_or(""));
    if (!next.ok()) {
      return next.status().WithContext(what);
    }
    log::Get("storage.http")
        ->debug("following redirect status={} from={} to={}", exchange.response.status,
                redact::Url(url), redact::Url(*next));
    url = std::move(*next);
    exchange.redirected = true;
  }
}

Result<HttpStore::Exchange> HttpStore::StatByRangedGet(const ObjectRef& ref) {
  CountingSink counter;
  net::Request first_byte;
  first_byte.range = net::ByteRange{.offset = 0, .length = 1};
  Result<Exchange> ranged = Send("stating", ref, first_byte, &counter);
  if (ranged.ok() && ranged->response.status == 206) {
    ranged->size_bytes = ContentRangeTotal(ranged->response.Header("Content-Range"));
    return ranged;
  }
  // A 200 got this far only with an empty body (the client refuses the first byte
  // of a whole body sent for a Range): nginx answers so for an empty file.
  if (ranged.ok() && ranged->response.status == 200) {
    ranged->size_bytes = counter.Count();
    return ranged;
  }
  // A 416 means byte 0 does not exist (an empty file), and kDataLoss that the
  // server ignores Range: either way only a whole GET tells the length.
  const bool whole_needed =
      (ranged.ok() && ranged->response.status == 416) ||
      (!ranged.ok() && ranged.status().code() == StatusCode::kDataLoss);
  if (!whole_needed) {
    return ranged;
  }
  CountingSink whole;
  CAIRN_ASSIGN_OR_RETURN(Exchange exchange, Send("stating", ref, net::Request{}, &whole));
  if (IsSuccess(exchange.response.status)) {
    exchange.size_bytes = whole.Count();
  }
  return exchange;
}

Status HttpStore::Failure(std::string_view action, const ObjectRef& ref,
                          const Exchange& exchange) const {
  return HttpFailureToStatus(
      {.action = std::string(action),
       .url = Shown(ref.uri),
       .redirected_to = exchange.redirected ? redact::Url(exchange.final_url) : "",
       .http_status = exchange.response.status,
       .attempts = exchange.response.attempts,
       .sent_credentials = exchange.sent_credentials});
}

Status HttpStore::CheckEtag(std::string_view action, const ObjectRef& ref,
                            const std::string& etag_now) const {
  if (ref.etag.empty() || etag_now == ref.etag) {
    return Status::Ok();
  }
  return FailedPreconditionError(
      std::string(action) + " " + Shown(ref.uri) + ": etag now " +
      (etag_now.empty() ? std::string("none") : etag_now) + ", recorded " + ref.etag +
      ": the file changed since it was recorded; track the URL again to record the "
      "current file");
}

Result<ObjectInfo> HttpStore::Stat(const ObjectRef& ref) {
  CAIRN_RETURN_IF_ERROR(CheckRef("stating", ref));
  net::Request head;
  head.method = "HEAD";
  CAIRN_ASSIGN_OR_RETURN(Exchange exchange, Send("stating", ref, head, nullptr));
  if (IsSuccess(exchange.response.status)) {
    exchange.size_bytes = ParseLength(exchange.response.Header("Content-Length"));
  }

  // HEAD refused, or answered without a length: ask for byte 0 instead.
  const int head_status = exchange.response.status;
  if (HeadRefused(head_status) ||
      (IsSuccess(head_status) && !exchange.size_bytes.has_value())) {
    CAIRN_ASSIGN_OR_RETURN(exchange, StatByRangedGet(ref));
  }
  if (!IsSuccess(exchange.response.status)) {
    return Failure("stating", ref, exchange);
  }
  if (!exchange.size_bytes.has_value()) {
    return InvalidArgumentError("stating " + Shown(ref.uri) +
                                ": the server tells no length for this URL (no "
                                "Content-Length or Content-Range); it does not serve it "
                                "as a file");
  }

  ObjectInfo info;
  info.uri = WithoutFragment(ref.uri);
  info.key = ref.uri.path;
  info.size_bytes = *exchange.size_bytes;
  info.etag = StrongEtag(exchange.response.Header("ETag"));
  info.etag_tracks_content = false;  // see ObjectInfo: mtime-size ETags
  info.last_modified =
      net::HttpDateToRfc3339(exchange.response.Header("Last-Modified").value_or(""));
  CAIRN_RETURN_IF_ERROR(CheckEtag("stating", ref, info.etag));
  return info;
}

Status HttpStore::List(const uri::Uri& prefix, const ListOptions& /*options*/,
                       const std::function<Status(const ObjectInfo&)>& /*visit*/) {
  return InvalidArgumentError("listing " + Shown(prefix) + ": an " + prefix.scheme +
                              " URL names one file and a web server has no listing; "
                              "reference each file by its own URL");
}

Status HttpStore::Read(const ObjectRef& ref, const ReadOptions& options, ByteSink& sink) {
  CAIRN_RETURN_IF_ERROR(CheckRef("reading", ref));
  if (options.offset < 0 || options.length < -1) {
    return InvalidArgumentError("reading " + Shown(ref.uri) + ": bad range (offset " +
                                std::to_string(options.offset) + ", length " +
                                std::to_string(options.length) +
                                "); offset must be >= 0 and length >= 0 or -1");
  }
  if (options.length == 0) {
    return Stat(ref).status();
  }

  net::Request get;
  if (!ref.etag.empty()) {
    get.headers.emplace_back("If-Match", "\"" + ref.etag + "\"");
  }
  if (options.offset > 0 || options.length > 0) {
    get.range = net::ByteRange{.offset = options.offset, .length = options.length};
  }
  StoreBodySink adapter(sink);
  CAIRN_ASSIGN_OR_RETURN(const Exchange exchange, Send("reading", ref, get, &adapter));
  if (exchange.response.status != 200 && exchange.response.status != 206) {
    return Failure("reading", ref, exchange);
  }

  // A server that ignores If-Match sent whatever it has now: compare, and take
  // the bytes back from the sink when they are not the recorded file's.
  Status same = CheckEtag("reading", ref, StrongEtag(exchange.response.Header("ETag")));
  if (!same.ok()) {
    CAIRN_RETURN_IF_ERROR(sink.Restart(0));
  }
  return same;
}

Result<std::shared_ptr<ObjectStore>> OpenHttpStore(const uri::Uri& uri,
                                                   const StoreOptions& /*options*/) {
  if ((uri.scheme != "http" && uri.scheme != "https") || uri.authority.empty()) {
    return InvalidArgumentError("opening " + Shown(uri) +
                                ": the http backend needs an http:// or https:// URL "
                                "with a host, as in https://host/path/file");
  }
  HttpStoreOptions options;
  const std::string token = env::GetOr("CAIRN_HTTP_BEARER_TOKEN", "");
  if (!token.empty()) {
    const std::string hosts = env::GetOr("CAIRN_HTTP_BEARER_HOSTS", "");
    if (hosts.empty()) {
      return InvalidArgumentError(
          "opening " + Shown(uri) +
          ": CAIRN_HTTP_BEARER_TOKEN is set but CAIRN_HTTP_BEARER_HOSTS is not; list "
          "the hosts the token may be sent to (host or host:port, comma-separated)");
    }
    if (HostListed(hosts, uri.authority)) {
      if (uri.scheme != "https" && !IsLoopbackHost(uri.authority)) {
        return InvalidArgumentError(
            "opening " + Shown(uri) + ": CAIRN_HTTP_BEARER_HOSTS lists " + uri.authority +
            ", but this URL is plain http and would carry the token in clear text; use "
            "https:// (plain http takes a token only on 127.0.0.1, [::1] or localhost)");
      }
      options.origin = Origin(uri.scheme + "://" + uri.authority);
      options.origin_headers = {{"Authorization", "Bearer " + token}};
    }
  }
  return std::shared_ptr<ObjectStore>(
      std::make_shared<HttpStore>(uri.scheme, std::move(options)));
}

}  // namespace cairn::storage::http
