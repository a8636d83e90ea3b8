// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/s3/s3_request.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "cairn/base/redact.h"
#include "cairn/net/http_message.h"
#include "cairn/storage/s3/sigv4_signer.h"

namespace cairn::storage::s3 {
namespace {

constexpr std::string_view kFallbackRegion = "us-east-1";

// Virtual-hosted addressing needs a bucket name that is a valid DNS label and has
// no dots (a dotted name breaks the TLS wildcard certificate).
bool IsVirtualHostable(std::string_view bucket) {
  return bucket.size() >= 3 && bucket.size() <= 63 &&
         std::all_of(bucket.begin(), bucket.end(),
                     [](char c) {
                       return (std::islower(static_cast<unsigned char>(c)) != 0) ||
                              (std::isdigit(static_cast<unsigned char>(c)) != 0) ||
                              c == '-';
                     }) &&
         bucket.front() != '-' && bucket.back() != '-';
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

std::string QueryString(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(AwsUriEncode(name, false), AwsUriEncode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    out += out.empty() ? "?" : "&";
    out.append(name).append("=").append(value);
  }
  return out;
}

}  // namespace

Result<S3RequestFactory> S3RequestFactory::Make(
    const credentials::AwsSettings& settings) {
  S3RequestFactory factory;
  factory.credentials_ = settings.credentials;
  factory.default_region_ =
      settings.region.empty() ? std::string(kFallbackRegion) : settings.region;
  if (settings.endpoint_url.empty()) {
    return factory;
  }

  std::string_view rest = settings.endpoint_url;
  const auto scheme_end = rest.find("://");
  const std::string scheme =
      scheme_end == std::string_view::npos ? "" : std::string(rest.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return InvalidArgumentError("S3 endpoint '" + redact::Url(settings.endpoint_url) +
                                "' is not an http:// or https:// URL; set "
                                "AWS_ENDPOINT_URL (or --s3-endpoint) to e.g. "
                                "http://127.0.0.1:9000");
  }
  rest.remove_prefix(scheme_end + 3);
  const auto path_start = rest.find_first_of("/?#");
  std::string host(rest.substr(0, path_start));
  if (host.empty() || host.find('@') != std::string::npos) {
    return InvalidArgumentError("S3 endpoint '" + redact::Url(settings.endpoint_url) +
                                "' needs a host and no user:password@; set it to "
                                "e.g. http://127.0.0.1:9000");
  }
  // libcurl leaves a default port out of the Host header; so must the signature.
  const std::string default_port = scheme == "http" ? ":80" : ":443";
  if (host.ends_with(default_port)) {
    host.resize(host.size() - default_port.size());
  }
  std::string path =
      path_start == std::string_view::npos ? "" : std::string(rest.substr(path_start));
  path = path.substr(0, path.find_first_of("?#"));
  while (!path.empty() && path.back() == '/') {
    path.pop_back();
  }

  factory.endpoint_scheme_ = scheme;
  factory.endpoint_host_ = std::move(host);
  factory.endpoint_path_ = std::move(path);
  return factory;
}

net::Request S3RequestFactory::Build(std::string_view method, const S3Target& target,
                                     std::string_view region, net::Headers headers,
                                     std::string body) const {
  std::string scheme = "https";
  std::string host;
  std::string path;  // decoded, as signed
  if (HasCustomEndpoint()) {
    scheme = endpoint_scheme_;
    host = endpoint_host_;
    path = endpoint_path_ + "/" + target.bucket;
    if (!target.key.empty()) {
      path += "/" + target.key;
    }
  } else if (IsVirtualHostable(target.bucket)) {
    host = target.bucket + ".s3." + std::string(region) + ".amazonaws.com";
    path = "/" + target.key;
  } else {
    host = "s3." + std::string(region) + ".amazonaws.com";
    path = "/" + target.bucket + (target.key.empty() ? "" : "/" + target.key);
  }

  net::Request request;
  request.method = std::string(method);
  request.url =
      scheme + "://" + host + AwsUriEncode(path, true) + QueryString(target.query);
  request.headers = std::move(headers);
  request.headers.emplace_back("Host", host);
  request.body = std::move(body);
  if (IsAnonymous()) {
    return request;
  }

  RequestToSign to_sign;
  to_sign.method = request.method;
  to_sign.path = std::move(path);
  to_sign.query = target.query;
  to_sign.payload_hash =
      request.body.empty() ? std::string(kEmptyPayloadHash) : Sha256Hex(request.body);
  request.signer = [to_sign = std::move(to_sign), credentials = credentials_,
                    region = std::string(region)](
                       const net::Request& attempt) -> Result<net::Headers> {
    RequestToSign signing = to_sign;
    for (const auto& [name, value] : attempt.headers) {
      if (StartsWithIgnoreCase(name, "x-amz-") ||
          (name.size() == 4 && StartsWithIgnoreCase(name, "host"))) {
        signing.headers.emplace_back(name, value);
      }
    }
    const SigningScope scope = {.region = region,
                                .service = "s3",
                                .time = std::chrono::system_clock::now(),
                                .add_content_sha256_header = true};
    return SignRequest(signing, credentials, scope).headers;
  };
  return request;
}

}  // namespace cairn::storage::s3
