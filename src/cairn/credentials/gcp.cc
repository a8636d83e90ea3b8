// SPDX-License-Identifier: Apache-2.0
#include "cairn/credentials/gcp.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "cairn/base/env.h"
#include "cairn/base/log.h"
#include "cairn/hash/encoding.h"
#include "cairn/uri/uri.h"

namespace cairn::credentials {
namespace {

using Json = nlohmann::json;

// Tokens are treated as expired this long before GCS would stop accepting them.
constexpr std::chrono::seconds kExpiryMargin{60};
constexpr std::chrono::seconds kJwtLifetime{3600};

std::string Lookup(const EnvLookup& env, std::string_view name) {
  std::optional<std::string> value = env(name);
  return value ? *value : std::string();
}

std::string StringField(const Json& object, const char* name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

Result<std::string> RequiredField(const Json& object, const char* name,
                                  std::string_view source, std::string_view type) {
  std::string value = StringField(object, name);
  if (value.empty()) {
    return InvalidArgumentError(std::string(source) + ": the " + std::string(type) +
                                " credentials lack \"" + name +
                                "\"; download the file again or point "
                                "GOOGLE_APPLICATION_CREDENTIALS at a complete one");
  }
  return value;
}

std::string Base64Url(std::string_view bytes) {
  std::string text = hash::Base64Encode(bytes);
  while (!text.empty() && text.back() == '=') {
    text.pop_back();
  }
  for (char& c : text) {
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return text;
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

// The RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature of `data`; empty on failure.
std::string SignRs256(const std::string& private_key_pem, std::string_view data) {
  const std::unique_ptr<BIO, BioDeleter> bio(
      BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())));
  if (!bio) {
    return "";
  }
  const std::unique_ptr<EVP_PKEY, KeyDeleter> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
    return "";
  }
  const std::unique_ptr<EVP_MD_CTX, MdContextDeleter> context(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    return "";
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()),
                     &length, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    return "";
  }
  signature.resize(length);
  return signature;
}

Result<std::optional<GcpCredentials>> ReadCredentialsFile(const std::string& path,
                                                          const std::string& source,
                                                          bool must_exist) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (!must_exist) {
      return std::optional<GcpCredentials>();
    }
    return NotFoundError(source +
                         ": no such file; point GOOGLE_APPLICATION_CREDENTIALS "
                         "at a credentials JSON file, or unset it");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return PermissionDeniedError(source +
                                 ": cannot be read; check the file's permissions");
  }
  std::ostringstream text;
  text << in.rdbuf();
  CAIRN_ASSIGN_OR_RETURN(GcpCredentials credentials,
                         ParseGcpCredentialsJson(text.str(), source));
  return std::optional<GcpCredentials>(std::move(credentials));
}

std::string FormField(std::string_view name, std::string_view value) {
  return std::string(name) + "=" + uri::PercentEncode(value);
}

}  // namespace

Result<GcpCredentials> ParseGcpCredentialsJson(std::string_view json,
                                               std::string_view source) {
  const Json parsed = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return InvalidArgumentError(std::string(source) +
                                ": not a JSON object; expected a service account key "
                                "or an authorized_user credentials file");
  }
  GcpCredentials credentials;
  credentials.source = std::string(source);
  const std::string type = StringField(parsed, "type");
  if (type == "service_account") {
    credentials.kind = GcpCredentials::Kind::kServiceAccount;
    CAIRN_ASSIGN_OR_RETURN(credentials.client_email,
                           RequiredField(parsed, "client_email", source, type));
    CAIRN_ASSIGN_OR_RETURN(credentials.private_key_pem,
                           RequiredField(parsed, "private_key", source, type));
    CAIRN_ASSIGN_OR_RETURN(credentials.token_uri,
                           RequiredField(parsed, "token_uri", source, type));
    credentials.private_key_id = StringField(parsed, "private_key_id");
    return credentials;
  }
  if (type == "authorized_user") {
    credentials.kind = GcpCredentials::Kind::kAuthorizedUser;
    CAIRN_ASSIGN_OR_RETURN(credentials.client_id,
                           RequiredField(parsed, "client_id", source, type));
    CAIRN_ASSIGN_OR_RETURN(credentials.client_secret,
                           RequiredField(parsed, "client_secret", source, type));
    CAIRN_ASSIGN_OR_RETURN(credentials.refresh_token,
                           RequiredField(parsed, "refresh_token", source, type));
    credentials.token_uri = StringField(parsed, "token_uri");
    if (credentials.token_uri.empty()) {
      credentials.token_uri = std::string(kGoogleTokenUri);
    }
    return credentials;
  }
  return InvalidArgumentError(std::string(source) + ": credentials of type \"" + type +
                              "\" are not supported; use a service_account key or "
                              "authorized_user credentials (gcloud auth "
                              "application-default login)");
}

