// SPDX-License-Identifier: Apache-2.0
// AWS Signature Version 4 with the Authorization header, as S3 expects it: the path
// is encoded once and never normalised, the payload hash travels in
// x-amz-content-sha256, and a session token is signed. cairn signs requests itself
// and hands libcurl finished headers (curl's own SigV4 mishandles S3 queries).
// Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/credentials/aws.h"

namespace cairn::storage::s3 {

/// The parts of an HTTP request that the signature covers.
struct RequestToSign {
  std::string method;  // "GET", "HEAD", "PUT", ...
  // The decoded path, starting with '/' ("/bucket/my key"); the signer encodes each
  // byte except unreserved characters and '/' exactly once.
  std::string path = "/";
  // Decoded query parameters; "?versioning" is {"versioning", ""}.
  std::vector<std::pair<std::string, std::string>> query;
  // Every header sent that should be signed, Host included. Names in any case;
  // repeated names are joined with ',' in the order given.
  std::vector<std::pair<std::string, std::string>> headers;
  // Lower-case hex SHA-256 of the body, or a literal such as "UNSIGNED-PAYLOAD".
  std::string payload_hash;
};

/// Where and when the request is signed.
struct SigningScope {
  std::string region;
  std::string service = "s3";
  std::chrono::system_clock::time_point time;
  // Adds and signs x-amz-content-sha256 (S3 requires it; most services do not).
  bool add_content_sha256_header = true;
};

/// The signature and the headers that carry it.
struct SignedRequest {
  // Headers the caller adds to the request, in this order: X-Amz-Date, then
  // X-Amz-Content-Sha256 (when asked), X-Amz-Security-Token (when the credentials
  // carry a session token) and Authorization. All but Authorization are signed.
  std::vector<std::pair<std::string, std::string>> headers;
  // The intermediate texts, for tests and trace logs. The canonical request and
  // string to sign hold no secret; the signature alone does not reveal the key.
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
};

/// Signs `request` with `credentials` (which must not be anonymous: the caller sends
/// anonymous requests unsigned). Pure and thread-safe; no clock is read, the time
/// comes from `scope`, so every retry must sign again with a fresh time.
SignedRequest SignRequest(const RequestToSign& request,
                          const credentials::AwsCredentials& credentials,
                          const SigningScope& scope);

/// Lower-case hex SHA-256 of `data`; the payload hash of a body.
std::string Sha256Hex(std::string_view data);

/// The payload hash of an empty body (GET, HEAD).
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Percent-encodes every byte except A-Z a-z 0-9 - _ . ~ (and '/' when
/// `keep_slash`), with upper-case hex, as SigV4 and S3 URLs want it.
std::string AwsUriEncode(std::string_view text, bool keep_slash);

}  // namespace cairn::storage::s3
