// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/testing/conformance.h"

#include <algorithm>
#include <regex>
#include <utility>

#include <gmock/gmock.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::storage::testing {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Records every call, and checks the Restart contract as the bytes arrive.
class RecordingSink final : public ByteSink {
 public:
  Status Write(std::string_view bytes) override {
    data_.append(bytes);
    return Status::Ok();
  }
  Status Restart(std::int64_t offset) override {
    if (offset < 0 || offset > static_cast<std::int64_t>(data_.size())) {
      ADD_FAILURE() << "Restart(" << offset << ") with " << data_.size() << " bytes held";
      return InternalError("bad restart offset");
    }
    data_.resize(static_cast<std::size_t>(offset));
    return Status::Ok();
  }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

// Fails its first write with kAborted.
class FailingSink final : public ByteSink {
 public:
  Status Write(std::string_view /*bytes*/) override {
    ++writes_;
    return AbortedError("sink refuses bytes");
  }
  Status Restart(std::int64_t /*offset*/) override { return Status::Ok(); }
  int Writes() const { return writes_; }

 private:
  int writes_ = 0;
};

// Skips a listing case on a store without listings (http(s): one URL, one file).
#define CAIRN_SKIP_WITHOUT_LISTING()                                     \
  if (!Store().Features().has_listing) {                                 \
    GTEST_SKIP() << "the store has no listing (Features().has_listing)"; \
  }

ObjectRef RefFor(uri::Uri uri, std::string version_id = "", std::string etag = "") {
  return ObjectRef{.uri = std::move(uri),
                   .version_id = std::move(version_id),
                   .etag = std::move(etag)};
}

}  // namespace

void PrintTo(const ConformanceParam& param, std::ostream* out) {
  *out << param.name;
}

std::string ConformanceParamName(const ::testing::TestParamInfo<ConformanceParam>& info) {
  return info.param.name;
}

void StoreConformanceTest::SetUp() {
  auto fixture = GetParam().make_fixture();
  ASSERT_OK(fixture);
  fixture_ = std::move(fixture).value();
  store_ = fixture_->Store();
  base_ = fixture_->BasePrefix();
  ASSERT_TRUE(base_.EndsWithSlash()) << base_.ToString();
}

uri::Uri StoreConformanceTest::UriFor(std::string_view key) const {
  uri::Uri uri = base_;
  uri.path.append(key);
  return uri;
}

std::string StoreConformanceTest::MustPut(std::string_view key, std::string_view bytes) {
  auto version = fixture_->Put(key, bytes);
  EXPECT_OK(version);
  return version.ok() ? *version : std::string();
}

Result<std::vector<std::string>> StoreConformanceTest::ListKeys(
    std::string_view key, std::int64_t max_objects) {
  std::vector<std::string> keys;
  const ListOptions options{.max_objects = max_objects};
  const Status status = store_->List(UriFor(key), options, [&](const ObjectInfo& info) {
    if (!info.uri.path.starts_with(base_.path)) {
      return InternalError("listed " + info.uri.ToString() + " outside the base prefix");
    }
    keys.push_back(info.uri.path.substr(base_.path.size()));
    return Status::Ok();
  });
  if (!status.ok()) {
    return status;
  }
  return keys;
}

Result<std::string> StoreConformanceTest::ReadAll(const ObjectRef& ref,
                                                  const ReadOptions& options) {
  RecordingSink sink;
  CAIRN_RETURN_IF_ERROR(store_->Read(ref, options, sink));
  return sink.data();
}