Result<GcpCredentials> ResolveGcpCredentials(const EnvLookup& env) {
  const std::string explicit_path = Lookup(env, "GOOGLE_APPLICATION_CREDENTIALS");
  if (!explicit_path.empty()) {
    CAIRN_ASSIGN_OR_RETURN(
        std::optional<GcpCredentials> found,
        ReadCredentialsFile(explicit_path,
                            "GOOGLE_APPLICATION_CREDENTIALS " + explicit_path, true));
    return *std::move(found);
  }

  if (Lookup(env, "STORAGE_EMULATOR_HOST").empty()) {
    std::string config_dir = Lookup(env, "CLOUDSDK_CONFIG");
    if (config_dir.empty()) {
      std::string home = Lookup(env, "HOME");
      config_dir = (home.empty() ? cairn::env::HomeDir() : home) + "/.config/gcloud";
    }
    const std::string path = config_dir + "/application_default_credentials.json";
    CAIRN_ASSIGN_OR_RETURN(
        std::optional<GcpCredentials> found,
        ReadCredentialsFile(path, "gcloud application default credentials " + path,
                            false));
    if (found) {
      return *std::move(found);
    }
  }

  GcpCredentials anonymous;
  anonymous.source = "none (anonymous)";
  return anonymous;
}

Result<std::string> MakeServiceAccountJwt(const GcpCredentials& credentials,
                                          std::string_view scope,
                                          std::chrono::system_clock::time_point now) {
  Json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!credentials.private_key_id.empty()) {
    header["kid"] = credentials.private_key_id;
  }
  const std::int64_t issued =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const Json claims = {{"iss", credentials.client_email},
                       {"scope", scope},
                       {"aud", credentials.token_uri},
                       {"iat", issued},
                       {"exp", issued + kJwtLifetime.count()}};

  const std::string signing_input =
      Base64Url(header.dump()) + "." + Base64Url(claims.dump());
  const std::string signature = SignRs256(credentials.private_key_pem, signing_input);
  if (signature.empty()) {
    return InvalidArgumentError(credentials.source +
                                ": the private_key is not a PEM RSA private key that "
                                "OpenSSL can read; download the key file again");
  }
  return signing_input + "." + Base64Url(signature);
}

GcpTokenSource::GcpTokenSource(GcpCredentials credentials, GcpTokenOptions options)
    : credentials_(std::move(credentials)),
      options_(std::move(options)),
      http_(std::make_unique<net::HttpClient>(options_.http)) {}

GcpTokenSource::~GcpTokenSource() = default;

Result<std::string> GcpTokenSource::AccessToken() {
  if (credentials_.anonymous()) {
    return std::string();
  }
  const std::lock_guard lock(mutex_);
  if (token_.empty() || options_.clock() + kExpiryMargin >= expiry_) {
    CAIRN_RETURN_IF_ERROR(Fetch());
  }
  return token_;
}

void GcpTokenSource::Invalidate(const std::string& token) {
  const std::lock_guard lock(mutex_);
  if (token_ == token) {
    token_.clear();
  }
}

Status GcpTokenSource::Fetch() {
  const std::string what = "getting a Google access token for " + credentials_.source +
                           " from " + credentials_.token_uri;
  net::Request request;
  request.method = "POST";
  request.url = credentials_.token_uri;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  if (credentials_.kind == GcpCredentials::Kind::kServiceAccount) {
    CAIRN_ASSIGN_OR_RETURN(
        const std::string jwt,
        MakeServiceAccountJwt(credentials_, options_.scope, options_.clock()));
    request.body =
        FormField("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer") + "&" +
        FormField("assertion", jwt);
  } else {
    request.body = FormField("grant_type", "refresh_token") + "&" +
                   FormField("client_id", credentials_.client_id) + "&" +
                   FormField("client_secret", credentials_.client_secret) + "&" +
                   FormField("refresh_token", credentials_.refresh_token);
  }

  const auto sent_at = options_.clock();
  Result<net::Response> response = http_->Perform(request);
  if (!response.ok()) {
    return response.status().WithContext(what);
  }
  const Json body = Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  const bool is_object = !body.is_discarded() && body.is_object();
  if (response->status != 200) {
    // OAuth error answers carry a code ("invalid_grant") and a description, never
    // a secret; both help the user.
    const std::string code = is_object ? StringField(body, "error") : "";
    const std::string description =
        is_object ? StringField(body, "error_description") : "";
    const std::string detail = "the token endpoint answered " +
                               std::to_string(response->status) +
                               (code.empty() ? "" : " " + code) +
                               (description.empty() ? "" : " (\"" + description + "\")");
    if (response->status >= 500 || response->status == 429) {
      return UnavailableError(what + ": " + detail + "; retry later");
    }
    return UnauthenticatedError(what + ": " + detail +
                                "; the credentials are revoked, expired or wrong: "
                                "create a new key or run `gcloud auth "
                                "application-default login`");
  }

  const std::string token = is_object ? StringField(body, "access_token") : "";
  if (token.empty()) {
    return InternalError(what + ": the answer carries no access_token");
  }
  std::int64_t expires_in_s = 3600;
  if (const auto found = body.find("expires_in");
      found != body.end() && found->is_number_integer()) {
    expires_in_s = found->get<std::int64_t>();
  }
  token_ = token;
  expiry_ = sent_at + std::chrono::seconds(expires_in_s);
  log::Get("credentials")
      ->debug("got a Google access token source={} expires_in_s={}", credentials_.source,
              expires_in_s);
  return Status::Ok();
}

}  // namespace cairn::credentials
