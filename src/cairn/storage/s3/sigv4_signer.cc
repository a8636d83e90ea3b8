// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/s3/sigv4_signer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <map>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "cairn/base/ascii.h"
#include "cairn/base/result.h"

namespace cairn::storage::s3 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string Hex(const unsigned char* bytes, std::size_t size) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0x0f];
  }
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int out_size = 0;
  const unsigned char* result =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
           &out_size);
  CAIRN_CHECK(result != nullptr);
  return {reinterpret_cast<const char*>(out.data()), out_size};
}

// Trims the value and collapses every run of whitespace (folded lines included)
// into one space, quotes or not, as the canonical-headers rule says.
std::string CanonicalHeaderValue(std::string_view value) {
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

std::string AmzDate(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  std::array<char, 17> text{};
  const std::size_t size =
      std::strftime(text.data(), text.size(), "%Y%m%dT%H%M%SZ", &utc);
  CAIRN_CHECK(size == 16);
  return {text.data(), size};
}

std::string CanonicalQuery(
    const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(AwsUriEncode(name, false), AwsUriEncode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());

  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) {
      out += '&';
    }
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

}  // namespace

std::string AwsUriEncode(std::string_view text, bool keep_slash) {
  static constexpr std::string_view kDigits = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += c;
      continue;
    }
    out += '%';
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0x0f];
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return Hex(digest.data(), digest.size());
}

SignedRequest SignRequest(const RequestToSign& request,
                          const credentials::AwsCredentials& credentials,
                          const SigningScope& scope) {
  CAIRN_CHECK(!credentials.anonymous());
  SignedRequest signed_request;
  const std::string amz_date = AmzDate(scope.time);
  const std::string date = amz_date.substr(0, 8);

  signed_request.headers.emplace_back("X-Amz-Date", amz_date);
  if (scope.add_content_sha256_header) {
    signed_request.headers.emplace_back("X-Amz-Content-Sha256", request.payload_hash);
  }
  if (!credentials.session_token.empty()) {
    signed_request.headers.emplace_back("X-Amz-Security-Token",
                                        credentials.session_token);
  }

  // Lower-case names sorted; repeated names keep their order, joined by ','.
  std::map<std::string, std::string> canonical_headers;
  auto add_header = [&](std::string_view name, std::string_view value) {
    std::string& joined = canonical_headers[AsciiLower(name)];
    if (!joined.empty()) {
      joined += ',';
    }
    joined += CanonicalHeaderValue(value);
  };
  for (const auto& [name, value] : request.headers) {
    add_header(name, value);
  }
  for (const auto& [name, value] : signed_request.headers) {
    add_header(name, value);
  }

  std::string header_block;
  std::string signed_headers;
  for (const auto& [name, value] : canonical_headers) {
    header_block.append(name).append(1, ':').append(value).append(1, '\n');
    signed_headers += (signed_headers.empty() ? "" : ";") + name;
  }
  signed_request.canonical_request = request.method + '\n' +
                                     AwsUriEncode(request.path, true) + '\n' +
                                     CanonicalQuery(request.query) + '\n' + header_block +
                                     '\n' + signed_headers + '\n' + request.payload_hash;

  const std::string credential_scope =
      date + '/' + scope.region + '/' + scope.service + "/aws4_request";
  signed_request.string_to_sign = std::string(kAlgorithm) + '\n' + amz_date + '\n' +
                                  credential_scope + '\n' +
                                  Sha256Hex(signed_request.canonical_request);

  const std::string date_key = HmacSha256("AWS4" + credentials.secret_access_key, date);
  const std::string region_key = HmacSha256(date_key, scope.region);
  const std::string service_key = HmacSha256(region_key, scope.service);
  const std::string signing_key = HmacSha256(service_key, "aws4_request");
  const std::string signature = HmacSha256(signing_key, signed_request.string_to_sign);
  signed_request.signature =
      Hex(reinterpret_cast<const unsigned char*>(signature.data()), signature.size());

  signed_request.headers.emplace_back(
      "Authorization", std::string(kAlgorithm) +
                           " Credential=" + credentials.access_key_id + '/' +
                           credential_scope + ", SignedHeaders=" + signed_headers +
                           ", Signature=" + signed_request.signature);
  return signed_request;
}

}  // namespace cairn::storage::s3
