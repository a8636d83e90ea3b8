// SPDX-License-Identifier: Apache-2.0
// storage::OpenStore routes Azure references to this backend: az:// URIs, https
// URLs of an *.blob.core.windows.net host, and URLs under the configured blob
// endpoint; a plain https URL to another host goes elsewhere. Opening a store does
// no network, so no Azure host is ever looked up here.
#include <cstdlib>
#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/base/env.h"
#include "cairn/credentials/azure.h"
#include "cairn/storage/azure/azure_store.h"
#include "cairn/storage/store_factory.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

uri::Uri MustParse(const std::string& text) {
  auto uri = uri::Uri::Parse(text);
  EXPECT_OK(uri);
  return uri.ok() ? *uri : uri::Uri{};
}

// Points the Azure configuration at a loopback emulator endpoint for one test.
// Tests run one at a time on this thread, so changing the environment is safe.
class AzureFactoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = env::Get("AZURE_STORAGE_CONNECTION_STRING");
    const std::string text = "AccountName=devstoreaccount1;AccountKey=" +
                             std::string(credentials::kAzuriteAccountKey) +
                             ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1";
    // NOLINTNEXTLINE(concurrency-mt-unsafe)
    ::setenv("AZURE_STORAGE_CONNECTION_STRING", text.c_str(), 1);
  }
  void TearDown() override {
    if (saved_.has_value()) {
      // NOLINTNEXTLINE(concurrency-mt-unsafe)
      ::setenv("AZURE_STORAGE_CONNECTION_STRING", saved_->c_str(), 1);
    } else {
      ::unsetenv("AZURE_STORAGE_CONNECTION_STRING");  // NOLINT(concurrency-mt-unsafe)
    }
  }

 private:
  std::optional<std::string> saved_;
};

TEST_F(AzureFactoryTest, AzAndBlobHostAndEndpointUrlsOpenTheAzureStore) {
  for (const char* text : {"az://container/dir/key.bin",
                           "https://acct.blob.core.windows.net/container/key.bin",
                           "http://127.0.0.1:10000/devstoreaccount1/container/key.bin"}) {
    SCOPED_TRACE(text);
    auto store = OpenStore(MustParse(text));
    ASSERT_OK(store);
    EXPECT_EQ((*store)->Scheme(), "az");
  }
}

TEST_F(AzureFactoryTest, OtherHttpsUrlsAreNotTheAzureStore) {
  for (const char* text : {"https://example.com/data/key.bin",
                           "http://127.0.0.1:10000/otheraccount/container/key.bin"}) {
    SCOPED_TRACE(text);
    auto store = OpenStore(MustParse(text));
    // Without the http backend in this build the answer is kUnimplemented naming it;
    // with it, its store. Either way not this backend.
    if (store.ok()) {
      EXPECT_NE((*store)->Scheme(), "az");
    } else {
      EXPECT_THAT(store.status(),
                  StatusIs(StatusCode::kUnimplemented, HasSubstr("backend")));
    }
  }
}

// A SAS token without an account belongs to the configured endpoint: a URL of
// another account's host must not carry it. Opening does no network.
TEST(AzureCredentialScopeTest, SasWithoutAccountGoesOnlyToTheConfiguredEndpoint) {
  const std::optional<std::string> saved = env::Get("AZURE_STORAGE_CONNECTION_STRING");
  ::unsetenv("AZURE_STORAGE_CONNECTION_STRING");  // NOLINT(concurrency-mt-unsafe)
  // NOLINTNEXTLINE(concurrency-mt-unsafe)
  ::setenv("AZURE_STORAGE_SAS_TOKEN", "sv=2021-08-06&sig=abc", 1);
  // NOLINTNEXTLINE(concurrency-mt-unsafe)
  ::setenv("AZURE_STORAGE_BLOB_ENDPOINT", "http://127.0.0.1:10000/devstoreaccount1", 1);

  auto own = OpenStore(MustParse("az://container/key.bin"));
  auto other = OpenStore(MustParse("https://other.blob.core.windows.net/c/key.bin"));

  ::unsetenv("AZURE_STORAGE_SAS_TOKEN");      // NOLINT(concurrency-mt-unsafe)
  ::unsetenv("AZURE_STORAGE_BLOB_ENDPOINT");  // NOLINT(concurrency-mt-unsafe)
  if (saved.has_value()) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe)
    ::setenv("AZURE_STORAGE_CONNECTION_STRING", saved->c_str(), 1);
  }
  ASSERT_OK(own);
  ASSERT_OK(other);
  EXPECT_EQ(dynamic_cast<azure::AzureStore&>(**own).CredentialsSource(),
            "AZURE_STORAGE_SAS_TOKEN");
  EXPECT_EQ(dynamic_cast<azure::AzureStore&>(**other).CredentialsSource(),
            "none (anonymous)");
}

}  // namespace
}  // namespace cairn::storage
