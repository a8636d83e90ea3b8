// SPDX-License-Identifier: Apache-2.0
// Google credentials: file resolution on temporary files, and the token exchange
// against a scripted token endpoint on 127.0.0.1. The service account's RSA key is
// made by the test, so the JWT's signature is verified with its public half.
#include "cairn/credentials/gcp.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "cairn/hash/encoding.h"
#include "cairn/net/testing/scripted_http_server.h"
#include "cairn/testing/status_matchers.h"
#include "cairn/uri/uri.h"

namespace cairn::credentials {
namespace {

using ::cairn::net::testing::ReceivedRequest;
using ::cairn::net::testing::ScriptedHttpServer;
using ::cairn::net::testing::ScriptedResponse;
using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using Clock = std::chrono::system_clock;

std::string MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "cairn-gcp-").string() +
                        std::string(6, 'X');
  CAIRN_CHECK(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A throwaway 2048-bit RSA key pair, as PEM texts.
struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

KeyPair MakeRsaKey() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  CAIRN_CHECK(key != nullptr);
  KeyPair pair;
  for (const bool is_private : {true, false}) {
    BIO* bio = BIO_new(BIO_s_mem());
    CAIRN_CHECK((is_private ? PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0,
                                                       nullptr, nullptr)
                            : PEM_write_bio_PUBKEY(bio, key)) == 1);
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);  // NOLINT(google-runtime-int)
    (is_private ? pair.private_pem : pair.public_pem).assign(data, length);
    BIO_free(bio);
  }
  EVP_PKEY_free(key);
  return pair;
}

const KeyPair& TestKey() {
  static const KeyPair key = MakeRsaKey();
  return key;
}

bool VerifyRs256(const std::string& public_pem, const std::string& data,
                 const std::string& signature) {
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const bool ok =
      key != nullptr &&
      EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) == 1;
  EVP_MD_CTX_free(context);
  EVP_PKEY_free(key);
  return ok;
}

