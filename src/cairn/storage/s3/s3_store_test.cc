// SPDX-License-Identifier: Apache-2.0
// S3Store against moto on 127.0.0.1: started once for this binary by
// tests/scripts/moto.sh (or taken from CAIRN_TEST_S3_ENDPOINT when a script already
// started one), with dummy credentials passed as settings, never read from the
// real environment. Ends with the ObjectStore conformance suite.
#include "cairn/storage/s3/s3_store.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "cairn/base/log.h"
#include "cairn/storage/testing/conformance.h"
#include "cairn/testing/peer_environment.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage::s3 {
namespace {

using ::cairn::storage::testing::StoreConformanceTest;
using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;

MATCHER_P(IsOkAndHolds, matcher, "is OK and holds a value that matches") {
  if (!arg.ok()) {
    *result_listener << "whose status is " << arg.status().ToString();
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
}

// moto, started once for this binary and stopped at the end.
::cairn::testing::PeerEnvironment* const kMoto =  // NOLINT(cert-err58-cpp)
    ::cairn::testing::AddPeerEnvironment({.name = "moto",
                                          .script = "moto.sh",
                                          .required = {"CAIRN_TEST_S3_ENDPOINT"},
                                          .pidfile = "CAIRN_MOTO_PIDFILE"});

credentials::AwsSettings MotoSettings() {
  credentials::AwsSettings settings;
  settings.credentials.access_key_id = "testing";
  settings.credentials.secret_access_key = "testing";
  settings.credentials.source = "test settings";
  settings.region = "us-east-1";
  settings.endpoint_url = kMoto->Endpoint();
  return settings;
}

std::shared_ptr<S3Store> MakeStore(int max_keys_per_page = 1000,
                                   credentials::AwsSettings settings = MotoSettings()) {
  S3StoreOptions options{.settings = std::move(settings),
                         .max_keys_per_page = max_keys_per_page};
  options.http.retry.base_delay = std::chrono::milliseconds(10);
  Result<std::shared_ptr<S3Store>> store = S3Store::Make(options);
  CAIRN_CHECK(store.ok());
  return *store;
}

// Writes to moto through the store's own endpoint, credentials and HTTP client.
class MotoWriter {
 public:
  explicit MotoWriter(std::shared_ptr<S3Store> store) : store_(std::move(store)) {}

  Result<net::Response> Send(std::string_view method, const S3Target& target,
                             std::string body = {}, net::Headers headers = {}) {
    // moto stores a body sent with a form content type as empty.
    headers.emplace_back("Content-Type", "application/octet-stream");
    const net::Request request = store_->Requests().Build(
        method, target, "us-east-1", std::move(headers), std::move(body));
    CAIRN_ASSIGN_OR_RETURN(net::Response response, store_->Http().Perform(request));
    if (response.status >= 300) {
      return InternalError(std::string(method) + " " + request.url + " answered " +
                           std::to_string(response.status) + ": " + response.body);
    }
    return response;
  }

  Status CreateBucket(const std::string& bucket, bool versioned) {
    CAIRN_RETURN_IF_ERROR(Send("PUT", {.bucket = bucket}).status());
    if (!versioned) {
      return Status::Ok();
    }
    return Send("PUT", {.bucket = bucket, .query = {{"versioning", ""}}},
                "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/"
                "2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>")
        .status();
  }

  /// Returns the new version id ("" in an unversioned bucket).
  Result<std::string> Put(const std::string& bucket, const std::string& key,
                          std::string bytes) {
    CAIRN_ASSIGN_OR_RETURN(net::Response response,
                           Send("PUT", {.bucket = bucket, .key = key}, std::move(bytes)));
    const std::string version = response.Header("x-amz-version-id").value_or("");
    return version == "null" ? std::string() : version;
  }

  Status Delete(const std::string& bucket, const std::string& key) {
    return Send("DELETE", {.bucket = bucket, .key = key}).status();
  }

 private:
  std::shared_ptr<S3Store> store_;
};

std::string NewBucketName() {
  static std::atomic<int> counter{0};
  return "cairn-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

uri::Uri S3Uri(const std::string& bucket, const std::string& key) {
  uri::Uri uri;
  uri.scheme = "s3";
  uri.authority = bucket;
  uri.path = key;
  return uri;
}

ObjectRef RefTo(uri::Uri uri) {
  return {.uri = std::move(uri), .version_id = "", .etag = ""};
}

class S3StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(kMoto->Endpoint().empty()) << "moto is not running";
    ASSERT_OK(writer_.CreateBucket(bucket_, /*versioned=*/true));
  }

  std::string MustPut(const std::string& key, std::string bytes) {
    Result<std::string> version = writer_.Put(bucket_, key, std::move(bytes));
    EXPECT_OK(version);
    return version.ok() ? *version : "";
  }

  ObjectRef Ref(const std::string& key, std::string version_id = "",
                std::string etag = "") {
    return {.uri = S3Uri(bucket_, key),
            .version_id = std::move(version_id),
            .etag = std::move(etag)};
  }

  Result<std::string> ReadAll(const ObjectRef& ref, const ReadOptions& options = {}) {
    StringSink sink;
    CAIRN_RETURN_IF_ERROR(store_->Read(ref, options, sink));
    return sink.data();
  }

  Result<std::vector<ObjectInfo>> ListAll(const std::string& prefix,
                                          const ListOptions& options = {}) {
    std::vector<ObjectInfo> infos;
    CAIRN_RETURN_IF_ERROR(
        store_->List(S3Uri(bucket_, prefix), options, [&](const ObjectInfo& info) {
          infos.push_back(info);
          return Status::Ok();
        }));
    return infos;
  }

  Result<std::vector<std::string>> ListKeys(const std::string& prefix,
                                            const ListOptions& options = {}) {
    CAIRN_ASSIGN_OR_RETURN(const std::vector<ObjectInfo> infos, ListAll(prefix, options));
    std::vector<std::string> keys;
    keys.reserve(infos.size());
    for (const ObjectInfo& info : infos) {
      keys.push_back(info.key);
    }
    return keys;
  }

  std::shared_ptr<S3Store> store_ = MakeStore();
  MotoWriter writer_{store_};
  std::string bucket_ = NewBucketName();
};

TEST_F(S3StoreTest, StatFindsAnObjectButNotItsPrefix) {
  MustPut("data/x.txt", "hello");

  const Result<ObjectInfo> object = store_->Stat(Ref("data/x.txt"));
  ASSERT_OK(object);
  EXPECT_EQ(object->uri, S3Uri(bucket_, "data/x.txt"));
  EXPECT_EQ(object->key, "data/x.txt");
  EXPECT_EQ(object->size_bytes, 5);
  EXPECT_EQ(object->etag, "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(object->md5_base64, "XUFAKrxLKna5cZ2REBfFkg==");
  EXPECT_FALSE(object->version_id.empty());
  EXPECT_THAT(
      object->last_modified,
      ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));

  EXPECT_THAT(store_->Stat(Ref("data")),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("stating s3://" + bucket_ + "/data: NotFound (404")));
  EXPECT_THAT(store_->Stat(Ref("data/")),
              StatusIs(StatusCode::kNotFound, HasSubstr("names a prefix")));
}

