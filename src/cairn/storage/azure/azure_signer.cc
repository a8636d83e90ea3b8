// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/azure/azure_signer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <map>
#include <vector>

#include "cairn/base/ascii.h"
#include "cairn/hash/encoding.h"
#include "cairn/hash/hash.h"
#include "cairn/uri/uri.h"

namespace cairn::storage::azure {
namespace {

// Collapses runs of whitespace into one space and trims the ends, as the
// canonicalized-headers rule asks.
std::string CanonicalValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    out += c;
  }
  return out;
}

std::string Iso8601Seconds(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  std::array<char, 21> text{};
  const std::size_t size =
      std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return {text.data(), size};
}

// The request URL's encoded path (from the first '/' after the authority) and its
// decoded query parameters.
struct UrlParts {
  std::string path;
  std::map<std::string, std::vector<std::string>> query;  // lower-cased names
};

UrlParts SplitUrl(std::string_view url) {
  UrlParts parts;
  const std::size_t scheme_end = url.find("://");
  const std::size_t path_start =
      url.find('/', scheme_end == std::string_view::npos ? 0 : scheme_end + 3);
  const std::size_t query_start = url.find('?');
  if (path_start != std::string_view::npos && path_start < query_start) {
    parts.path = std::string(url.substr(path_start, query_start - path_start));
  }
  if (parts.path.empty()) {
    parts.path = "/";
  }
  if (query_start == std::string_view::npos) {
    return parts;
  }

  std::string_view query = url.substr(query_start + 1);
  while (!query.empty()) {
    const std::size_t end = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, end);
    query.remove_prefix(std::min(end + 1, query.size()));
    const std::size_t equals = pair.find('=');
    const std::string_view name = pair.substr(0, equals);
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    // cairn encodes every query value it sends, so decoding cannot fail; an
    // undecodable value is signed as sent.
    Result<std::string> decoded = uri::PercentDecode(value);
    parts.query[AsciiLower(name)].push_back(decoded.ok() ? *decoded : std::string(value));
  }
  return parts;
}

std::string HeaderValue(const net::Headers& headers, std::string_view name) {
  return net::FindHeader(headers, name).value_or("");
}

}  // namespace

std::string HttpDate(std::chrono::system_clock::time_point time) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  std::array<char, 32> text{};
  const int size =
      std::snprintf(text.data(), text.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                    kDays[static_cast<std::size_t>(utc.tm_wday)].data(), utc.tm_mday,
                    kMonths[static_cast<std::size_t>(utc.tm_mon)].data(),
                    utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return {text.data(), static_cast<std::size_t>(size)};
}

std::string SharedKeyStringToSign(const net::Request& request, std::string_view account) {
  std::string content_length;
  if (!request.body.empty()) {
    content_length = std::to_string(request.body.size());
  }
  std::string text = request.method + "\n";
  for (const char* name : {"Content-Encoding", "Content-Language"}) {
    text += HeaderValue(request.headers, name) + "\n";
  }
  text += content_length + "\n";
  text += HeaderValue(request.headers, "Content-MD5") + "\n";
  // net::HttpClient sends this type with a body that names none.
  const bool has_body =
      !request.body.empty() || request.method == "PUT" || request.method == "POST";
  text += net::FindHeader(request.headers, "Content-Type")
              .value_or(has_body ? "application/octet-stream" : "") +
          "\n";
  for (const char* name : {"Date", "If-Modified-Since", "If-Match", "If-None-Match",
                           "If-Unmodified-Since", "Range"}) {
    text += HeaderValue(request.headers, name) + "\n";
  }

  std::map<std::string, std::string> ms_headers;
  for (const auto& [name, value] : request.headers) {
    std::string lower = AsciiLower(name);
    if (lower.starts_with("x-ms-")) {
      ms_headers.emplace(std::move(lower), CanonicalValue(value));
    }
  }
  for (const auto& [name, value] : ms_headers) {
    text.append(name).append(":").append(value).append("\n");
  }

  const UrlParts parts = SplitUrl(request.url);
  text += "/" + std::string(account) + parts.path;
  for (const auto& [name, values] : parts.query) {
    std::vector<std::string> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    text += "\n" + name + ":";
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      text += (i == 0 ? "" : ",") + sorted[i];
    }
  }
  return text;
}

net::Headers SignSharedKey(const net::Request& request, std::string_view account,
                           std::string_view key_bytes,
                           std::chrono::system_clock::time_point now) {
  net::Headers added = {{"x-ms-date", HttpDate(now)}};
  net::Request signed_request = request;
  signed_request.headers.push_back(added.front());
  const std::string signature = hash::Base64Encode(
      hash::HmacSha256(key_bytes, SharedKeyStringToSign(signed_request, account)));
  added.emplace_back("Authorization",
                     "SharedKey " + std::string(account) + ":" + signature);
  return added;
}

Result<std::string> MakeAccountSas(std::string_view account, std::string_view account_key,
                                   const AccountSasOptions& options) {
  Result<std::string> key = hash::Base64Decode(account_key);
  if (!key.ok()) {
    return InvalidArgumentError("making an account SAS for " + std::string(account) +
                                ": the account key is not base64");
  }
  const std::string expiry = Iso8601Seconds(options.expiry);
  // Account, permissions, services, resource types, start, expiry, IP range,
  // protocols, version, encryption scope, and a final empty line.
  const std::string string_to_sign = std::string(account) + "\n" + options.permissions +
                                     "\n" + options.services + "\n" +
                                     options.resource_types + "\n\n" + expiry + "\n\n" +
                                     options.protocols + "\n" + options.version + "\n\n";
  const std::string signature =
      hash::Base64Encode(hash::HmacSha256(*key, string_to_sign));
  return "sv=" + uri::PercentEncode(options.version) +
         "&ss=" + uri::PercentEncode(options.services) +
         "&srt=" + uri::PercentEncode(options.resource_types) +
         "&sp=" + uri::PercentEncode(options.permissions) +
         "&se=" + uri::PercentEncode(expiry) +
         "&spr=" + uri::PercentEncode(options.protocols) +
         "&sig=" + uri::PercentEncode(signature);
}

}  // namespace cairn::storage::azure
