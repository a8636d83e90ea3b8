// SPDX-License-Identifier: Apache-2.0
// GcsStore against fake-gcs-server on 127.0.0.1: started once for this binary by
// tests/scripts/fake_gcs.sh (or taken from CAIRN_TEST_GCS_ENDPOINT when a script
// already started one), anonymous, with buckets and objects written through the
// emulator's JSON upload API. Ends with the ObjectStore conformance suite.
//
// How fake-gcs-server 1.56.1 (-backend memory) behaves, as seen by these tests:
// - An upload to a bucket created with {"versioning":{"enabled":true}} makes a new
//   generation (a microsecond timestamp) and keeps the old one readable by
//   ?generation=; in a bucket without versioning the old generation answers 404.
// - objects.list without versions=true lists live generations only; deleted
//   objects are not listed. pageToken is the next object's name.
// - An object's etag is its md5Hash (base64), unlike GCS, whose etag is an opaque
//   string that also changes with metadata.
// - ifGenerationMatch on a media download is ignored (a wrong generation still
//   answers 200), so the etag check of Read is shown by its metadata comparison.
// - A media download of a missing generation answers 404 with a plain-text body
//   ("Not Found"), and a missing bucket's 404 body does not mention the bucket.
// - No request is authenticated: anything, or nothing, in Authorization passes.
#include "cairn/storage/gcs/gcs_store.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cairn/storage/testing/conformance.h"
#include "cairn/testing/peer_environment.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage::gcs {
namespace {

using ::cairn::storage::testing::StoreConformanceTest;
using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;

// fake-gcs-server, started once for this binary and stopped at the end.
::cairn::testing::PeerEnvironment* const kFakeGcs =  // NOLINT(cert-err58-cpp)
    ::cairn::testing::AddPeerEnvironment({.name = "fake-gcs-server",
                                          .script = "fake_gcs.sh",
                                          .required = {"CAIRN_TEST_GCS_ENDPOINT"},
                                          .pidfile = "CAIRN_FAKE_GCS_PIDFILE"});

std::shared_ptr<GcsStore> MakeStore(int max_results_per_page = 1000) {
  GcsStoreOptions options;
  options.endpoint = kFakeGcs->Endpoint();
  options.max_results_per_page = max_results_per_page;
  options.http.retry.base_delay = std::chrono::milliseconds(10);
  Result<std::shared_ptr<GcsStore>> store = GcsStore::Make(std::move(options));
  CAIRN_CHECK(store.ok());
  return *store;
}

// Writes to the emulator through its JSON API, with a client of its own.
class FakeGcsWriter {
 public:
  Result<net::Response> Send(std::string method, const std::string& path_and_query,
                             std::string body, std::string content_type) {
    net::Request request;
    request.method = std::move(method);
    request.url = kFakeGcs->Endpoint() + path_and_query;
    request.body = std::move(body);
    request.headers = {{"Content-Type", std::move(content_type)}};
    CAIRN_ASSIGN_OR_RETURN(net::Response response, http_.Perform(request));
    if (response.status >= 300) {
      return InternalError(request.method + " " + request.url + " answered " +
                           std::to_string(response.status) + ": " + response.body);
    }
    return response;
  }

  Status CreateBucket(const std::string& bucket, bool versioned) {
    Json body = {{"name", bucket}};
    if (versioned) {
      body["versioning"] = {{"enabled", true}};
    }
    return Send("POST", "/storage/v1/b", body.dump(), "application/json").status();
  }

  /// Returns the new generation.
  Result<std::string> Put(const std::string& bucket, const std::string& name,
                          std::string bytes) {
    CAIRN_ASSIGN_OR_RETURN(
        net::Response response,
        Send("POST",
             "/upload/storage/v1/b/" + bucket +
                 "/o?uploadType=media&name=" + uri::PercentEncode(name),
             std::move(bytes), "application/octet-stream"));
    const Json object = Json::parse(response.body, nullptr, false);
    if (object.is_discarded() || !object.contains("generation")) {
      return InternalError("upload of " + name + " answered " + response.body);
    }
    return object["generation"].get<std::string>();
  }