TEST_F(S3StoreTest, ListsThousandsOfObjectsAcrossPagesWithOneRequestPerPage) {
  constexpr int kObjects = 2500;
  std::vector<std::string> expected;
  for (int i = 0; i < kObjects; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "many/%05d", i);
    expected.emplace_back(key);
  }
  std::vector<std::thread> writers;
  writers.reserve(4);
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      MotoWriter writer(store_);
      for (int i = t; i < kObjects; i += 4) {
        if (!writer.Put(bucket_, expected[i], "x").ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& writer : writers) {
    writer.join();
  }
  ASSERT_EQ(failures.load(), 0);

  for (const bool want_versions : {true, false}) {
    SCOPED_TRACE(want_versions ? "ListObjectVersions" : "ListObjectsV2");
    std::ostringstream captured;
    const auto logger = log::Get("net");
    logger->sinks().push_back(std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
    log::SetLevel(log::Level::kDebug);
    const Result<std::vector<std::string>> keys =
        ListKeys("many/", {.want_versions = want_versions});
    log::SetLevel(log::Level::kWarn);
    logger->sinks().pop_back();

    ASSERT_OK(keys);
    EXPECT_THAT(*keys, ElementsAreArray(expected));
    const std::string log_text = captured.str();
    std::size_t requests = 0;
    for (auto at = log_text.find(" status="); at != std::string::npos;
         at = log_text.find(" status=", at + 1)) {
      ++requests;
    }
    EXPECT_EQ(requests, 3U) << "one GET per page of 1000, no HEADs:\n" << log_text;
    EXPECT_THAT(log_text, Not(HasSubstr("HEAD ")));
  }
}

TEST_F(S3StoreTest, SmallPagesStillVisitEveryObjectOnce) {
  for (const char* key : {"p/a", "p/b", "p/c", "p/d", "p/e"}) {
    MustPut(key, "v1");
  }
  MustPut("p/c", "v2");  // an old version between pages must not show up
  const std::shared_ptr<S3Store> paging = MakeStore(/*max_keys_per_page=*/2);

  for (const bool want_versions : {true, false}) {
    SCOPED_TRACE(want_versions);
    std::vector<std::string> keys;
    ASSERT_OK(paging->List(S3Uri(bucket_, "p/"), {.want_versions = want_versions},
                           [&](const ObjectInfo& info) {
                             keys.push_back(info.key);
                             return Status::Ok();
                           }));
    EXPECT_THAT(keys, ElementsAre("p/a", "p/b", "p/c", "p/d", "p/e"));
  }
}

TEST_F(S3StoreTest, ListReportsLatestVersionIdsOnlyWhenAsked) {
  MustPut("v/obj", "old");
  const std::string latest = MustPut("v/obj", "newer");
  const std::string other = MustPut("v/other", "x");

  const Result<std::vector<ObjectInfo>> with = ListAll("v/", {.want_versions = true});
  const Result<std::vector<ObjectInfo>> without = ListAll("v/", {.want_versions = false});

  ASSERT_OK(with);
  ASSERT_EQ(with->size(), 2U);
  EXPECT_EQ((*with)[0].version_id, latest);
  EXPECT_EQ((*with)[0].size_bytes, 5);
  EXPECT_EQ((*with)[0].etag, "0c10f4a0c12ba89211235026b861263d");
  EXPECT_EQ((*with)[1].version_id, other);
  ASSERT_OK(without);
  ASSERT_EQ(without->size(), 2U);
  EXPECT_EQ((*without)[0].version_id, "");
  EXPECT_EQ((*without)[0].size_bytes, 5);
  EXPECT_EQ((*without)[0].md5_base64, (*with)[0].md5_base64);
}

TEST_F(S3StoreTest, DeletedObjectsAreNotListed) {
  MustPut("d/kept", "x");
  MustPut("d/gone", "x");
  ASSERT_OK(writer_.Delete(bucket_, "d/gone"));

  EXPECT_THAT(ListKeys("d/", {.want_versions = true}),
              IsOkAndHolds(ElementsAre("d/kept")));
}

TEST_F(S3StoreTest, PinnedVersionReadsTheOldBytesAfterAnOverwrite) {
  const std::string old_version = MustPut("pin/obj", "first");
  const std::string new_version = MustPut("pin/obj", "second!");
  ASSERT_NE(old_version, new_version);

  const Result<ObjectInfo> old_info = store_->Stat(Ref("pin/obj", old_version));
  const Result<std::string> old_bytes = ReadAll(Ref("pin/obj", old_version));
  const Result<std::string> latest = ReadAll(Ref("pin/obj"));

  ASSERT_OK(old_info);
  EXPECT_EQ(old_info->version_id, old_version);
  EXPECT_EQ(old_info->size_bytes, 5);
  EXPECT_THAT(old_bytes, IsOkAndHolds(std::string("first")));
  ASSERT_OK(latest);
  EXPECT_EQ(*latest, "second!");
}

TEST_F(S3StoreTest, MissingVersionIsNotFound) {
  MustPut("pin/obj", "x");

  EXPECT_THAT(store_->Stat(Ref("pin/obj", "no-such-version")),
              StatusIs(StatusCode::kNotFound, HasSubstr("pin/obj")));
}

TEST_F(S3StoreTest, EtagMismatchIsFailedPrecondition) {
  MustPut("e/obj", "content");
  const Result<ObjectInfo> info = store_->Stat(Ref("e/obj"));
  ASSERT_OK(info);
  StringSink sink;

  EXPECT_OK(store_->Stat(Ref("e/obj", "", info->etag)));
  EXPECT_THAT(store_->Stat(Ref("e/obj", "", "0123")),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("stating s3://" + bucket_ + "/e/obj")));
  EXPECT_THAT(store_->Read(Ref("e/obj", "", "0123"), {}, sink),
              StatusIs(StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("reading s3://" + bucket_ + "/e/obj"),
                             HasSubstr("PreconditionFailed (412"))));
  EXPECT_EQ(sink.data(), "");
}

