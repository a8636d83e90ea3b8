// SPDX-License-Identifier: Apache-2.0
// URL helpers of the http(s) backend: the request URL of a reference (query kept,
// fragment dropped), the origin (scheme, host, port) that decides where
// credentials may go, and the target of a redirect. Pure functions, no network.
#pragma once

#include <string>
#include <string_view>

#include "cairn/base/result.h"
#include "cairn/uri/uri.h"

namespace cairn::storage::http {

/// The URL requested for `uri`: scheme://authority/path?query, with the path and
/// the query's names and values percent-encoded where they must be ('%', '#',
/// '?', spaces, control and non-ASCII bytes; '&', '=' and '+' inside query
/// values). The fragment is never part of a request.
///
/// The URL is rebuilt from the decoded Uri, so two spellings that decode alike
/// are sent alike: a path's "%2F" goes out as '/', and a query parameter without
/// '=' ("?download") goes out as "download=". A server that tells these apart
/// sees another URL than the one the user wrote.
std::string RequestUrl(const uri::Uri& uri);

/// `uri` without its fragment, as the store reports it in ObjectInfo::uri: an
/// http(s) URL's query names part of the resource, so it is kept.
uri::Uri WithoutFragment(uri::Uri uri);

/// The URL as it may appear in a message or log: without fragment, with secret
/// query values (signatures, tokens) replaced by REDACTED (base/redact.h).
std::string Shown(const uri::Uri& uri);

/// "scheme://host:port" of an absolute http(s) URL, lower-cased, with the default
/// port made explicit ("https://example.com" -> "https://example.com:443"), so
/// two URLs share an origin exactly when their scheme, host and port agree.
/// Empty for a URL that is not absolute http(s).
std::string Origin(std::string_view url);

/// The absolute URL a redirect from `from` with header `Location: location`
/// points to: an absolute http(s) URL as given, "//host/p" with the scheme of
/// `from`, "/p" on the origin of `from`, anything else relative to the directory
/// of `from`'s path. A fragment is dropped. kInvalidArgument (naming both URLs,
/// redacted) for an empty Location or another scheme (ftp:, file:).
Result<std::string> RedirectTarget(std::string_view from, std::string_view location);

}  // namespace cairn::storage::http