  Status Delete(const std::string& bucket, const std::string& name) {
    return Send("DELETE", "/storage/v1/b/" + bucket + "/o/" + uri::PercentEncode(name),
                "", "application/octet-stream")
        .status();
  }

 private:
  net::HttpClient http_;
};

std::string NewBucketName() {
  static std::atomic<int> counter{0};
  return "cairn-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

uri::Uri GsUri(const std::string& bucket, const std::string& key) {
  uri::Uri uri;
  uri.scheme = "gs";
  uri.authority = bucket;
  uri.path = key;
  return uri;
}

class GcsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(kFakeGcs->Endpoint().empty()) << "fake-gcs-server is not running";
    ASSERT_OK(writer_.CreateBucket(bucket_, /*versioned=*/true));
  }

  std::string MustPut(const std::string& key, std::string bytes) {
    Result<std::string> generation = writer_.Put(bucket_, key, std::move(bytes));
    EXPECT_OK(generation);
    return generation.ok() ? *generation : "";
  }

  ObjectRef Ref(const std::string& key, std::string generation = "",
                std::string etag = "") {
    return {.uri = GsUri(bucket_, key),
            .version_id = std::move(generation),
            .etag = std::move(etag)};
  }

  Result<std::string> ReadAll(const ObjectRef& ref, const ReadOptions& options = {}) {
    StringSink sink;
    CAIRN_RETURN_IF_ERROR(store_->Read(ref, options, sink));
    return sink.data();
  }

  Result<std::vector<ObjectInfo>> ListAll(const std::shared_ptr<GcsStore>& store,
                                          const std::string& prefix,
                                          const ListOptions& options = {}) {
    std::vector<ObjectInfo> infos;
    CAIRN_RETURN_IF_ERROR(
        store->List(GsUri(bucket_, prefix), options, [&](const ObjectInfo& info) {
          infos.push_back(info);
          return Status::Ok();
        }));
    return infos;
  }

  std::vector<std::string> Keys(const Result<std::vector<ObjectInfo>>& infos) {
    EXPECT_OK(infos);
    std::vector<std::string> keys;
    if (infos.ok()) {
      for (const ObjectInfo& info : *infos) {
        keys.push_back(info.key);
      }
    }
    return keys;
  }

  std::shared_ptr<GcsStore> store_ = MakeStore();
  FakeGcsWriter writer_;
  std::string bucket_ = NewBucketName();
};