TEST_F(S3StoreTest, MissingObjectAndBucketAreNotFound) {
  StringSink sink;

  EXPECT_THAT(store_->Read(Ref("absent"), {}, sink),
              StatusIs(StatusCode::kNotFound,
                       AllOf(HasSubstr("reading s3://" + bucket_ + "/absent"),
                             HasSubstr("NoSuchKey (404"))));
  const uri::Uri no_bucket = S3Uri("cairn-no-such-bucket", "k");
  EXPECT_THAT(store_->Stat(RefTo(no_bucket)),
              StatusIs(StatusCode::kNotFound, ::testing::_));
  EXPECT_THAT(
      store_->List(S3Uri("cairn-no-such-bucket", "p/"), {},
                   [](const ObjectInfo&) { return Status::Ok(); }),
      StatusIs(StatusCode::kNotFound, AllOf(HasSubstr("NoSuchBucket (404"),
                                            HasSubstr("the bucket does not exist"))));
  EXPECT_EQ(sink.data(), "");
}

TEST_F(S3StoreTest, ZeroByteObjectIsKeptAndFolderMarkerDropped) {
  MustPut("f/", "");
  MustPut("f/empty", "");
  MustPut("f/sub/", "");
  MustPut("f/sub/x", "x");

  const Result<std::vector<ObjectInfo>> infos = ListAll("f/");
  const Result<std::string> bytes = ReadAll(Ref("f/empty"));

  ASSERT_OK(infos);
  ASSERT_EQ(infos->size(), 2U);
  EXPECT_EQ((*infos)[0].key, "f/empty");
  EXPECT_EQ((*infos)[0].size_bytes, 0);
  EXPECT_EQ((*infos)[1].key, "f/sub/x");
  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "");
}