TEST_P(StoreConformanceTest, StatReportsSizeUriAndTimeOfAnObject) {
  MustPut("dir/obj.txt", "hello");

  auto info = Store().Stat(RefFor(UriFor("dir/obj.txt")));

  ASSERT_OK(info);
  EXPECT_EQ(info->size_bytes, 5);
  EXPECT_EQ(info->uri, UriFor("dir/obj.txt"));
  EXPECT_TRUE(info->key.ends_with("dir/obj.txt")) << info->key;
  EXPECT_TRUE(std::regex_match(info->last_modified,
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)")))
      << info->last_modified;
}

TEST_P(StoreConformanceTest, StatOfMissingObjectIsNotFound) {
  MustPut("present", "x");

  EXPECT_THAT(Store().Stat(RefFor(UriFor("absent"))),
              StatusIs(StatusCode::kNotFound, HasSubstr("absent")));
}

TEST_P(StoreConformanceTest, StatOfPrefixIsNotFound) {
  MustPut("dir/a", "x");

  EXPECT_THAT(Store().Stat(RefFor(UriFor("dir"))),
              StatusIs(StatusCode::kNotFound, ::testing::_));
  EXPECT_THAT(Store().Stat(RefFor(UriFor("dir/"))),
              StatusIs(StatusCode::kNotFound, ::testing::_));
}

TEST_P(StoreConformanceTest, ListVisitsObjectsUnderPrefixInByteOrder) {
  CAIRN_SKIP_WITHOUT_LISTING();
  // "a-b" < "a.txt" < "a/c" byte-wise, while a per-directory walk that sorts
  // names alone would put "a/c" first.
  for (const char* key : {"data/z", "data/a/c", "data/a.txt", "data/a-b", "data2/x",
                          "dat", "other/data/y"}) {
    MustPut(key, key);
  }

  auto keys = ListKeys("data/");

  ASSERT_OK(keys);
  EXPECT_THAT(*keys, ElementsAre("data/a-b", "data/a.txt", "data/a/c", "data/z"));
}

TEST_P(StoreConformanceTest, PrefixWithoutSlashMatchesKeyBytesNotSegments) {
  CAIRN_SKIP_WITHOUT_LISTING();
  for (const char* key : {"data/a", "data2/x", "dat", "datb"}) {
    MustPut(key, key);
  }

  auto keys = ListKeys("data");

  ASSERT_OK(keys);
  EXPECT_THAT(*keys, ElementsAre("data/a", "data2/x"));
}

TEST_P(StoreConformanceTest, ListReportsSizeAndUriOfEachObject) {
  CAIRN_SKIP_WITHOUT_LISTING();
  MustPut("p/one", "1");
  MustPut("p/three", "333");
  std::vector<ObjectInfo> infos;

  ASSERT_OK(Store().List(UriFor("p/"), {}, [&](const ObjectInfo& info) {
    infos.push_back(info);
    return Status::Ok();
  }));

  ASSERT_EQ(infos.size(), 2U);
  EXPECT_EQ(infos[0].uri, UriFor("p/one"));
  EXPECT_EQ(infos[0].size_bytes, 1);
  EXPECT_EQ(infos[1].uri, UriFor("p/three"));
  EXPECT_EQ(infos[1].size_bytes, 3);
  EXPECT_FALSE(infos[1].last_modified.empty());
}

TEST_P(StoreConformanceTest, ListOfEmptyPrefixVisitsNothing) {
  CAIRN_SKIP_WITHOUT_LISTING();
  MustPut("full/x", "x");

  auto keys = ListKeys("empty/");

  ASSERT_OK(keys);
  EXPECT_TRUE(keys->empty());
}

TEST_P(StoreConformanceTest, ZeroByteObjectsAreObjects) {
  MustPut("z/empty", "");
  MustPut("z/full", "x");

  auto info = Store().Stat(RefFor(UriFor("z/empty")));
  auto bytes = ReadAll(RefFor(UriFor("z/empty")));

  if (Store().Features().has_listing) {
    auto keys = ListKeys("z/");
    ASSERT_OK(keys);
    EXPECT_THAT(*keys, ElementsAre("z/empty", "z/full"));
  }
  ASSERT_OK(info);
  EXPECT_EQ(info->size_bytes, 0);
  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "");
}

TEST_P(StoreConformanceTest, ListSkipsFolderMarkers) {
  if (!Fixture().CanCreateFolderMarkers()) {
    GTEST_SKIP() << "this store cannot hold a key ending in '/'";
  }
  MustPut("f/", "");
  MustPut("f/sub/", "");
  MustPut("f/sub/x", "x");

  auto keys = ListKeys("f/");

  ASSERT_OK(keys);
  EXPECT_THAT(*keys, ElementsAre("f/sub/x"));
}

TEST_P(StoreConformanceTest, OddKeysAreByteExact) {
  std::vector<std::string> keys = {"odd/caf\xC3\xA9",   "odd/hash#x", "odd/pct%41",
                                   "odd/plus+eq=amp&",  "odd/q?x=1",  "odd/sp ace",
                                   "odd/tilde~!$'(),;@"};
  if (Fixture().KeepsEmptySegments()) {
    keys.emplace_back("odd/a//b");
  }
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    MustPut(key, "content of " + key);
  }

  for (const std::string& key : keys) {
    SCOPED_TRACE(key);
    auto info = Store().Stat(RefFor(UriFor(key)));
    ASSERT_OK(info);
    EXPECT_EQ(info->size_bytes, static_cast<std::int64_t>(key.size() + 11));
    auto bytes = ReadAll(RefFor(UriFor(key)));
    ASSERT_OK(bytes);
    EXPECT_EQ(*bytes, "content of " + key);
  }
  if (!Store().Features().has_listing) {
    return;
  }
  auto listed = ListKeys("odd/");
  ASSERT_OK(listed);
  EXPECT_EQ(*listed, keys);
}

