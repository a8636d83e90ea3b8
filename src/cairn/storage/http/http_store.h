// SPDX-License-Identifier: Apache-2.0
// HttpStore: the ObjectStore for http:// and https:// references to any plain
// web server (nginx, Apache, a CDN, a signed download link). One URL names one
// file; there is no listing. Stat is a HEAD (or a one-byte ranged GET where HEAD
// is refused), Read is a streamed GET; redirects are followed here, retries and
// resumed reads happen in net::HttpClient, errors are mapped in http_errors.h.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cairn/base/result.h"
#include "cairn/net/http_client.h"
#include "cairn/storage/object_store.h"
#include "cairn/storage/store_factory.h"
#include "cairn/uri/uri.h"

namespace cairn::storage::http {

/// Redirects followed per request before giving up (curl's and browsers' habit
/// is a few dozen; a file link needs one or two).
inline constexpr int kMaxRedirects = 8;

struct HttpStoreOptions {
  net::HttpClientOptions http{};
  // "scheme://host:port" (see Origin in http_url.h) that `origin_headers` may be
  // sent to; empty sends them nowhere.
  std::string origin{};
  // Headers for requests to `origin` only (Authorization from
  // CAIRN_HTTP_BEARER_TOKEN): dropped for every hop of a redirect that leaves it,
  // so a credential never reaches another scheme, host or port.
  net::Headers origin_headers{};
  int max_redirects = kMaxRedirects;
};

/// Reads files behind http(s) URLs.
///
/// - URLs: the query is part of the resource (a signed link, "?download=1"): it
///   is sent and kept in ObjectInfo::uri. The fragment is never sent. Every
///   message shows the URL through base/redact, so signatures and tokens in the
///   query never appear in an error or log line.
/// - Digests: ObjectInfo::etag is the ETag when it is strong, without quotes; a
///   weak ETag (W/"...") or none leaves it empty, and the artifact layer then
///   hashes the content (base64 MD5) so that a change is still detected.
///   last_modified is Last-Modified as RFC 3339. No other checksum is read.
/// - Versions: none. ref.version_id must be empty, or equal the URL's own
///   versionId query parameter (a signed link to an S3 version), which is sent.
/// - Redirects (301, 302, 303, 307, 308) are followed up to max_redirects; the
///   original URL is what ObjectInfo::uri reports. origin_headers go only to
///   hops on `origin`.
///
/// Thread-safe: every method may be called concurrently.
class HttpStore final : public ObjectStore {
 public:
  HttpStore(std::string scheme, HttpStoreOptions options);

  std::string_view Scheme() const override { return scheme_; }
  StoreFeatures Features() const override;

  /// HEAD of the URL. Where the server refuses HEAD (400, 403, 405, 501) or
  /// answers it without Content-Length, a GET of byte 0 reads the size from
  /// Content-Range (and a server that ignores Range is read to the end, counting).
  /// A 501 is retried like every 5xx before that GET, which costs the retry
  /// delays; a HEAD answered 404 is taken as missing, never asked again by GET.
  /// kNotFound for 404 or 410 and for a URL whose path is empty or ends in '/'
  /// (a folder, which has no listing here); kFailedPrecondition when ref.etag is
  /// set and the file's strong ETag differs or is gone; kUnauthenticated /
  /// kPermissionDenied for 401 / 403; kUnavailable for 5xx after retries or a
  /// refused connection (naming host and port). One round trip per redirect hop,
  /// plus one when HEAD is refused.
  Result<ObjectInfo> Stat(const ObjectRef& ref) override;

  /// Always kInvalidArgument naming the URL: a web server has no listing, so each
  /// file is referenced by its own URL. No network.
  Status List(const uri::Uri& prefix, const ListOptions& options,
              const std::function<Status(const ObjectInfo&)>& visit) override;

  /// GET of the file or of [offset, offset+length) (Range), streamed into `sink`;
  /// a dropped transfer resumes from the bytes delivered. With ref.etag, sends
  /// If-Match (412 -> kFailedPrecondition) and, for a server that ignores
  /// If-Match, compares the answer's ETag and drops the bytes (sink.Restart(0))
  /// before returning kFailedPrecondition. Errors as Stat; a read of length 0
  /// only stats the file.
  Status Read(const ObjectRef& ref, const ReadOptions& options, ByteSink& sink) override;

 private:
  struct Exchange;

  /// Sends `request` to the ref's URL and follows redirects; returns the last
  /// answer of any status, or a transport error with `action` and the URL.
  Result<Exchange> Send(std::string_view action, const ObjectRef& ref,
                        net::Request request, net::BodySink* sink);
  /// Stat by a GET of byte 0, for servers that refuse HEAD.
  Result<Exchange> StatByRangedGet(const ObjectRef& ref);
  Status Failure(std::string_view action, const ObjectRef& ref,
                 const Exchange& exchange) const;
  Status CheckEtag(std::string_view action, const ObjectRef& ref,
                   const std::string& etag_now) const;

  const std::string scheme_;
  const std::string origin_;
  const net::Headers origin_headers_;
  const int max_redirects_;
  std::unique_ptr<net::HttpClient> http_;
};

/// Opens an HttpStore for `uri` (http or https). When CAIRN_HTTP_BEARER_TOKEN is
/// set and the URL's host (or host:port) is listed in CAIRN_HTTP_BEARER_HOSTS
/// (comma-separated), requests to that origin carry "Authorization: Bearer
/// <token>". kInvalidArgument for a URI without a host, another scheme, or a
/// token without CAIRN_HTTP_BEARER_HOSTS (the token is never sent to hosts the
/// user did not name). No network.
Result<std::shared_ptr<ObjectStore>> OpenHttpStore(const uri::Uri& uri,
                                                   const StoreOptions& options);

}  // namespace cairn::storage::http
