// SPDX-License-Identifier: Apache-2.0
#include "cairn/cache/checksum_cache.h"

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::cache {
namespace {

namespace fs = std::filesystem;
using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Optional;

class ChecksumCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cairn_checksum_cache_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string DbPath() const { return (dir_ / "checksums.db").string(); }

  fs::path dir_;
};

TEST_F(ChecksumCacheTest, ReturnsTheRecordedChecksumForTheSameIdentity) {
  auto cache = ChecksumCache::Open(DbPath());
  ASSERT_OK(cache);
  ASSERT_OK((*cache)->Put({{"/d/a", "1:2:3:4", "md5-a"}, {"/d/b", "1:5:6:7", "md5-b"}}));

  auto a = (*cache)->Lookup("/d/a", "1:2:3:4");
  auto b = (*cache)->Lookup("/d/b", "1:5:6:7");

  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_THAT(*a, Optional(std::string("md5-a")));
  EXPECT_THAT(*b, Optional(std::string("md5-b")));
  EXPECT_EQ((*cache)->Hits(), 2);
  EXPECT_EQ((*cache)->Misses(), 0);
}

TEST_F(ChecksumCacheTest, AChangedIdentityIsAMiss) {
  auto cache = ChecksumCache::Open(DbPath());
  ASSERT_OK(cache);
  ASSERT_OK((*cache)->Put({{"/d/a", "1:2:3:4", "md5-a"}}));

  auto touched = (*cache)->Lookup("/d/a", "1:2:3:5");
  auto unknown = (*cache)->Lookup("/d/other", "1:2:3:4");
  auto no_identity = (*cache)->Lookup("/d/a", "");

  ASSERT_OK(touched);
  EXPECT_EQ(*touched, std::nullopt);
  ASSERT_OK(unknown);
  EXPECT_EQ(*unknown, std::nullopt);
  ASSERT_OK(no_identity);
  EXPECT_EQ(*no_identity, std::nullopt);
  EXPECT_EQ((*cache)->Misses(), 3);
}

TEST_F(ChecksumCacheTest, PutReplacesTheRecordOfAPath) {
  auto cache = ChecksumCache::Open(DbPath());
  ASSERT_OK(cache);
  ASSERT_OK((*cache)->Put({{"/d/a", "1:2:3:4", "old"}}));
  ASSERT_OK((*cache)->Put({{"/d/a", "1:2:9:9", "new"}}));

  auto old_identity = (*cache)->Lookup("/d/a", "1:2:3:4");
  auto new_identity = (*cache)->Lookup("/d/a", "1:2:9:9");

  ASSERT_OK(old_identity);
  EXPECT_EQ(*old_identity, std::nullopt);
  ASSERT_OK(new_identity);
  EXPECT_THAT(*new_identity, Optional(std::string("new")));
}

TEST_F(ChecksumCacheTest, RecordsSurviveReopening) {
  {
    auto cache = ChecksumCache::Open(DbPath());
    ASSERT_OK(cache);
    ASSERT_OK((*cache)->Put({{"/d/a", "1:2:3:4", "md5-a"}}));
  }
  auto reopened = ChecksumCache::Open(DbPath());
  ASSERT_OK(reopened);

  auto a = (*reopened)->Lookup("/d/a", "1:2:3:4");

  ASSERT_OK(a);
  EXPECT_THAT(*a, Optional(std::string("md5-a")));
}

TEST_F(ChecksumCacheTest, TenThousandRecordsInOneBatch) {
  auto cache = ChecksumCache::Open(DbPath());
  ASSERT_OK(cache);
  std::vector<ChecksumRecord> records;
  for (int i = 0; i < 10000; ++i) {
    records.push_back({"/d/" + std::to_string(i), "id" + std::to_string(i),
                       "md5-" + std::to_string(i)});
  }

  ASSERT_OK((*cache)->Put(records));

  for (int i = 0; i < 10000; i += 997) {
    auto found = (*cache)->Lookup("/d/" + std::to_string(i), "id" + std::to_string(i));
    ASSERT_OK(found);
    EXPECT_THAT(*found, Optional("md5-" + std::to_string(i)));
  }
}

TEST_F(ChecksumCacheTest, OpenInAMissingDirectoryIsUnavailable) {
  const std::string path = (dir_ / "missing" / "checksums.db").string();
  EXPECT_THAT(ChecksumCache::Open(path),
              StatusIs(StatusCode::kUnavailable, HasSubstr(path)));
}

}  // namespace
}  // namespace cairn::cache
