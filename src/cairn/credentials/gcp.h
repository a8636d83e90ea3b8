// SPDX-License-Identifier: Apache-2.0
// Google Cloud credentials resolved the way Google's client libraries resolve
// "application default credentials", and the OAuth 2.0 access tokens made from
// them: a service account key signs an RS256 JWT that the token endpoint exchanges
// (RFC 7523), an authorized user's refresh token is exchanged with the
// refresh_token grant (RFC 6749 section 6). Instance metadata servers are never
// asked: cairn talks only to the endpoints a credentials file names.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "cairn/base/result.h"
#include "cairn/credentials/aws.h"
#include "cairn/net/http_client.h"

namespace cairn::credentials {

/// Read-only access to Cloud Storage, the one scope cairn asks for.
inline constexpr std::string_view kGcsReadOnlyScope =
    "https://www.googleapis.com/auth/devstorage.read_only";

/// Used when an authorized_user file names no token_uri.
inline constexpr std::string_view kGoogleTokenUri = "https://oauth2.googleapis.com/token";

struct GcpCredentials {
  enum class Kind { kAnonymous, kServiceAccount, kAuthorizedUser };
  Kind kind = Kind::kAnonymous;
  // Where they came from, for messages: "GOOGLE_APPLICATION_CREDENTIALS
  // /p/key.json", "gcloud application default credentials /home/u/.config/gcloud/
  // application_default_credentials.json", or "none (anonymous)". Never a secret.
  std::string source;
  std::string token_uri;  // where access tokens are obtained

  // service_account
  std::string client_email;
  std::string private_key_id;
  std::string private_key_pem;

  // authorized_user
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;

  // NOLINTNEXTLINE(readability-identifier-naming): a property, like ok().
  bool anonymous() const { return kind == Kind::kAnonymous; }
};

/// Parses a credentials JSON file's text. `source` names it in errors and in
/// GcpCredentials::source. kInvalidArgument, naming `source` and the missing
/// field (never a field's value), for text that is not JSON, a "type" other than
/// "service_account" or "authorized_user", or a required field missing
/// (service_account: client_email, private_key, token_uri; authorized_user:
/// client_id, client_secret, refresh_token). No network.
Result<GcpCredentials> ParseGcpCredentialsJson(std::string_view json,
                                               std::string_view source);

/// Resolves credentials:
/// - GOOGLE_APPLICATION_CREDENTIALS names a credentials JSON file;
/// - else, unless STORAGE_EMULATOR_HOST is set, gcloud's application default
///   credentials file ($CLOUDSDK_CONFIG, else $HOME/.config/gcloud, then
///   /application_default_credentials.json) when it exists;
/// - else anonymous (requests carry no Authorization header). An emulator never
///   receives the user's own gcloud login.
/// Variables set to "" count as unset. kNotFound when
/// GOOGLE_APPLICATION_CREDENTIALS names a missing file, kPermissionDenied when a
/// file cannot be read, and ParseGcpCredentialsJson's errors. Reads files; no
/// network.
Result<GcpCredentials> ResolveGcpCredentials(const EnvLookup& env);

/// The signed JWT a service account sends to its token endpoint: header
/// {"alg":"RS256","typ":"JWT","kid":private_key_id}, claims {"iss":client_email,
/// "scope":scope,"aud":token_uri,"iat":now,"exp":now+3600}, each part base64url
/// without padding. kInvalidArgument naming the source when the private key is
/// not a PEM RSA key (the key itself is never quoted). No network.
Result<std::string> MakeServiceAccountJwt(const GcpCredentials& credentials,
                                          std::string_view scope,
                                          std::chrono::system_clock::time_point now);

struct GcpTokenOptions {
  std::string scope = std::string(kGcsReadOnlyScope);
  net::HttpClientOptions http{};
  // The time source; tests move it to reach an expiry.
  std::function<std::chrono::system_clock::time_point()> clock =
      &std::chrono::system_clock::now;
};

/// Hands out access tokens for one set of credentials, fetching a new one when
/// none is cached or the cached one expires within 60 seconds.
///
/// Thread-safe: concurrent callers share one fetch. Tokens are never logged and
/// never appear in a Status.
class GcpTokenSource {
 public:
  explicit GcpTokenSource(GcpCredentials credentials, GcpTokenOptions options = {});
  ~GcpTokenSource();
  GcpTokenSource(const GcpTokenSource&) = delete;
  GcpTokenSource& operator=(const GcpTokenSource&) = delete;

  /// The current token; "" for anonymous credentials (no network). Otherwise
  /// one POST to token_uri when no valid token is cached. kUnauthenticated, naming
  /// the source, the token endpoint's status and its OAuth error code, when the
  /// endpoint refuses; kUnavailable / kDeadlineExceeded when it cannot be
  /// reached (after net's retries); kInternal for an answer without
  /// access_token.
  Result<std::string> AccessToken();

  /// Forgets `token` if it is still the cached one (GCS answered 401 to it), so
  /// the next AccessToken() fetches a fresh token. No network.
  void Invalidate(const std::string& token);

  const GcpCredentials& Credentials() const { return credentials_; }

 private:
  /// Asks the token endpoint for a new token; sets token_ and expiry_.
  Status Fetch();

  const GcpCredentials credentials_;
  const GcpTokenOptions options_;
  std::unique_ptr<net::HttpClient> http_;

  std::mutex mutex_;  // guards token_ and expiry_, held across a fetch
  std::string token_;
  std::chrono::system_clock::time_point expiry_{};
};

}  // namespace cairn::credentials