TEST_F(S3StoreTest, PrefixCoversWholeSegmentsOnlyWhenItEndsInSlash) {
  for (const char* key : {"data/a", "data/b/c", "data2/x", "dat"}) {
    MustPut(key, key);
  }

  EXPECT_THAT(ListKeys("data/"), IsOkAndHolds(ElementsAre("data/a", "data/b/c")));
  EXPECT_THAT(ListKeys("data"),
              IsOkAndHolds(ElementsAre("data/a", "data/b/c", "data2/x")));
}

TEST_F(S3StoreTest, OddKeysRoundTripByteExact) {
  std::vector<std::string> keys = {
      "odd/a b",         "odd/a+b",  "odd/hash#x",   "odd/q?x=1&y",   "odd/pct%20",
      "odd/caf\xC3\xA9", "odd/a//b", "odd/dots/./x", "odd/dots/../y", "odd/~!$'()*,;=@"};
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    MustPut(key, "content of " + key);
  }

  for (const std::string& key : keys) {
    SCOPED_TRACE(key);
    const Result<ObjectInfo> info = store_->Stat(Ref(key));
    ASSERT_OK(info);
    EXPECT_EQ(info->key, key);
    EXPECT_EQ(info->size_bytes, static_cast<std::int64_t>(key.size() + 11));
    EXPECT_THAT(ReadAll(Ref(key)), IsOkAndHolds("content of " + key));
  }
  for (const bool want_versions : {true, false}) {
    SCOPED_TRACE(want_versions);
    EXPECT_THAT(ListKeys("odd/", {.want_versions = want_versions}),
                IsOkAndHolds(ElementsAreArray(keys)));
  }
}

TEST_F(S3StoreTest, ReadHonoursRanges) {
  MustPut("r/digits", "0123456789");

  EXPECT_THAT(ReadAll(Ref("r/digits"), {.offset = 3, .length = 4}),
              IsOkAndHolds(std::string("3456")));
  EXPECT_THAT(ReadAll(Ref("r/digits"), {.offset = 7, .length = -1}),
              IsOkAndHolds(std::string("789")));
  EXPECT_THAT(ReadAll(Ref("r/digits"), {.offset = 0, .length = 0}),
              IsOkAndHolds(std::string("")));
}

TEST_F(S3StoreTest, MaxObjectsIsEnforcedWithTheCount) {
  for (const char* key : {"m/a", "m/b", "m/c"}) {
    MustPut(key, "x");
  }

  EXPECT_THAT(ListKeys("m/", {.max_objects = 2}),
              StatusIs(StatusCode::kResourceExhausted,
                       HasSubstr("listing s3://" + bucket_ +
                                 "/m/: more than 2 objects (max_objects=2)")));
  EXPECT_THAT(ListKeys("m/", {.max_objects = 3}),
              IsOkAndHolds(ElementsAre("m/a", "m/b", "m/c")));
}

TEST_F(S3StoreTest, UnversionedBucketReportsNoVersionIds) {
  const std::string plain = NewBucketName();
  ASSERT_OK(writer_.CreateBucket(plain, /*versioned=*/false));
  ASSERT_OK(writer_.Put(plain, "u/obj", "x"));

  const Result<ObjectInfo> info = store_->Stat(RefTo(S3Uri(plain, "u/obj")));
  std::vector<std::string> versions;
  ASSERT_OK(store_->List(S3Uri(plain, "u/"), {.want_versions = true},
                         [&](const ObjectInfo& object) {
                           versions.push_back(object.version_id);
                           return Status::Ok();
                         }));

  ASSERT_OK(info);
  EXPECT_EQ(info->version_id, "");
  EXPECT_THAT(versions, ElementsAre(""));
}

