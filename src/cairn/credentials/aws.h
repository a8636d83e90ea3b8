// SPDX-License-Identifier: Apache-2.0
// AWS settings resolved the way the AWS tools resolve them: credentials, region
// and endpoint from the environment, the shared credentials file and the config
// file, for one profile. Pure functions of an environment lookup, so tests run
// with temporary files and no real environment.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cairn/base/result.h"

namespace cairn::credentials {

/// Looks up one environment variable; nullopt when unset. Production code passes
/// cairn::env::Get; tests pass a map.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
  // Where they came from, for messages: "environment", "shared credentials file
  // /root/.aws/credentials [dev]", "config file ... [dev]", or "none (anonymous)".
  std::string source;

  // NOLINTNEXTLINE(readability-identifier-naming): a property, like ok().
  bool anonymous() const { return access_key_id.empty(); }
};

struct AwsSettings {
  AwsCredentials credentials;
  std::string profile;       // AWS_PROFILE, else "default"
  std::string region;        // empty when nothing configures one
  std::string endpoint_url;  // empty for AWS itself; set for MinIO, moto, ...
};

/// Resolves settings:
/// - credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN),
///   then the profile in the shared credentials file (AWS_SHARED_CREDENTIALS_FILE,
///   default ~/.aws/credentials), then the profile in the config file
///   (AWS_CONFIG_FILE, default ~/.aws/config, section "[profile NAME]" or
///   "[default]"); none of them means anonymous access.
/// - region: AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`.
/// - endpoint: AWS_S3_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, then the
///   S3-only settings (`endpoint_url` in the profile's `s3 =` sub-section, then in
///   the `[services NAME]` section that `services = NAME` points at), and last the
///   profile's global `endpoint_url`, the order the AWS CLI uses.
/// A key in the profile's section of the credentials file wins over the same key in
/// the config file, as in the AWS CLI. Variables set to "" count as unset. HOME
/// comes from `env`, then from cairn::env::HomeDir().
/// kUnauthenticated (the credentials cannot be used) naming the variable or file
/// and line when a key id comes without its secret, or when AWS_PROFILE names a
/// profile that no file has (the message lists the files searched).
/// kInvalidArgument naming the file and line when a file is not valid INI.
/// kPermissionDenied when a file exists but cannot be read. Missing files are not
/// errors. No message ever contains a secret. Reads files; no network.
Result<AwsSettings> ResolveAwsSettings(const EnvLookup& env);

}  // namespace cairn::credentials