TEST_F(GcsStoreTest, StatReportsDigestsGenerationAndTime) {
  const std::string generation = MustPut("data/x.txt", "hello");

  const Result<ObjectInfo> info = store_->Stat(Ref("data/x.txt"));

  ASSERT_OK(info);
  EXPECT_EQ(info->uri, GsUri(bucket_, "data/x.txt"));
  EXPECT_EQ(info->key, "data/x.txt");
  EXPECT_EQ(info->size_bytes, 5);
  EXPECT_EQ(info->md5_base64, "XUFAKrxLKna5cZ2REBfFkg==");
  EXPECT_EQ(info->crc32c_base64, "mnG7TA==");
  EXPECT_EQ(info->etag, "XUFAKrxLKna5cZ2REBfFkg==");  // the emulator's etag is md5Hash
  EXPECT_EQ(info->version_id, generation);
  EXPECT_THAT(
      info->last_modified,
      ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
}

TEST_F(GcsStoreTest, ListReportsMd5Crc32cAndGenerations) {
  const std::string a = MustPut("l/a", "hello");
  const std::string b = MustPut("l/b", "");

  const Result<std::vector<ObjectInfo>> infos = ListAll(store_, "l/");

  ASSERT_OK(infos);
  ASSERT_EQ(infos->size(), 2U);
  EXPECT_EQ((*infos)[0].md5_base64, "XUFAKrxLKna5cZ2REBfFkg==");
  EXPECT_EQ((*infos)[0].crc32c_base64, "mnG7TA==");
  EXPECT_EQ((*infos)[0].version_id, a);
  EXPECT_EQ((*infos)[1].size_bytes, 0);
  EXPECT_EQ((*infos)[1].md5_base64, "1B2M2Y8AsgTpgAmY7PhCfg==");
  EXPECT_EQ((*infos)[1].crc32c_base64, "AAAAAA==");
  EXPECT_EQ((*infos)[1].version_id, b);
}

TEST_F(GcsStoreTest, GenerationPinReadsTheOldBytesAfterAnOverwrite) {
  const std::string old_generation = MustPut("pin/obj", "first");
  const std::string new_generation = MustPut("pin/obj", "second!");
  ASSERT_NE(old_generation, new_generation);

  const Result<ObjectInfo> old_info = store_->Stat(Ref("pin/obj", old_generation));
  const Result<std::string> old_bytes = ReadAll(Ref("pin/obj", old_generation));
  const Result<std::string> old_range =
      ReadAll(Ref("pin/obj", old_generation), {.offset = 1, .length = 3});
  const Result<std::string> latest = ReadAll(Ref("pin/obj"));

  ASSERT_OK(old_info);
  EXPECT_EQ(old_info->version_id, old_generation);
  EXPECT_EQ(old_info->size_bytes, 5);
  ASSERT_OK(old_bytes);
  EXPECT_EQ(*old_bytes, "first");
  ASSERT_OK(old_range);
  EXPECT_EQ(*old_range, "irs");
  ASSERT_OK(latest);
  EXPECT_EQ(*latest, "second!");
}

TEST_F(GcsStoreTest, GoneGenerationIsNotFoundAndNeverTheLiveObject) {
  const std::string plain = NewBucketName();
  ASSERT_OK(writer_.CreateBucket(plain, /*versioned=*/false));
  Result<std::string> first = writer_.Put(plain, "k", "one");
  ASSERT_OK(first);
  ASSERT_OK(writer_.Put(plain, "k", "two"));
  const ObjectRef pinned{.uri = GsUri(plain, "k"), .version_id = *first, .etag = ""};
  StringSink sink;

  EXPECT_THAT(store_->Stat(pinned),
              StatusIs(StatusCode::kNotFound,
                       AllOf(HasSubstr("stating gs://" + plain + "/k: notFound (404)"),
                             HasSubstr("generation " + *first +
                                       " of this object is "
                                       "gone"))));
  EXPECT_THAT(
      store_->Read(pinned, {}, sink),
      StatusIs(StatusCode::kNotFound, AllOf(HasSubstr("reading gs://" + plain + "/k"),
                                            HasSubstr("generation " + *first))));
  EXPECT_EQ(sink.data(), "");
}

TEST_F(GcsStoreTest, SmallPagesVisitEveryObjectOnceInOrder) {
  for (const char* key : {"p/a", "p/b", "p/c", "p/d", "p/e"}) {
    MustPut(key, "v1");
  }
  MustPut("p/c", "v2");  // an old generation between pages must not show up
  const std::shared_ptr<GcsStore> paging = MakeStore(/*max_results_per_page=*/2);

  EXPECT_THAT(Keys(ListAll(paging, "p/")),
              ElementsAre("p/a", "p/b", "p/c", "p/d", "p/e"));
  EXPECT_THAT(ListAll(paging, "p/", {.max_objects = 3}),
              StatusIs(StatusCode::kResourceExhausted,
                       HasSubstr("listing gs://" + bucket_ +
                                 "/p/: more than 3 objects (max_objects=3)")));
}

TEST_F(GcsStoreTest, SiblingPrefixIsNotCoveredBySlashTerminatedPrefix) {
  for (const char* key : {"data/a", "data/b/c", "data2/x", "dat"}) {
    MustPut(key, key);
  }

  EXPECT_THAT(Keys(ListAll(store_, "data/")), ElementsAre("data/a", "data/b/c"));
  EXPECT_THAT(Keys(ListAll(store_, "data")),
              ElementsAre("data/a", "data/b/c", "data2/x"));
}

TEST_F(GcsStoreTest, EtagMismatchIsFailedPreconditionBeforeAnyByte) {
  MustPut("e/obj", "content");
  const Result<ObjectInfo> info = store_->Stat(Ref("e/obj"));
  ASSERT_OK(info);
  StringSink sink;

  const Result<std::string> same = ReadAll(Ref("e/obj", "", info->etag));
  ASSERT_OK(same);
  EXPECT_EQ(*same, "content");
  EXPECT_THAT(store_->Read(Ref("e/obj", "", "stale"), {}, sink),
              StatusIs(StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("reading gs://" + bucket_ + "/e/obj: etag now " +
                                       info->etag + ", recorded stale"))));
  EXPECT_EQ(sink.data(), "");
}