TEST_F(S3StoreTest, AnonymousRequestIsRefusedWithAClearError) {
  MustPut("anon/obj", "x");
  credentials::AwsSettings anonymous = MotoSettings();
  anonymous.credentials = credentials::AwsCredentials();
  anonymous.credentials.source = "none (anonymous)";
  const std::shared_ptr<S3Store> store = MakeStore(1000, anonymous);
  StringSink sink;

  EXPECT_THAT(store->Read(Ref("anon/obj"), {}, sink),
              StatusIs(StatusCode::kUnauthenticated,
                       AllOf(HasSubstr("reading s3://" + bucket_ + "/anon/obj"),
                             HasSubstr("(403"), HasSubstr("sent anonymously"),
                             HasSubstr("set AWS_ACCESS_KEY_ID"))));
  EXPECT_THAT(store->Stat(Ref("anon/obj")),
              StatusIs(StatusCode::kUnauthenticated, HasSubstr("sent anonymously")));
}

TEST_F(S3StoreTest, ConcurrentReadsShareOneStore) {
  MustPut("c/obj", std::string(100'000, 'z'));
  std::atomic<int> good{0};

  std::vector<std::thread> readers;
  readers.reserve(8);
  for (int t = 0; t < 8; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        const Result<std::string> bytes = ReadAll(Ref("c/obj"));
        if (bytes.ok() && *bytes == std::string(100'000, 'z')) {
          ++good;
        }
      }
    });
  }
  for (std::thread& reader : readers) {
    reader.join();
  }

  EXPECT_EQ(good.load(), 40);
}

TEST(OpenS3StoreTest, BucketlessUriIsInvalidArgument) {
  EXPECT_THAT(OpenS3Store(S3Uri("", ""), {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("needs a bucket")));
}

TEST(OpenS3StoreTest, MalformedEndpointIsInvalidArgument) {
  EXPECT_THAT(
      OpenS3Store(S3Uri("b", "k"), {.s3_endpoint = "127.0.0.1:9000", .s3_region = ""}),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("is not an http:// or https:// URL")));
}

TEST(OpenS3StoreTest, OptionsPointTheStoreAtMoto) {
  const Result<std::shared_ptr<ObjectStore>> store = OpenS3Store(
      S3Uri("b", "k"), {.s3_endpoint = kMoto->Endpoint(), .s3_region = "us-east-1"});

  ASSERT_OK(store);
  EXPECT_EQ((*store)->Scheme(), "s3");
  EXPECT_TRUE((*store)->Features().has_versions);
}

// The conformance suite, on one versioned bucket with a fresh prefix per case.
class MotoFixture final : public testing::StoreFixture {
 public:
  MotoFixture() {
    static std::atomic<int> cases{0};
    prefix_ = "case-" + std::to_string(++cases) + "/";
  }

  Status Init() {
    static const std::string bucket = NewBucketName();
    static const Status created = writer_.CreateBucket(bucket, /*versioned=*/true);
    bucket_ = bucket;
    return created;
  }

  std::shared_ptr<ObjectStore> Store() override { return store_; }
  uri::Uri BasePrefix() override { return S3Uri(bucket_, prefix_); }
  Result<std::string> Put(std::string_view key, std::string_view bytes) override {
    return writer_.Put(bucket_, prefix_ + std::string(key), std::string(bytes));
  }
  Status Delete(std::string_view key) override {
    return writer_.Delete(bucket_, prefix_ + std::string(key));
  }
  bool CanCreateFolderMarkers() const override { return true; }
  bool KeepsEmptySegments() const override { return true; }

 private:
  std::shared_ptr<S3Store> store_ = MakeStore();
  MotoWriter writer_{store_};
  std::string bucket_;
  std::string prefix_;
};

Result<std::unique_ptr<testing::StoreFixture>> MakeMotoFixture() {
  auto fixture = std::make_unique<MotoFixture>();
  CAIRN_RETURN_IF_ERROR(fixture->Init());
  return std::unique_ptr<testing::StoreFixture>(std::move(fixture));
}

INSTANTIATE_TEST_SUITE_P(Moto, StoreConformanceTest,
                         ::testing::Values(testing::ConformanceParam{"s3_moto",
                                                                     &MakeMotoFixture}),
                         testing::ConformanceParamName);

}  // namespace
}  // namespace cairn::storage::s3
