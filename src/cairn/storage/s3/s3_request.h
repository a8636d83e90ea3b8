// SPDX-License-Identifier: Apache-2.0
// S3RequestFactory: turns "this method on this bucket, key and query, in this
// region" into a net::Request with the right URL (path-style for a custom
// endpoint, virtual-hosted for AWS) and a signer that signs each attempt afresh,
// or no signer when the credentials are anonymous.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/base/result.h"
#include "cairn/credentials/aws.h"
#include "cairn/net/http_message.h"

namespace cairn::storage::s3 {

/// What one S3 request addresses.
struct S3Target {
  std::string bucket{};
  std::string key{};  // decoded bytes; empty for bucket-level requests
  // Decoded query parameters; {"versioning", ""} is sent as "versioning=".
  std::vector<std::pair<std::string, std::string>> query{};
};

/// Builds requests for one endpoint and one set of credentials. Immutable after
/// Make, so it is safe to share across threads.
class S3RequestFactory {
 public:
  /// kInvalidArgument, naming the value and the fix, when settings.endpoint_url is
  /// set but is not an http:// or https:// URL with a host.
  static Result<S3RequestFactory> Make(const credentials::AwsSettings& settings);

  /// A request for `method` on `target`, signed for `region` (when not anonymous).
  /// `headers` are sent as given; the x-amz-* ones among them are signed. `body`
  /// is sent as the request body and its SHA-256 becomes the payload hash.
  net::Request Build(std::string_view method, const S3Target& target,
                     std::string_view region, net::Headers headers = {},
                     std::string body = {}) const;

  /// The region used before a bucket's own region is known: the configured one,
  /// else us-east-1 (which AWS redirects from with the bucket's region).
  const std::string& DefaultRegion() const { return default_region_; }
  bool IsAnonymous() const { return credentials_.anonymous(); }
  /// "environment", "shared credentials file ... [dev]", "none (anonymous)".
  const std::string& CredentialsSource() const { return credentials_.source; }
  /// True when requests go to endpoint_url (path-style addressing).
  bool HasCustomEndpoint() const { return !endpoint_scheme_.empty(); }

 private:
  S3RequestFactory() = default;

  credentials::AwsCredentials credentials_;
  std::string default_region_;
  // Custom endpoint, split; all empty for AWS itself.
  std::string endpoint_scheme_;  // "http" or "https"
  std::string endpoint_host_;    // host[:port], default port removed
  std::string endpoint_path_;    // a path prefix without trailing '/', usually ""
};

}  // namespace cairn::storage::s3