std::string Base64UrlDecode(std::string text) {
  for (char& c : text) {
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  while (text.size() % 4 != 0) {
    text += '=';
  }
  Result<std::string> bytes = hash::Base64Decode(text);
  EXPECT_OK(bytes);
  return bytes.ok() ? *bytes : "";
}

// "a=1&b=2" -> {a: 1, b: 2}, values percent-decoded.
std::map<std::string, std::string> ParseForm(const std::string& body) {
  std::map<std::string, std::string> fields;
  std::size_t start = 0;
  while (start < body.size()) {
    const std::size_t end = std::min(body.find('&', start), body.size());
    const std::string pair = body.substr(start, end - start);
    const std::size_t equals = pair.find('=');
    Result<std::string> value = uri::PercentDecode(pair.substr(equals + 1));
    fields[pair.substr(0, equals)] = value.ok() ? *value : "";
    start = end + 1;
  }
  return fields;
}

ScriptedResponse JsonAnswer(int status, const Json& body) {
  ScriptedResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"}};
  response.body = body.dump();
  return response;
}

ScriptedResponse TokenAnswer(const std::string& token, int expires_in_s) {
  return JsonAnswer(
      200,
      {{"access_token", token}, {"expires_in", expires_in_s}, {"token_type", "Bearer"}});
}

GcpCredentials ServiceAccount(const std::string& token_uri) {
  const Json file = {{"type", "service_account"},
                     {"project_id", "cairn-test"},
                     {"private_key_id", "key-id-1"},
                     {"private_key", TestKey().private_pem},
                     {"client_email", "reader@cairn-test.iam.gserviceaccount.com"},
                     {"token_uri", token_uri}};
  Result<GcpCredentials> credentials = ParseGcpCredentialsJson(file.dump(), "test key");
  CAIRN_CHECK(credentials.ok());
  return *credentials;
}

GcpCredentials AuthorizedUser(const std::string& token_uri) {
  const Json file = {{"type", "authorized_user"},
                     {"client_id", "client-1.apps.example"},
                     {"client_secret", "testing-secret"},
                     {"refresh_token", "testing-refresh"},
                     {"token_uri", token_uri}};
  Result<GcpCredentials> credentials = ParseGcpCredentialsJson(file.dump(), "test user");
  CAIRN_CHECK(credentials.ok());
  return *credentials;
}

// A clock the test moves by hand.
struct FakeClock {
  Clock::time_point now = Clock::time_point(std::chrono::seconds(1'800'000'000));
  std::function<Clock::time_point()> Function() {
    return [this] { return now; };
  }
};

TEST(GcpTokenSourceTest, ServiceAccountSendsAnRs256JwtSignedWithItsKey) {
  ScriptedHttpServer server(
      [](const ReceivedRequest&, int) { return TokenAnswer("tok-1", 3600); });
  const std::string token_uri = server.Url("/token");
  FakeClock clock;
  GcpTokenSource source(ServiceAccount(token_uri), {.clock = clock.Function()});

  const Result<std::string> token = source.AccessToken();

  ASSERT_OK(token);
  EXPECT_EQ(*token, "tok-1");
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/token");
  EXPECT_EQ(net::FindHeader(requests[0].headers, "Content-Type"),
            "application/x-www-form-urlencoded");
  std::map<std::string, std::string> form = ParseForm(requests[0].body);
  EXPECT_EQ(form["grant_type"], "urn:ietf:params:oauth:grant-type:jwt-bearer");

  const std::string& jwt = form["assertion"];
  const std::size_t first_dot = jwt.find('.');
  const std::size_t last_dot = jwt.rfind('.');
  ASSERT_NE(first_dot, last_dot);
  const Json header = Json::parse(Base64UrlDecode(jwt.substr(0, first_dot)));
  const Json claims =
      Json::parse(Base64UrlDecode(jwt.substr(first_dot + 1, last_dot - first_dot - 1)));
  EXPECT_EQ(header, (Json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "key-id-1"}}));
  EXPECT_EQ(claims,
            (Json{{"iss", "reader@cairn-test.iam.gserviceaccount.com"},
                  {"scope", "https://www.googleapis.com/auth/devstorage.read_only"},
                  {"aud", token_uri},
                  {"iat", 1'800'000'000},
                  {"exp", 1'800'003'600}}));
  EXPECT_TRUE(VerifyRs256(TestKey().public_pem, jwt.substr(0, last_dot),
                          Base64UrlDecode(jwt.substr(last_dot + 1))));
  EXPECT_FALSE(VerifyRs256(TestKey().public_pem, jwt.substr(0, last_dot) + "x",
                           Base64UrlDecode(jwt.substr(last_dot + 1))));
}

TEST(GcpTokenSourceTest, AuthorizedUserExchangesItsRefreshToken) {
  ScriptedHttpServer server(
      [](const ReceivedRequest&, int) { return TokenAnswer("user-tok", 3600); });
  GcpTokenSource source(AuthorizedUser(server.Url("/oauth/token")));

  const Result<std::string> token = source.AccessToken();

  ASSERT_OK(token);
  EXPECT_EQ(*token, "user-tok");
  const std::vector<ReceivedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].target, "/oauth/token");
  EXPECT_EQ(ParseForm(requests[0].body),
            (std::map<std::string, std::string>{{"grant_type", "refresh_token"},
                                                {"client_id", "client-1.apps.example"},
                                                {"client_secret", "testing-secret"},
                                                {"refresh_token", "testing-refresh"}}));
}

TEST(GcpTokenSourceTest, TokenIsCachedUntilSixtySecondsBeforeExpiry) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    return TokenAnswer("tok-" + std::to_string(index + 1), 3600);
  });
  FakeClock clock;
  GcpTokenSource source(AuthorizedUser(server.Url("/token")),
                        {.clock = clock.Function()});

  const Result<std::string> first = source.AccessToken();
  clock.now += std::chrono::seconds(3539);
  const Result<std::string> still_cached = source.AccessToken();
  clock.now += std::chrono::seconds(1);
  const Result<std::string> refreshed = source.AccessToken();
  const Result<std::string> cached_again = source.AccessToken();

  ASSERT_OK(first);
  EXPECT_EQ(*first, "tok-1");
  ASSERT_OK(still_cached);
  EXPECT_EQ(*still_cached, "tok-1");
  ASSERT_OK(refreshed);
  EXPECT_EQ(*refreshed, "tok-2");
  ASSERT_OK(cached_again);
  EXPECT_EQ(*cached_again, "tok-2");
  EXPECT_EQ(server.Requests().size(), 2U);
}

TEST(GcpTokenSourceTest, InvalidateDropsOnlyTheRejectedToken) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    return TokenAnswer("tok-" + std::to_string(index + 1), 3600);
  });
  GcpTokenSource source(AuthorizedUser(server.Url("/token")));
  ASSERT_OK(source.AccessToken());

  source.Invalidate("some-older-token");
  const Result<std::string> same = source.AccessToken();
  source.Invalidate("tok-1");
  const Result<std::string> fresh = source.AccessToken();

  ASSERT_OK(same);
  EXPECT_EQ(*same, "tok-1");
  ASSERT_OK(fresh);
  EXPECT_EQ(*fresh, "tok-2");
}

