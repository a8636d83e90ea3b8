// SPDX-License-Identifier: Apache-2.0
#include "cairn/credentials/azure.h"

#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::credentials {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using Kind = AzureCredentials::Kind;

// A made-up key (base64 of "not a real key, only for tests").
constexpr std::string_view kKey = "bm90IGEgcmVhbCBrZXksIG9ubHkgZm9yIHRlc3Rz";
constexpr std::string_view kSas = "sv=2021-08-06&sp=rl&sig=U0VDUkVUU0lH";

EnvLookup Env(std::map<std::string, std::string> values) {
  return
      [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
        auto it = values.find(std::string(name));
        if (it == values.end()) {
          return std::nullopt;
        }
        return it->second;
      };
}

TEST(AzureConnectionStringTest, AccountAndKeyMakeSharedKeyOnThePublicEndpoint) {
  const Result<AzureSettings> settings = ParseAzureConnectionString(
      "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + std::string(kKey) +
          ";EndpointSuffix=core.windows.net",
      "AZURE_STORAGE_CONNECTION_STRING");

  ASSERT_OK(settings);
  EXPECT_EQ(settings->credentials.kind, Kind::kSharedKey);
  EXPECT_EQ(settings->credentials.account, "acct");
  EXPECT_EQ(settings->credentials.account_key, kKey);
  EXPECT_EQ(settings->credentials.source, "AZURE_STORAGE_CONNECTION_STRING");
  EXPECT_EQ(settings->blob_endpoint, "https://acct.blob.core.windows.net");
}

