// SPDX-License-Identifier: Apache-2.0
#include "cairn/cache/content_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::cache {
namespace {

namespace fs = std::filesystem;

// The content key of "hello": its MD5, base64.
constexpr char kHelloKey[] = "md5:XUFAKrxLKna5cZ2REBfFkg==";

using ::testing::MatchesRegex;
using ::testing::Optional;
using ::testing::StartsWith;

class ContentCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cairn_content_cache_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto cache = ContentCache::Open((dir_ / "cache").string());
    ASSERT_OK(cache);
    cache_ = std::move(*cache);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void WriteFile(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
  }
  static std::string ReadAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  fs::path dir_;
  std::unique_ptr<ContentCache> cache_;
};

TEST(ContentKeyTest, PrefersTheContentMd5) {
  EXPECT_EQ(ContentCache::ContentKey("XrY7u+Ae7tCTyyK7j1rNww==", "etag1", 5,
                                     "gs://b/a.bin", "7"),
            "md5:XrY7u+Ae7tCTyyK7j1rNww==");
  EXPECT_EQ(ContentCache::ContentKey("", "", 12, "gs://b/a.bin", "7"), "");
}

TEST(ContentKeyTest, EtagKeyNamesTheRefAndThePin) {
  EXPECT_EQ(ContentCache::ContentKey("", "d41d8cd9-2", 12, "gs://b/a.bin", "7"),
            "etag:d41d8cd9-2:size:12:version:7:ref:gs://b/a.bin");
}

TEST(ContentKeyTest, EqualEtagsOfDifferentObjectsGiveDifferentKeys) {
  const std::string key = ContentCache::ContentKey("", "\"x\"", 3, "https://h/a", "");

  EXPECT_NE(ContentCache::ContentKey("", "\"x\"", 3, "https://h/b", ""), key);
  EXPECT_NE(ContentCache::ContentKey("", "\"x\"", 3, "https://h/a", "2"), key);
  EXPECT_EQ(ContentCache::ContentKey("", "\"x\"", 3, "https://h/a", ""), key);
}

TEST_F(ContentCacheTest, ObjectPathIsTwoLevelsOfSha256Hex) {
  const std::string path = cache_->ObjectPath("md5:abc");
  const std::string objects = (dir_ / "cache" / "objects").string() + "/";

  ASSERT_THAT(path, StartsWith(objects));
  EXPECT_THAT(path.substr(objects.size()), MatchesRegex("[0-9a-f]{2}/[0-9a-f]{62}"));
  EXPECT_NE(cache_->ObjectPath("md5:abd"), path);
}

TEST_F(ContentCacheTest, InsertedObjectIsFoundWithItsSize) {
  const std::string temp = cache_->NewTempPath();
  WriteFile(temp, "hello");

  auto inserted = cache_->Insert(kHelloKey, temp);

  ASSERT_OK(inserted);
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(ReadAll(*inserted), "hello");
  EXPECT_THAT(cache_->Lookup(kHelloKey, 5), Optional(*inserted));
  EXPECT_EQ(cache_->Lookup(kHelloKey, 6), std::nullopt);
  EXPECT_EQ(cache_->Lookup("md5:other", 5), std::nullopt);
  EXPECT_EQ(cache_->Hits(), 1);
  EXPECT_EQ(cache_->Misses(), 2);
}

TEST_F(ContentCacheTest, InsertingTheSameKeyTwiceKeepsOneCompleteCopy) {
  const std::string first = cache_->NewTempPath();
  const std::string second = cache_->NewTempPath();
  ASSERT_NE(first, second);
  WriteFile(first, "same bytes");
  WriteFile(second, "same bytes");

  ASSERT_OK(cache_->Insert("md5:k", first));
  auto again = cache_->Insert("md5:k", second);

  ASSERT_OK(again);
  EXPECT_EQ(ReadAll(*again), "same bytes");
  EXPECT_EQ(fs::directory_iterator(dir_ / "cache" / "tmp"), fs::directory_iterator());
}

TEST_F(ContentCacheTest, MaterialiseGivesTheDestinationTheBytes) {
  const std::string temp = cache_->NewTempPath();
  WriteFile(temp, "payload");
  auto object = cache_->Insert("md5:k", temp);
  ASSERT_OK(object);
  const std::string dest = (dir_ / "out.bin").string();

  ASSERT_OK(ContentCache::Materialise(*object, dest));

  EXPECT_EQ(ReadAll(dest), "payload");
  EXPECT_EQ(ReadAll(*object), "payload");
}

TEST_F(ContentCacheTest, ObjectEditedInPlaceIsAMissAndRemoved) {
  const std::string temp = cache_->NewTempPath();
  WriteFile(temp, "hello");
  auto object = cache_->Insert(kHelloKey, temp);
  ASSERT_OK(object);
  fs::permissions(*object, fs::perms::owner_write, fs::perm_options::add);
  WriteFile(*object, "HELLO");

  EXPECT_EQ(cache_->Lookup(kHelloKey, 5), std::nullopt);
  EXPECT_FALSE(fs::exists(*object));
  EXPECT_EQ(cache_->Hits(), 0);
  EXPECT_EQ(cache_->Misses(), 1);
}

TEST_F(ContentCacheTest, EditingAMaterialisedFileLeavesTheObjectIntact) {
  const std::string temp = cache_->NewTempPath();
  WriteFile(temp, "hello");
  auto object = cache_->Insert(kHelloKey, temp);
  ASSERT_OK(object);
  const std::string dest = (dir_ / "out.bin").string();
  ASSERT_OK(ContentCache::Materialise(*object, dest));

  fs::permissions(dest, fs::perms::owner_write, fs::perm_options::add);
  WriteFile(dest, "HELLO");

  EXPECT_EQ(ReadAll(*object), "hello");
  EXPECT_NE(fs::status(dest).permissions() & fs::perms::owner_write, fs::perms::none);
  EXPECT_EQ(fs::hard_link_count(*object), 1u);
  EXPECT_THAT(cache_->Lookup(kHelloKey, 5), Optional(*object));
}

TEST_F(ContentCacheTest, CachedObjectsAreReadOnly) {
  const std::string temp = cache_->NewTempPath();
  WriteFile(temp, "payload");
  auto object = cache_->Insert("md5:k", temp);
  ASSERT_OK(object);

  const fs::perms perms = fs::status(*object).permissions();

  EXPECT_EQ(perms & fs::perms::all,
            fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
}

TEST_F(ContentCacheTest, MaterialiseRefusesAnExistingDestination) {
  const std::string temp = cache_->NewTempPath();
  WriteFile(temp, "payload");
  auto object = cache_->Insert("md5:k", temp);
  ASSERT_OK(object);
  const std::string dest = (dir_ / "out.bin").string();
  WriteFile(dest, "mine");

  EXPECT_THAT(
      ContentCache::Materialise(*object, dest),
      ::cairn::testing::StatusIs(StatusCode::kUnavailable, ::testing::HasSubstr(dest)));
}

}  // namespace
}  // namespace cairn::cache