TEST(GcpTokenSourceTest, RefusalIsUnauthenticatedWithoutSecrets) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) {
    return JsonAnswer(400,
                      {{"error", "invalid_grant"}, {"error_description", "Bad Request"}});
  });
  GcpTokenSource source(AuthorizedUser(server.Url("/token")));

  const Result<std::string> token = source.AccessToken();

  EXPECT_THAT(token,
              StatusIs(StatusCode::kUnauthenticated,
                       AllOf(HasSubstr("test user"), HasSubstr("400 invalid_grant"),
                             Not(HasSubstr("testing-refresh")),
                             Not(HasSubstr("testing-secret")))));
}

TEST(GcpTokenSourceTest, AnonymousCredentialsNeedNoToken) {
  GcpCredentials anonymous;
  GcpTokenSource source(anonymous);

  const Result<std::string> token = source.AccessToken();

  ASSERT_OK(token);
  EXPECT_EQ(*token, "");
}

TEST(MakeServiceAccountJwtTest, BadPrivateKeyIsInvalidArgumentWithoutTheKey) {
  GcpCredentials credentials = ServiceAccount("http://127.0.0.1:1/token");
  credentials.private_key_pem = "-----BEGIN PRIVATE KEY-----\nnot-a-key\n";

  EXPECT_THAT(MakeServiceAccountJwt(credentials, kGcsReadOnlyScope, Clock::now()),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("test key: the private_key is not a PEM RSA"),
                             Not(HasSubstr("not-a-key")))));
}

TEST(ParseGcpCredentialsJsonTest, MissingFieldIsNamedButNoValueIsQuoted) {
  const std::string text =
      R"({"type":"authorized_user","client_id":"c","client_secret":"testing-secret"})";

  EXPECT_THAT(ParseGcpCredentialsJson(text, "f.json"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("f.json: the authorized_user credentials lack "
                                       "\"refresh_token\""),
                             Not(HasSubstr("testing-secret")))));
  EXPECT_THAT(ParseGcpCredentialsJson(R"({"type":"external_account"})", "f.json"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("type \"external_account\" are not supported")));
  EXPECT_THAT(ParseGcpCredentialsJson("not json", "f.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a JSON object")));
}