TEST(AzureConnectionStringTest, EndpointComesFromBlobEndpointProtocolAndSuffix) {
  struct Case {
    std::string text;
    std::string endpoint;
  };
  const Case cases[] = {
      {"AccountName=acct;EndpointSuffix=core.chinacloudapi.cn",
       "https://acct.blob.core.chinacloudapi.cn"},
      {"accountname=acct;defaultendpointsprotocol=HTTP",
       "http://acct.blob.core.windows.net"},
      {"AccountName=devstoreaccount1;BlobEndpoint=http://127.0.0.1:10000/"
       "devstoreaccount1/",
       "http://127.0.0.1:10000/devstoreaccount1"},
      {" BlobEndpoint = http://127.0.0.1:9/x ; ; QueueEndpoint=http://127.0.0.1:8/x",
       "http://127.0.0.1:9/x"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<AzureSettings> settings = ParseAzureConnectionString(c.text, "cs");
    ASSERT_OK(settings);
    EXPECT_EQ(settings->blob_endpoint, c.endpoint);
    EXPECT_EQ(settings->credentials.kind, Kind::kAnonymous);
  }
}

TEST(AzureConnectionStringTest, SharedAccessSignatureMakesSasCredentials) {
  const Result<AzureSettings> settings = ParseAzureConnectionString(
      "BlobEndpoint=https://acct.blob.core.windows.net;SharedAccessSignature=?" +
          std::string(kSas),
      "cs");

  ASSERT_OK(settings);
  EXPECT_EQ(settings->credentials.kind, Kind::kSas);
  EXPECT_EQ(settings->credentials.sas_token, kSas);
  EXPECT_EQ(settings->credentials.account, "");
}

TEST(AzureConnectionStringTest, DevelopmentStorageIsAzuritesAccountOnLoopback) {
  const Result<AzureSettings> plain =
      ParseAzureConnectionString("UseDevelopmentStorage=true", "cs");
  const Result<AzureSettings> moved = ParseAzureConnectionString(
      "UseDevelopmentStorage=true;BlobEndpoint=http://127.0.0.1:4242/devstoreaccount1",
      "cs");

  ASSERT_OK(plain);
  EXPECT_EQ(plain->credentials.kind, Kind::kSharedKey);
  EXPECT_EQ(plain->credentials.account, "devstoreaccount1");
  EXPECT_EQ(plain->credentials.account_key, kAzuriteAccountKey);
  EXPECT_EQ(plain->blob_endpoint, "http://127.0.0.1:10000/devstoreaccount1");
  ASSERT_OK(moved);
  EXPECT_EQ(moved->blob_endpoint, "http://127.0.0.1:4242/devstoreaccount1");
  EXPECT_EQ(moved->credentials.kind, Kind::kSharedKey);
}

TEST(AzureConnectionStringTest, BadStringsNameTheFaultButNeverASecret) {
  struct Case {
    std::string text;
    StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"AccountName=acct;AccountKey=" + std::string(kKey) + ";garbage",
       StatusCode::kInvalidArgument, "cs: segment 3 is not Key=Value"},
      {"AccountKey=" + std::string(kKey) + ";BlobEndpoint=http://127.0.0.1:1/a",
       StatusCode::kInvalidArgument, "cs has an AccountKey but no AccountName"},
      {"AccountName=acct;AccountKey=c2VjcmV0*", StatusCode::kUnauthenticated,
       "the Azure storage account key in cs is not base64"},
      {"AccountName=acct;SharedAccessSignature=sv=1&se=2", StatusCode::kUnauthenticated,
       "the shared access signature in cs has no sig= parameter"},
      {"AccountName=My_Account", StatusCode::kInvalidArgument,
       "\"My_Account\" in cs is not 3 to 24 lower-case letters and digits"},
      {"AccountName=acct;DefaultEndpointsProtocol=ftp", StatusCode::kInvalidArgument,
       "DefaultEndpointsProtocol \"ftp\" is neither http nor https"},
      {"AccountName=acct;BlobEndpoint=127.0.0.1:10000", StatusCode::kInvalidArgument,
       "\"127.0.0.1:10000\" in cs BlobEndpoint is not http(s)://host[:port][/path]"},
      {"EndpointSuffix=core.windows.net", StatusCode::kInvalidArgument,
       "cs names neither AccountName nor BlobEndpoint"},
      {"UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1",
       StatusCode::kInvalidArgument, "DevelopmentStorageProxyUri is not supported"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_THAT(ParseAzureConnectionString(c.text, "cs"),
                StatusIs(c.code, AllOf(HasSubstr(c.message), Not(HasSubstr(kKey)),
                                       Not(HasSubstr("c2VjcmV0")))));
  }
}

TEST(AzureSettingsTest, ConnectionStringWinsOverEveryOtherVariable) {
  const Result<AzureSettings> settings = ResolveAzureSettings(
      Env({{"AZURE_STORAGE_CONNECTION_STRING", "BlobEndpoint=http://127.0.0.1:7/acct"},
           {"AZURE_STORAGE_ACCOUNT", "other"},
           {"AZURE_STORAGE_KEY", std::string(kKey)},
           {"AZURE_STORAGE_BLOB_ENDPOINT", "http://127.0.0.1:8/other"}}));

  ASSERT_OK(settings);
  EXPECT_EQ(settings->credentials.kind, Kind::kAnonymous);
  EXPECT_EQ(settings->credentials.account, "");
  EXPECT_EQ(settings->blob_endpoint, "http://127.0.0.1:7/acct");
}

TEST(AzureSettingsTest, AccountKeyThenSasThenAnonymous) {
  const Result<AzureSettings> key =
      ResolveAzureSettings(Env({{"AZURE_STORAGE_ACCOUNT", "acct"},
                                {"AZURE_STORAGE_KEY", std::string(kKey)},
                                {"AZURE_STORAGE_SAS_TOKEN", std::string(kSas)}}));
  const Result<AzureSettings> sas = ResolveAzureSettings(
      Env({{"AZURE_STORAGE_ACCOUNT", "acct"},
           {"AZURE_STORAGE_KEY", ""},
           {"AZURE_STORAGE_SAS_TOKEN", "?" + std::string(kSas)},
           {"AZURE_STORAGE_BLOB_ENDPOINT", "http://127.0.0.1:10000/acct/"}}));
  const Result<AzureSettings> anonymous =
      ResolveAzureSettings(Env({{"AZURE_STORAGE_ACCOUNT", "acct"}}));
  const Result<AzureSettings> nothing = ResolveAzureSettings(Env({}));

  ASSERT_OK(key);
  EXPECT_EQ(key->credentials.kind, Kind::kSharedKey);
  EXPECT_EQ(key->credentials.source, "AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY");
  EXPECT_EQ(key->blob_endpoint, "https://acct.blob.core.windows.net");
  ASSERT_OK(sas);
  EXPECT_EQ(sas->credentials.kind, Kind::kSas);
  EXPECT_EQ(sas->credentials.sas_token, kSas);
  EXPECT_EQ(sas->credentials.account, "acct");
  EXPECT_EQ(sas->credentials.source, "AZURE_STORAGE_SAS_TOKEN");
  EXPECT_EQ(sas->blob_endpoint, "http://127.0.0.1:10000/acct");
  ASSERT_OK(anonymous);
  EXPECT_EQ(anonymous->credentials.kind, Kind::kAnonymous);
  EXPECT_EQ(anonymous->credentials.source, "none (anonymous)");
  EXPECT_EQ(anonymous->blob_endpoint, "https://acct.blob.core.windows.net");
  ASSERT_OK(nothing);
  EXPECT_EQ(nothing->credentials.kind, Kind::kAnonymous);
  EXPECT_EQ(nothing->blob_endpoint, "");
}

TEST(AzureSettingsTest, UnusableVariablesNameTheVariableNeverItsValue) {
  EXPECT_THAT(
      ResolveAzureSettings(Env({{"AZURE_STORAGE_KEY", std::string(kKey)}})),
      StatusIs(StatusCode::kUnauthenticated,
               AllOf(HasSubstr("AZURE_STORAGE_KEY is set but AZURE_STORAGE_ACCOUNT "
                               "is not"),
                     Not(HasSubstr(kKey)))));
  EXPECT_THAT(ResolveAzureSettings(Env({{"AZURE_STORAGE_ACCOUNT", "acct"},
                                        {"AZURE_STORAGE_KEY", "c2VjcmV0!"}})),
              StatusIs(StatusCode::kUnauthenticated,
                       AllOf(HasSubstr("key in AZURE_STORAGE_KEY is not base64"),
                             Not(HasSubstr("c2VjcmV0")))));
  EXPECT_THAT(
      ResolveAzureSettings(Env({{"AZURE_STORAGE_SAS_TOKEN", "sv=1&s1g=c2VjcmV0"}})),
      StatusIs(StatusCode::kUnauthenticated,
               AllOf(HasSubstr("AZURE_STORAGE_SAS_TOKEN has no sig= parameter"),
                     Not(HasSubstr("c2VjcmV0")))));
  EXPECT_THAT(ResolveAzureSettings(Env({{"AZURE_STORAGE_BLOB_ENDPOINT", "localhost"}})),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("\"localhost\" in AZURE_STORAGE_BLOB_ENDPOINT is not "
                                 "http(s)://host[:port][/path]")));
}

}  // namespace
}  // namespace cairn::credentials