TEST_F(GcsStoreTest, MissingObjectAndBucketAreNotFound) {
  StringSink sink;

  EXPECT_THAT(store_->Read(Ref("absent"), {}, sink),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("reading gs://" + bucket_ + "/absent: notFound (404)")));
  EXPECT_THAT(
      store_->List(GsUri("cairn-no-such-bucket", "p/"), {},
                   [](const ObjectInfo&) { return Status::Ok(); }),
      StatusIs(StatusCode::kNotFound, HasSubstr("listing gs://cairn-no-such-bucket/p/")));
  EXPECT_EQ(sink.data(), "");
}

TEST(OpenGcsStoreTest, BucketlessUriIsInvalidArgument) {
  EXPECT_THAT(OpenGcsStore(GsUri("", ""), {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("needs a bucket")));
}

TEST_F(GcsStoreTest, OpenGcsStoreFollowsStorageEmulatorHostWithoutScheme) {
  MustPut("env/obj", "via env");
  const std::string endpoint = kFakeGcs->Endpoint();
  const std::string host = endpoint.substr(endpoint.find("://") + 3);
  // Tests run one at a time on this thread, so changing the environment is safe.
  ::setenv("STORAGE_EMULATOR_HOST", host.c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
  ::unsetenv("GOOGLE_APPLICATION_CREDENTIALS");        // NOLINT(concurrency-mt-unsafe)

  const Result<std::shared_ptr<ObjectStore>> store =
      OpenGcsStore(GsUri(bucket_, "env/obj"), {});
  ::unsetenv("STORAGE_EMULATOR_HOST");  // NOLINT(concurrency-mt-unsafe)

  ASSERT_OK(store);
  StringSink sink;
  ASSERT_OK((*store)->Read(Ref("env/obj"), {}, sink));
  EXPECT_EQ(sink.data(), "via env");
}

// The conformance suite, on one versioned bucket with a fresh prefix per case.
class FakeGcsFixture final : public testing::StoreFixture {
 public:
  FakeGcsFixture() {
    static std::atomic<int> cases{0};
    prefix_ = "case-" + std::to_string(++cases) + "/";
  }

  Status Init() {
    static const std::string bucket = NewBucketName();
    static const Status created = FakeGcsWriter().CreateBucket(bucket, true);
    bucket_ = bucket;
    return created;
  }

  std::shared_ptr<ObjectStore> Store() override { return store_; }
  uri::Uri BasePrefix() override { return GsUri(bucket_, prefix_); }
  Result<std::string> Put(std::string_view key, std::string_view bytes) override {
    return writer_.Put(bucket_, prefix_ + std::string(key), std::string(bytes));
  }
  Status Delete(std::string_view key) override {
    return writer_.Delete(bucket_, prefix_ + std::string(key));
  }
  bool CanCreateFolderMarkers() const override { return true; }
  bool KeepsEmptySegments() const override { return true; }

 private:
  std::shared_ptr<GcsStore> store_ = MakeStore();
  FakeGcsWriter writer_;
  std::string bucket_;
  std::string prefix_;
};

Result<std::unique_ptr<testing::StoreFixture>> MakeFakeGcsFixture() {
  auto fixture = std::make_unique<FakeGcsFixture>();
  CAIRN_RETURN_IF_ERROR(fixture->Init());
  return std::unique_ptr<testing::StoreFixture>(std::move(fixture));
}

INSTANTIATE_TEST_SUITE_P(FakeGcs, StoreConformanceTest,
                         ::testing::Values(testing::ConformanceParam{
                             "gcs_fake", &MakeFakeGcsFixture}),
                         testing::ConformanceParamName);

}  // namespace
}  // namespace cairn::storage::gcs