TEST(ParseGcpCredentialsJsonTest, AuthorizedUserDefaultsToGooglesTokenUri) {
  const std::string text =
      R"({"type":"authorized_user","client_id":"c","client_secret":"s",)"
      R"("refresh_token":"r"})";

  const Result<GcpCredentials> credentials = ParseGcpCredentialsJson(text, "f.json");

  ASSERT_OK(credentials);
  EXPECT_EQ(credentials->kind, GcpCredentials::Kind::kAuthorizedUser);
  EXPECT_EQ(credentials->token_uri, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(credentials->source, "f.json");
}

// A temporary HOME, and a map standing in for the environment.
class ResolveGcpCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = MakeTempDir();
    vars_["HOME"] = home_;
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  Result<GcpCredentials> Resolve() {
    return ResolveGcpCredentials(
        [this](std::string_view name) -> std::optional<std::string> {
          const auto it = vars_.find(std::string(name));
          if (it == vars_.end()) {
            return std::nullopt;
          }
          return it->second;
        });
  }

  std::string AdcPath() const {
    return home_ + "/.config/gcloud/application_default_credentials.json";
  }

  std::string home_;
  std::map<std::string, std::string> vars_;
};

constexpr const char* kUserJson =
    R"({"type":"authorized_user","client_id":"c","client_secret":"s",)"
    R"("refresh_token":"r"})";

TEST_F(ResolveGcpCredentialsTest, NothingConfiguredMeansAnonymous) {
  const Result<GcpCredentials> credentials = Resolve();

  ASSERT_OK(credentials);
  EXPECT_TRUE(credentials->anonymous());
  EXPECT_EQ(credentials->source, "none (anonymous)");
}

TEST_F(ResolveGcpCredentialsTest, GoogleApplicationCredentialsWinsOverGcloudFile) {
  WriteFile(AdcPath(), kUserJson);
  const std::string key_path = home_ + "/key.json";
  WriteFile(key_path, Json{{"type", "service_account"},
                           {"client_email", "a@b"},
                           {"private_key", "pem"},
                           {"token_uri", "http://127.0.0.1:1/token"}}
                          .dump());
  vars_["GOOGLE_APPLICATION_CREDENTIALS"] = key_path;

  const Result<GcpCredentials> credentials = Resolve();

  ASSERT_OK(credentials);
  EXPECT_EQ(credentials->kind, GcpCredentials::Kind::kServiceAccount);
  EXPECT_EQ(credentials->source, "GOOGLE_APPLICATION_CREDENTIALS " + key_path);
  EXPECT_EQ(credentials->client_email, "a@b");
}

TEST_F(ResolveGcpCredentialsTest, GcloudFileIsUsedWhenNothingIsSet) {
  WriteFile(AdcPath(), kUserJson);

  const Result<GcpCredentials> credentials = Resolve();

  ASSERT_OK(credentials);
  EXPECT_EQ(credentials->kind, GcpCredentials::Kind::kAuthorizedUser);
  EXPECT_EQ(credentials->source, "gcloud application default credentials " + AdcPath());
}

TEST_F(ResolveGcpCredentialsTest, CloudsdkConfigMovesTheGcloudFolder) {
  vars_["CLOUDSDK_CONFIG"] = home_ + "/elsewhere";
  WriteFile(home_ + "/elsewhere/application_default_credentials.json", kUserJson);

  const Result<GcpCredentials> credentials = Resolve();

  ASSERT_OK(credentials);
  EXPECT_EQ(credentials->kind, GcpCredentials::Kind::kAuthorizedUser);
}

TEST_F(ResolveGcpCredentialsTest, EmulatorNeverGetsTheGcloudLogin) {
  WriteFile(AdcPath(), kUserJson);
  vars_["STORAGE_EMULATOR_HOST"] = "127.0.0.1:4443";

  const Result<GcpCredentials> credentials = Resolve();

  ASSERT_OK(credentials);
  EXPECT_TRUE(credentials->anonymous());
}

TEST_F(ResolveGcpCredentialsTest, MissingExplicitFileIsNotFound) {
  vars_["GOOGLE_APPLICATION_CREDENTIALS"] = home_ + "/absent.json";

  EXPECT_THAT(Resolve(), StatusIs(StatusCode::kNotFound,
                                  HasSubstr("GOOGLE_APPLICATION_CREDENTIALS " + home_ +
                                            "/absent.json: no such file")));
}

}  // namespace
}  // namespace cairn::credentials
