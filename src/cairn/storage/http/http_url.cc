// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/http/http_url.h"

#include <algorithm>

#include "cairn/base/ascii.h"
#include "cairn/base/redact.h"

namespace cairn::storage::http {
namespace {

// Length of "http://" or "https://" at the start of `url` (any case), else 0.
std::size_t SchemeEnd(std::string_view url) {
  const std::string head = AsciiLower(url.substr(0, 8));
  if (head.starts_with("http://")) {
    return 7;
  }
  if (head.starts_with("https://")) {
    return 8;
  }
  return 0;
}

// The text of `url` up to its path, query or fragment: "http://host:port".
std::string_view OriginText(std::string_view url) {
  const std::size_t start = SchemeEnd(url);
  const std::size_t end = url.find_first_of("/?#", start);
  return url.substr(0, end);
}

std::string DropFragment(std::string_view url) {
  return std::string(url.substr(0, url.find('#')));
}

}  // namespace

std::string RequestUrl(const uri::Uri& uri) {
  // RFC 3986 lets these stand unencoded in a path segment; servers see them as is.
  std::string url = uri.scheme + "://" + uri.authority + "/" +
                    uri::PercentEncode(uri.path, "/!$&'()*+,;=:@");
  for (std::size_t i = 0; i < uri.query.size(); ++i) {
    const auto& [name, value] = uri.query[i];
    url += i == 0 ? '?' : '&';
    url += uri::PercentEncode(name, "/:@!$'()*,;?");
    url += '=';
    url += uri::PercentEncode(value, "/:@!$'()*,;?");
  }
  return url;
}

uri::Uri WithoutFragment(uri::Uri uri) {
  uri.fragment.clear();
  return uri;
}

std::string Shown(const uri::Uri& uri) {
  return redact::Url(WithoutFragment(uri).ToString());
}

std::string Origin(std::string_view url) {
  const std::size_t scheme_end = SchemeEnd(url);
  if (scheme_end == 0) {
    return "";
  }
  const std::string scheme = AsciiLower(url.substr(0, scheme_end - 3));
  std::string authority = AsciiLower(OriginText(url).substr(scheme_end));
  if (authority.empty()) {
    return "";
  }
  // A port follows the last ':' unless that ':' is inside an IPv6 literal.
  const std::size_t colon = authority.rfind(':');
  const std::size_t bracket = authority.rfind(']');
  const bool has_port =
      colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
  if (!has_port) {
    authority += scheme == "https" ? ":443" : ":80";
  } else if (colon + 1 == authority.size()) {
    authority += scheme == "https" ? "443" : "80";
  }
  return scheme + "://" + authority;
}

Result<std::string> RedirectTarget(std::string_view from, std::string_view location) {
  auto refuse = [&](std::string_view why) {
    return InvalidArgumentError("redirect from " + redact::Url(from) + " to \"" +
                                redact::Url(location) + "\" " + std::string(why) +
                                "; give cairn the final http(s) URL instead");
  };
  if (location.empty()) {
    return refuse("has no target");
  }
  if (SchemeEnd(from) == 0) {
    return refuse("starts from a URL that is not http(s)");
  }
  if (SchemeEnd(location) != 0) {
    return DropFragment(location);
  }
  if (location.find("://") != std::string_view::npos ||
      AsciiLower(location.substr(0, 5)) == "file:") {
    return refuse("leaves http(s)");
  }
  if (location.starts_with("//")) {
    return AsciiLower(from.substr(0, SchemeEnd(from) - 2)) + DropFragment(location);
  }
  const std::string_view origin = OriginText(from);
  if (location.starts_with('/')) {
    return std::string(origin) + DropFragment(location);
  }
  // Relative to the directory of `from`'s path (RFC 3986 5.2.3, without dot removal,
  // since paths here are byte-exact).
  std::string_view path = from.substr(origin.size());
  path = path.substr(0, path.find_first_of("?#"));
  const std::size_t slash = path.rfind('/');
  const std::string_view directory =
      slash == std::string_view::npos ? std::string_view("/") : path.substr(0, slash + 1);
  return std::string(origin) + std::string(directory) + DropFragment(location);
}

}  // namespace cairn::storage::http