TEST_P(StoreConformanceTest, OverwriteAndDeleteAreSeenByStatAndRead) {
  MustPut("w/obj", "first");
  MustPut("w/obj", "second!");

  auto info = Store().Stat(RefFor(UriFor("w/obj")));
  auto bytes = ReadAll(RefFor(UriFor("w/obj")));
  ASSERT_OK(info);
  EXPECT_EQ(info->size_bytes, 7);
  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "second!");

  ASSERT_OK(Fixture().Delete("w/obj"));
  EXPECT_THAT(Store().Stat(RefFor(UriFor("w/obj"))),
              StatusIs(StatusCode::kNotFound, ::testing::_));
}

TEST_P(StoreConformanceTest, ReadHonoursOffsetAndLength) {
  MustPut("r/digits", "0123456789");
  struct Case {
    ReadOptions options;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{.offset = 0, .length = -1}, "0123456789"},
      {{.offset = 3, .length = -1}, "3456789"},
      {{.offset = 3, .length = 4}, "3456"},
      {{.offset = 0, .length = 1}, "0"},
      {{.offset = 9, .length = 1}, "9"},
      {{.offset = 8, .length = 100}, "89"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message()
                 << "offset " << c.options.offset << " length " << c.options.length);
    auto bytes = ReadAll(RefFor(UriFor("r/digits")), c.options);
    ASSERT_OK(bytes);
    EXPECT_EQ(*bytes, c.expected);
  }
}

TEST_P(StoreConformanceTest, ReadOfLargeObjectSpansManyChunks) {
  // 2.5 MiB: more than one read chunk of any backend that streams in MiB pieces.
  std::string content((std::size_t{5} << 19), '\0');
  for (std::size_t i = 0; i < content.size(); ++i) {
    content[i] = static_cast<char>((i * 7919) % 253);
  }
  MustPut("big/blob", content);

  auto whole = ReadAll(RefFor(UriFor("big/blob")));
  auto tail = ReadAll(RefFor(UriFor("big/blob")),
                      {.offset = (std::int64_t{1} << 20) + 3, .length = -1});

  ASSERT_OK(whole);
  EXPECT_TRUE(*whole == content) << "read " << whole->size() << " bytes";
  ASSERT_OK(tail);
  EXPECT_TRUE(*tail == content.substr((std::size_t{1} << 20) + 3));
}

TEST_P(StoreConformanceTest, ReadOfMissingObjectIsNotFound) {
  MustPut("present", "x");
  RecordingSink sink;

  EXPECT_THAT(Store().Read(RefFor(UriFor("absent")), {}, sink),
              StatusIs(StatusCode::kNotFound, HasSubstr("absent")));
  EXPECT_EQ(sink.data(), "");
}

TEST_P(StoreConformanceTest, ReadReturnsTheSinksFirstError) {
  MustPut("s/obj", "bytes");
  FailingSink sink;

  EXPECT_THAT(Store().Read(RefFor(UriFor("s/obj")), {}, sink),
              StatusIs(StatusCode::kAborted, HasSubstr("sink refuses bytes")));
  EXPECT_EQ(sink.Writes(), 1);
}

TEST_P(StoreConformanceTest, ReadRestartsOnlyWithinBytesAlreadySent) {
  // RecordingSink fails the test on a Restart past the bytes it holds; whatever
  // restarts happen, the final bytes must be the object's.
  MustPut("s/obj", "restartable content");
  RecordingSink sink;

  ASSERT_OK(Store().Read(RefFor(UriFor("s/obj")), {}, sink));

  EXPECT_EQ(sink.data(), "restartable content");
}

TEST_P(StoreConformanceTest, MoreObjectsThanMaxObjectsIsResourceExhausted) {
  CAIRN_SKIP_WITHOUT_LISTING();
  for (const char* key : {"m/a", "m/b", "m/c"}) {
    MustPut(key, "x");
  }
  int visited = 0;
  const auto count = [&](const ObjectInfo& /*info*/) {
    ++visited;
    return Status::Ok();
  };

  const Status over = Store().List(UriFor("m/"), {.max_objects = 2}, count);
  EXPECT_THAT(over, StatusIs(StatusCode::kResourceExhausted, HasSubstr("max_objects")));
  EXPECT_EQ(visited, 2);

  visited = 0;
  EXPECT_OK(Store().List(UriFor("m/"), {.max_objects = 3}, count));
  EXPECT_EQ(visited, 3);
}

