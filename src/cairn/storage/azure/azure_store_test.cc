// SPDX-License-Identifier: Apache-2.0
// AzureStore against Azurite on 127.0.0.1: started once for this binary by
// tests/scripts/azurite.sh (or taken from CAIRN_TEST_AZURE_ENDPOINT when a script
// already started one), with Azurite's documented development account. Containers
// and blobs are written through the Blob REST API with a Shared Key client of the
// test's own. Ends with the ObjectStore conformance suite, run twice: signed with
// Shared Key, and with an account SAS made from the development key.
//
// How Azurite 3.35 (in memory) behaves, as seen by these tests:
// - It has no blob versioning: no x-ms-version-id, and ?versionid= is ignored (the
//   live blob comes back), so the conformance run says the store has no versions
//   and pins are covered in azure_store_scripted_test.cc.
// - Put Blob stores a Content-MD5 computed by the emulator, so every blob has one.
// - Metadata names come back capitalised (x-ms-meta-Hdi_Isfolder).
// - A blob name with a control character breaks its listings (500), so none is used.
// - It checks Shared Key and SAS signatures and SAS permissions; a wrong signature
//   is 403 AuthorizationFailure (Azure says AuthenticationFailed).
#include "cairn/storage/azure/azure_store.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/base/env.h"
#include "cairn/hash/encoding.h"
#include "cairn/storage/azure/azure_signer.h"
#include "cairn/storage/testing/conformance.h"
#include "cairn/testing/peer_environment.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage::azure {
namespace {

using ::cairn::storage::testing::StoreConformanceTest;
using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr std::string_view kAccount = credentials::kAzuriteAccount;

// Azurite, started once for this binary and stopped at the end; its endpoint is
// "http://127.0.0.1:PORT/devstoreaccount1".
::cairn::testing::PeerEnvironment* const kAzurite =  // NOLINT(cert-err58-cpp)
    ::cairn::testing::AddPeerEnvironment({.name = "Azurite",
                                          .script = "azurite.sh",
                                          .required = {"CAIRN_TEST_AZURE_ENDPOINT"},
                                          .pidfile = "CAIRN_AZURITE_PIDFILE"});

credentials::AzureCredentials DevSharedKey() {
  credentials::AzureCredentials credentials;
  credentials.kind = credentials::AzureCredentials::Kind::kSharedKey;
  credentials.account = std::string(kAccount);
  credentials.account_key = std::string(credentials::kAzuriteAccountKey);
  credentials.source = "Azurite's development key";
  return credentials;
}

credentials::AzureCredentials SasFor(const std::string& permissions) {
  AccountSasOptions options;
  options.permissions = permissions;
  options.expiry = std::chrono::system_clock::now() + std::chrono::hours(1);
  Result<std::string> sas =
      MakeAccountSas(kAccount, credentials::kAzuriteAccountKey, options);
  CAIRN_CHECK(sas.ok());
  credentials::AzureCredentials credentials;
  credentials.kind = credentials::AzureCredentials::Kind::kSas;
  credentials.sas_token = *sas;
  credentials.source = "a test SAS";
  return credentials;
}

std::shared_ptr<AzureStore> MakeStore(
    credentials::AzureCredentials credentials = DevSharedKey(),
    int max_results_per_page = 5000) {
  AzureStoreOptions options;
  options.endpoint = kAzurite->Endpoint();
  options.account = std::string(kAccount);
  options.credentials = std::move(credentials);
  options.max_results_per_page = max_results_per_page;
  options.http.retry.base_delay = std::chrono::milliseconds(10);
  Result<std::shared_ptr<AzureStore>> store = AzureStore::Make(std::move(options));
  CAIRN_CHECK(store.ok());
  return *store;
}

// Writes to Azurite through the Blob REST API, signed with the development key.
class AzuriteWriter {
 public:
  Status Send(std::string method, const std::string& path_and_query, std::string body,
              net::Headers headers = {}) {
    net::Request request;
    request.method = std::move(method);
    request.url = kAzurite->Endpoint() + path_and_query;
    request.body = std::move(body);
    request.headers = std::move(headers);
    request.headers.emplace_back("x-ms-version", std::string(kAzureApiVersion));
    request.headers.emplace_back("Content-Type", "application/octet-stream");
    request.signer = [](const net::Request& attempt) -> Result<net::Headers> {
      Result<std::string> key = hash::Base64Decode(credentials::kAzuriteAccountKey);
      CAIRN_RETURN_IF_ERROR(key.status());
      return SignSharedKey(attempt, kAccount, *key, std::chrono::system_clock::now());
    };
    CAIRN_ASSIGN_OR_RETURN(const net::Response response, http_.Perform(request));
    if (response.status >= 300) {
      return InternalError(request.method + " " + path_and_query + " answered " +
                           std::to_string(response.status) + ": " + response.body);
    }
    return Status::Ok();
  }

