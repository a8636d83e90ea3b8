// SPDX-License-Identifier: Apache-2.0
#include "cairn/base/redact.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "cairn/base/ascii.h"

namespace cairn::redact {
namespace {}  // namespace

bool IsSecretParameter(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kSecret = {"x-amz-signature",
                                                               "x-amz-credential",
                                                               "x-amz-security-token",
                                                               "signature",
                                                               "sig",
                                                               "token",
                                                               "access_token",
                                                               "x-goog-signature",
                                                               "x-goog-credential",
                                                               "awsaccesskeyid",
                                                               "key",
                                                               "code"};
  const std::string lower = AsciiLower(name);
  return std::find(kSecret.begin(), kSecret.end(), lower) != kSecret.end();
}

bool IsSecretHeader(std::string_view name) {
  static constexpr std::array<std::string_view, 6> kSecret = {
      "authorization", "x-amz-security-token",           "cookie",
      "set-cookie",    "x-ms-copy-source-authorization", "proxy-authorization"};
  const std::string lower = AsciiLower(name);
  return std::find(kSecret.begin(), kSecret.end(), lower) != kSecret.end();
}

std::string Header(std::string_view name, std::string_view value) {
  std::string out(name);
  out += ": ";
  // A redirect's target can be a signed URL (an S3 or SAS link).
  const std::string lower = AsciiLower(name);
  if (lower == "location" || lower == "content-location") {
    return out + Url(value);
  }
  out += IsSecretHeader(name) ? std::string_view("REDACTED") : value;
  return out;
}

std::string Url(std::string_view url) {
  std::string out;
  out.reserve(url.size());

  // Drop user:password@ from the authority.
  std::string_view rest = url;
  if (auto scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    out += rest.substr(0, scheme_end + 3);
    rest.remove_prefix(scheme_end + 3);
    const auto authority_end = rest.find_first_of("/?#");
    const auto at = rest.substr(0, authority_end).rfind('@');
    if (at != std::string_view::npos) {
      rest.remove_prefix(at + 1);
    }
  }

  const auto query_start = rest.find('?');
  if (query_start == std::string_view::npos) {
    out += rest;
    return out;
  }
  out += rest.substr(0, query_start + 1);
  std::string_view query = rest.substr(query_start + 1);
  std::string_view fragment;
  if (auto hash = query.find('#'); hash != std::string_view::npos) {
    fragment = query.substr(hash);
    query = query.substr(0, hash);
  }

  bool first = true;
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    if (!first) {
      out += '&';
    }
    first = false;
    if (eq != std::string_view::npos && IsSecretParameter(name)) {
      out += name;
      out += "=REDACTED";
    } else {
      out += pair;
    }
  }
  out += fragment;
  return out;
}

}  // namespace cairn::redact