TEST_P(StoreConformanceTest, ListStopsAtTheVisitorsFirstError) {
  CAIRN_SKIP_WITHOUT_LISTING();
  for (const char* key : {"v/a", "v/b", "v/c"}) {
    MustPut(key, "x");
  }
  int visited = 0;

  const Status status = Store().List(UriFor("v/"), {}, [&](const ObjectInfo& /*info*/) {
    ++visited;
    return AbortedError("visitor stops");
  });

  EXPECT_EQ(status, AbortedError("visitor stops"));
  EXPECT_EQ(visited, 1);
}

TEST_P(StoreConformanceTest, ListOfAStoreWithoutListingIsInvalidArgumentNamingIt) {
  if (Store().Features().has_listing) {
    GTEST_SKIP() << "the store has listings";
  }
  MustPut("nl/a", "x");
  int visited = 0;

  const Status status = Store().List(UriFor("nl/"), {}, [&](const ObjectInfo&) {
    ++visited;
    return Status::Ok();
  });

  EXPECT_THAT(status, StatusIs(StatusCode::kInvalidArgument,
                               HasSubstr(UriFor("nl/").ToString())));
  EXPECT_EQ(visited, 0);
}

TEST_P(StoreConformanceTest, PinnedStatAndReadReturnTheOldVersion) {
  if (!Store().Features().has_versions) {
    GTEST_SKIP() << "the store has no object versions";
  }
  const std::string old_version = MustPut("ver/obj", "old bytes");
  const std::string new_version = MustPut("ver/obj", "new, longer bytes");
  ASSERT_FALSE(old_version.empty());
  ASSERT_NE(old_version, new_version);

  auto old_info = Store().Stat(RefFor(UriFor("ver/obj"), old_version));
  auto old_bytes = ReadAll(RefFor(UriFor("ver/obj"), old_version));
  auto latest = Store().Stat(RefFor(UriFor("ver/obj")));

  ASSERT_OK(old_info);
  EXPECT_EQ(old_info->size_bytes, 9);
  EXPECT_EQ(old_info->version_id, old_version);
  ASSERT_OK(old_bytes);
  EXPECT_EQ(*old_bytes, "old bytes");
  ASSERT_OK(latest);
  EXPECT_EQ(latest->size_bytes, 17);
  EXPECT_EQ(latest->version_id, new_version);
}

TEST_P(StoreConformanceTest, ListReportsTheLatestVersionId) {
  if (!Store().Features().has_versions) {
    GTEST_SKIP() << "the store has no object versions";
  }
  MustPut("lv/obj", "old");
  const std::string latest = MustPut("lv/obj", "new");
  std::vector<std::string> versions;

  ASSERT_OK(
      Store().List(UriFor("lv/"), {.want_versions = true}, [&](const ObjectInfo& info) {
        versions.push_back(info.version_id);
        return Status::Ok();
      }));

  EXPECT_THAT(versions, ElementsAre(latest));
}

TEST_P(StoreConformanceTest, WrongEtagIsFailedPrecondition) {
  if (!Store().Features().has_etags) {
    GTEST_SKIP() << "the store has no ETags";
  }
  MustPut("e/obj", "content");
  auto info = Store().Stat(RefFor(UriFor("e/obj")));
  ASSERT_OK(info);
  ASSERT_FALSE(info->etag.empty());
  RecordingSink sink;

  EXPECT_OK(Store().Stat(RefFor(UriFor("e/obj"), "", info->etag)));
  EXPECT_THAT(Store().Stat(RefFor(UriFor("e/obj"), "", "0000")),
              StatusIs(StatusCode::kFailedPrecondition, ::testing::_));
  EXPECT_THAT(Store().Read(RefFor(UriFor("e/obj"), "", "0000"), {}, sink),
              StatusIs(StatusCode::kFailedPrecondition, ::testing::_));
  EXPECT_EQ(sink.data(), "");
}

TEST_P(StoreConformanceTest, ContentMd5IsReportedByStatAndList) {
  if (!Store().Features().has_content_md5) {
    GTEST_SKIP() << "the store reports no content MD5";
  }
  MustPut("md5/obj", "hello");
  std::vector<std::string> listed;

  auto info = Store().Stat(RefFor(UriFor("md5/obj")));
  ASSERT_OK(Store().List(UriFor("md5/"), {}, [&](const ObjectInfo& object) {
    listed.push_back(object.md5_base64);
    return Status::Ok();
  }));

  ASSERT_OK(info);
  EXPECT_EQ(info->md5_base64, "XUFAKrxLKna5cZ2REBfFkg==");
  EXPECT_THAT(listed, ElementsAre("XUFAKrxLKna5cZ2REBfFkg=="));
}

}  // namespace cairn::storage::testing