  Status CreateContainer(const std::string& container) {
    return Send("PUT", "/" + container + "?restype=container", "");
  }

  Status Put(const std::string& container, const std::string& name, std::string bytes,
             net::Headers headers = {}) {
    headers.emplace_back("x-ms-blob-type", "BlockBlob");
    return Send("PUT", "/" + container + "/" + uri::PercentEncode(name, "/"),
                std::move(bytes), std::move(headers));
  }

  Status Delete(const std::string& container, const std::string& name) {
    return Send("DELETE", "/" + container + "/" + uri::PercentEncode(name, "/"), "");
  }

 private:
  net::HttpClient http_;
};

std::string NewContainerName() {
  static std::atomic<int> counter{0};
  return "cairn-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

uri::Uri AzUri(const std::string& container, const std::string& name) {
  uri::Uri uri;
  uri.scheme = "az";
  uri.authority = container;
  uri.path = name;
  return uri;
}

// Sets environment variables for one test and restores them after. Tests run one
// at a time on this thread, so changing the environment is safe.
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, std::string>> values) {
    for (const char* name :
         {"AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_ACCOUNT", "AZURE_STORAGE_KEY",
          "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_BLOB_ENDPOINT"}) {
      saved_.emplace_back(name, env::Get(name));
      ::unsetenv(name);  // NOLINT(concurrency-mt-unsafe)
    }
    for (const auto& [name, value] : values) {
      ::setenv(name, value.c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) {
      if (value.has_value()) {
        ::setenv(name, value->c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
      } else {
        ::unsetenv(name);  // NOLINT(concurrency-mt-unsafe)
      }
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

std::string DevConnectionString() {
  return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" +
         std::string(credentials::kAzuriteAccountKey) +
         ";BlobEndpoint=" + kAzurite->Endpoint() + ";";
}

class AzureStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(kAzurite->Endpoint().empty()) << "Azurite is not running";
    ASSERT_OK(writer_.CreateContainer(container_));
  }

  void MustPut(const std::string& name, std::string bytes, net::Headers headers = {}) {
    const Status put =
        writer_.Put(container_, name, std::move(bytes), std::move(headers));
    ASSERT_OK(put);
  }

  ObjectRef Ref(const std::string& name, std::string version = "") {
    return {.uri = AzUri(container_, name), .version_id = std::move(version), .etag = ""};
  }

  static Result<std::vector<std::string>> Keys(ObjectStore& store, const uri::Uri& prefix,
                                               const ListOptions& options = {}) {
    std::vector<std::string> keys;
    CAIRN_RETURN_IF_ERROR(store.List(prefix, options, [&](const ObjectInfo& info) {
      keys.push_back(info.uri.ToString());
      return Status::Ok();
    }));
    return keys;
  }

  std::shared_ptr<AzureStore> store_ = MakeStore();
  AzuriteWriter writer_;
  std::string container_ = NewContainerName();
};

TEST_F(AzureStoreTest, StatReportsMd5EtagSizeAndTime) {
  MustPut("data/x.txt", "hello");

  const Result<ObjectInfo> info = store_->Stat(Ref("data/x.txt"));

  ASSERT_OK(info);
  EXPECT_EQ(info->uri, AzUri(container_, "data/x.txt"));
  EXPECT_EQ(info->key, "data/x.txt");
  EXPECT_EQ(info->size_bytes, 5);
  EXPECT_EQ(info->md5_base64, "XUFAKrxLKna5cZ2REBfFkg==");
  EXPECT_THAT(info->etag, MatchesRegex("0x[0-9A-F]+"));
  EXPECT_EQ(info->version_id, "");
  EXPECT_THAT(info->last_modified,
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
}

TEST_F(AzureStoreTest, ListSkipsDirectoryStubsAndFolderMarkers) {
  MustPut("t/dir", "", {{"x-ms-meta-hdi_isfolder", "true"}});
  MustPut("t/dir/", "");
  MustPut("t/dir/a", "a");
  MustPut("t/file", "f");

  const auto keys = Keys(*store_, AzUri(container_, "t/"));

  ASSERT_OK(keys);
  EXPECT_THAT(*keys, ElementsAre("az://" + container_ + "/t/dir/a",
                                 "az://" + container_ + "/t/file"));
  EXPECT_THAT(store_->Stat(Ref("t/dir")),
              StatusIs(StatusCode::kNotFound, HasSubstr("names an ADLS directory")));
}

TEST_F(AzureStoreTest, SmallPagesVisitEveryBlobOnceInOrderAndMaxObjectsIsExact) {
  for (const char* name : {"p/a", "p/b", "p/c", "p/d", "p/e", "p2/x"}) {
    MustPut(name, name);
  }
  const auto paging = MakeStore(DevSharedKey(), /*max_results_per_page=*/2);
  const std::string base = "az://" + container_ + "/";

  const auto keys = Keys(*paging, AzUri(container_, "p/"));

  ASSERT_OK(keys);
  EXPECT_THAT(*keys, ElementsAre(base + "p/a", base + "p/b", base + "p/c", base + "p/d",
                                 base + "p/e"));
  EXPECT_OK(Keys(*paging, AzUri(container_, "p/"), {.max_objects = 5}));
  EXPECT_THAT(
      Keys(*paging, AzUri(container_, "p/"), {.max_objects = 4}),
      StatusIs(StatusCode::kResourceExhausted, HasSubstr("listing " + base +
                                                         "p/: more than 4 objects "
                                                         "(max_objects=4)")));
}

TEST_F(AzureStoreTest, MissingBlobAndContainerAreNotFound) {
  StringSink sink;

  EXPECT_THAT(store_->Read(Ref("absent"), {}, sink),
              StatusIs(StatusCode::kNotFound, HasSubstr("reading az://" + container_ +
                                                        "/absent: BlobNotFound (404")));
  EXPECT_THAT(Keys(*store_, AzUri("cairn-no-such-container", "p/")),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("listing az://cairn-no-such-container/p/: "
                                 "ContainerNotFound (404")));
  EXPECT_EQ(sink.data(), "");
}

TEST_F(AzureStoreTest, PinnedReadIsNotFoundSinceAzuriteKeepsNoVersions) {
  MustPut("v", "live bytes");
  StringSink sink;

  EXPECT_THAT(store_->Stat(Ref("v", "2026-12-04T15:34:00.1234567Z")),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("version 2026-12-04T15:34:00.1234567Z was asked for but "
                                 "Azure answered with no version id")));
  EXPECT_THAT(store_->Read(Ref("v", "2026-12-04T15:34:00.1234567Z"), {}, sink),
              StatusIs(StatusCode::kNotFound, HasSubstr("not read in its place")));
}

TEST_F(AzureStoreTest, WrongKeyIsUnauthenticatedNamingAccountAndVariables) {
  MustPut("k", "x");
  credentials::AzureCredentials wrong = DevSharedKey();
  wrong.account_key = "d3JvbmcgYnV0IHdlbGwtZm9ybWVkIGtleQ==";
  wrong.source = "AZURE_STORAGE_CONNECTION_STRING";

  EXPECT_THAT(
      MakeStore(wrong)->Stat(Ref("k")),
      StatusIs(
          StatusCode::kUnauthenticated,
          AllOf(HasSubstr("stating az://" + container_ + "/k: AuthorizationFailure (403"),
                HasSubstr("storage account devstoreaccount1 refused the "
                          "credentials from AZURE_STORAGE_CONNECTION_STRING"),
                Not(HasSubstr("d3JvbmcgYnV0")))));
}

TEST_F(AzureStoreTest, SasWithoutListPermissionIsPermissionDenied) {
  MustPut("s/k", "sas bytes");
  const auto read_only = MakeStore(SasFor("r"));
  StringSink sink;

  ASSERT_OK(read_only->Read(Ref("s/k"), {}, sink));
  EXPECT_EQ(sink.data(), "sas bytes");
  EXPECT_THAT(
      Keys(*read_only, AzUri(container_, "s/")),
      StatusIs(StatusCode::kPermissionDenied,
               AllOf(HasSubstr("listing az://" + container_ + "/s/"),
                     HasSubstr("cairn needs read and list"), Not(HasSubstr("sig=")))));
}

TEST_F(AzureStoreTest, AnonymousRequestToAPrivateContainerAsksForCredentials) {
  MustPut("k", "x");
  credentials::AzureCredentials anonymous;
  anonymous.source = "none (anonymous)";

  EXPECT_THAT(MakeStore(anonymous)->Stat(Ref("k")),
              StatusIs(StatusCode::kUnauthenticated,
                       HasSubstr("the request was sent without credentials")));
}

TEST_F(AzureStoreTest, OpenAzureStoreServesAzAndPathStyleUrlsFromTheConnectionString) {
  MustPut("o/a b#1", "via env");
  const ScopedEnv scoped({{"AZURE_STORAGE_CONNECTION_STRING", DevConnectionString()}});
  Result<uri::Uri> path_style =
      uri::Uri::Parse(kAzurite->Endpoint() + "/" + container_ + "/o/a%20b%231");
  ASSERT_OK(path_style);
  uri::Uri path_prefix = *path_style;
  path_prefix.path = std::string(kAccount) + "/" + container_ + "/o/";
  uri::Uri elsewhere = *path_style;
  elsewhere.path = "otheraccount/" + container_ + "/o/a b#1";

  const Result<std::shared_ptr<ObjectStore>> short_form =
      OpenAzureStore(AzUri(container_, "o/a b#1"), {});
  const Result<std::shared_ptr<ObjectStore>> long_form = OpenAzureStore(*path_style, {});

  ASSERT_OK(short_form);
  ASSERT_OK(long_form);
  StringSink short_bytes;
  StringSink long_bytes;
  ASSERT_OK((*short_form)->Read(Ref("o/a b#1"), {}, short_bytes));
  ASSERT_OK(
      (*long_form)
          ->Read({.uri = *path_style, .version_id = "", .etag = ""}, {}, long_bytes));
  EXPECT_EQ(short_bytes.data(), "via env");
  EXPECT_EQ(long_bytes.data(), "via env");
  const auto listed = Keys(**long_form, path_prefix);
  ASSERT_OK(listed);
  EXPECT_THAT(*listed, ElementsAre(path_style->ToString()));
  EXPECT_TRUE(IsAzureBlobUrl(*path_style));
  EXPECT_FALSE(IsAzureBlobUrl(elsewhere));
  EXPECT_THAT(OpenAzureStore(elsewhere, {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not an Azure blob URL")));
}

TEST_F(AzureStoreTest, OpenAzureStoreTakesASasTokenAndEndpointFromTheEnvironment) {
  MustPut("e/k", "sas via env");
  const ScopedEnv scoped({{"AZURE_STORAGE_SAS_TOKEN", "?" + SasFor("rl").sas_token},
                          {"AZURE_STORAGE_BLOB_ENDPOINT", kAzurite->Endpoint()}});

  const Result<std::shared_ptr<ObjectStore>> store =
      OpenAzureStore(AzUri(container_, "e/k"), {});

  ASSERT_OK(store);
  StringSink sink;
  ASSERT_OK((*store)->Read(Ref("e/k"), {}, sink));
  EXPECT_EQ(sink.data(), "sas via env");
  const auto listed = Keys(**store, AzUri(container_, "e/"));
  ASSERT_OK(listed);
  EXPECT_THAT(*listed, ElementsAre("az://" + container_ + "/e/k"));
}

TEST(OpenAzureStoreTest, AzUriWithoutConfiguredAccountNamesTheVariables) {
  const ScopedEnv scoped({});

  EXPECT_THAT(
      OpenAzureStore(AzUri("cont", "k"), {}),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("az:// URIs take their storage account from the "
                         "configuration, and none is set; set "
                         "AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT")));
  EXPECT_THAT(OpenAzureStore(AzUri("", ""), {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("needs a container")));
}

// The conformance suite, on one container with a fresh prefix per case.
// Azurite keeps no blob versions, so the store under test reports none and the
// version cases are skipped here (azure_store_scripted_test.cc covers them).
class NoVersionsStore final : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  StoreFeatures Features() const override {
    StoreFeatures features = ForwardingStore::Features();
    features.has_versions = false;
    return features;
  }
};

class AzuriteFixture final : public testing::StoreFixture {
 public:
  explicit AzuriteFixture(credentials::AzureCredentials credentials)
      : store_(std::make_shared<NoVersionsStore>(MakeStore(std::move(credentials)))) {
    static std::atomic<int> cases{0};
    prefix_ = "case-" + std::to_string(++cases) + "/";
  }

  Status Init() {
    static const std::string container = NewContainerName();
    static const Status created = AzuriteWriter().CreateContainer(container);
    container_ = container;
    return created;
  }

  std::shared_ptr<ObjectStore> Store() override { return store_; }
  uri::Uri BasePrefix() override { return AzUri(container_, prefix_); }
  Result<std::string> Put(std::string_view key, std::string_view bytes) override {
    CAIRN_RETURN_IF_ERROR(
        writer_.Put(container_, prefix_ + std::string(key), std::string(bytes)));
    return std::string();
  }
  Status Delete(std::string_view key) override {
    return writer_.Delete(container_, prefix_ + std::string(key));
  }
  bool CanCreateFolderMarkers() const override { return true; }
  bool KeepsEmptySegments() const override { return true; }

 private:
  std::shared_ptr<ObjectStore> store_;
  AzuriteWriter writer_;
  std::string container_;
  std::string prefix_;
};

Result<std::unique_ptr<testing::StoreFixture>> MakeSharedKeyFixture() {
  auto fixture = std::make_unique<AzuriteFixture>(DevSharedKey());
  CAIRN_RETURN_IF_ERROR(fixture->Init());
  return std::unique_ptr<testing::StoreFixture>(std::move(fixture));
}

Result<std::unique_ptr<testing::StoreFixture>> MakeSasFixture() {
  auto fixture = std::make_unique<AzuriteFixture>(SasFor("rl"));
  CAIRN_RETURN_IF_ERROR(fixture->Init());
  return std::unique_ptr<testing::StoreFixture>(std::move(fixture));
}

INSTANTIATE_TEST_SUITE_P(
    Azurite, StoreConformanceTest,
    ::testing::Values(testing::ConformanceParam{"azurite_shared_key",
                                                &MakeSharedKeyFixture},
                      testing::ConformanceParam{"azurite_sas", &MakeSasFixture}),
    testing::ConformanceParamName);

}  // namespace
}  // namespace cairn::storage::azure
