// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/local/local_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "cairn/base/log.h"
#include "cairn/storage/testing/conformance.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage::local {
namespace {

namespace fs = std::filesystem;
using ::cairn::storage::testing::StoreConformanceTest;
using ::cairn::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("cairn_local_store_test_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& Path() const { return path_; }

 private:
  fs::path path_;
};

void WriteFile(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

uri::Uri FileUri(const fs::path& path) {
  uri::Uri uri;
  uri.scheme = "file";
  uri.path = path.string();
  return uri;
}

ObjectRef Ref(const fs::path& path) {
  ObjectRef ref;
  ref.uri = FileUri(path);
  return ref;
}

class LocalFixture final : public testing::StoreFixture {
 public:
  std::shared_ptr<ObjectStore> Store() override { return store_; }
  uri::Uri BasePrefix() override { return FileUri(dir_.Path().string() + "/"); }
  Result<std::string> Put(std::string_view key, std::string_view bytes) override {
    WriteFile(dir_.Path() / key, bytes);
    return std::string();
  }
  Status Delete(std::string_view key) override {
    std::error_code error;
    fs::remove(dir_.Path() / key, error);
    return error ? InternalError(error.message()) : Status::Ok();
  }
  bool CanCreateFolderMarkers() const override { return false; }
  bool KeepsEmptySegments() const override { return false; }

 private:
  TempDir dir_;
  std::shared_ptr<ObjectStore> store_ = std::make_shared<LocalStore>();
};

Result<std::unique_ptr<testing::StoreFixture>> MakeLocalFixture() {
  return std::unique_ptr<testing::StoreFixture>(std::make_unique<LocalFixture>());
}

INSTANTIATE_TEST_SUITE_P(Local, StoreConformanceTest,
                         ::testing::Values(testing::ConformanceParam{"local",
                                                                     &MakeLocalFixture}),
                         testing::ConformanceParamName);

class LocalStoreTest : public ::testing::Test {
 protected:
  std::vector<std::string> ListPaths(const fs::path& prefix, Status* status_out) {
    std::vector<std::string> paths;
    *status_out = store_.List(FileUri(prefix), {}, [&](const ObjectInfo& info) {
      paths.push_back(info.uri.path.substr(dir_.Path().string().size()));
      return Status::Ok();
    });
    return paths;
  }

  TempDir dir_;
  LocalStore store_;
};

TEST_F(LocalStoreTest, FeaturesAreRangesOnly) {
  const StoreFeatures features = store_.Features();
  EXPECT_TRUE(features.has_ranges);
  EXPECT_FALSE(features.has_versions);
  EXPECT_FALSE(features.has_content_md5);
  EXPECT_FALSE(features.has_etags);
  EXPECT_EQ(store_.Scheme(), "file");
}

TEST_F(LocalStoreTest, StatReportsIdentityAndUtcTimeFromTheFile) {
  const fs::path path = dir_.Path() / "f.bin";
  WriteFile(path, "12345");
  const struct timespec times[2] = {{.tv_sec = 1780000000, .tv_nsec = 123456789},
                                    {.tv_sec = 1780000000, .tv_nsec = 123456789}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);

  auto object = store_.Stat(Ref(path));

  ASSERT_OK(object);
  EXPECT_EQ(object->key, path.string());
  EXPECT_EQ(object->size_bytes, 5);
  EXPECT_EQ(object->last_modified, "2026-05-28T20:26:40Z");
  EXPECT_EQ(
      object->file_identity,
      std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino) +
          ":5:1780000000123456789:" +
          std::to_string(info.st_ctim.tv_sec * 1'000'000'000 + info.st_ctim.tv_nsec));
  EXPECT_EQ(object->md5_base64, "");
  EXPECT_EQ(object->etag, "");
}

TEST_F(LocalStoreTest, RewriteWithMtimeRestoredChangesTheIdentity) {
  const fs::path path = dir_.Path() / "same-size.txt";
  WriteFile(path, "alpha");
  const timespec times[2] = {{.tv_sec = 1780000000, .tv_nsec = 0},
                             {.tv_sec = 1780000000, .tv_nsec = 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  auto before = store_.Stat(Ref(path));
  ASSERT_OK(before);

  // The kernel's file clock is coarse (a few ms): wait, bounded, until it has
  // moved past the first ctime, so the rewrite below cannot share it.
  const fs::path tick = dir_.Path() / "tick";
  struct stat first {};
  ASSERT_EQ(::stat(path.c_str(), &first), 0);
  for (int i = 0; i < 100000; ++i) {
    WriteFile(tick, "t");
    struct stat now {};
    ASSERT_EQ(::stat(tick.c_str(), &now), 0);
    if (now.st_ctim.tv_sec != first.st_ctim.tv_sec ||
        now.st_ctim.tv_nsec != first.st_ctim.tv_nsec) {
      break;
    }
  }

  // Same size, mtime put back: only ctime moves.
  WriteFile(path, "omega");
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  auto after = store_.Stat(Ref(path));

  ASSERT_OK(after);
  EXPECT_EQ(after->last_modified, before->last_modified);
  EXPECT_NE(after->file_identity, before->file_identity);
}

TEST_F(LocalStoreTest, StatOfDirectoryIsNotFound) {
  fs::create_directories(dir_.Path() / "d");
  EXPECT_THAT(store_.Stat(Ref(dir_.Path() / "d")),
              StatusIs(StatusCode::kNotFound, HasSubstr("directory")));
}

TEST_F(LocalStoreTest, PinsAreUnimplementedAndOtherSchemesInvalid) {
  WriteFile(dir_.Path() / "f", "x");
  ObjectRef pinned = Ref(dir_.Path() / "f");
  pinned.version_id = "v1";
  ObjectRef with_etag = Ref(dir_.Path() / "f");
  with_etag.etag = "abc";
  StringSink sink;
  ObjectRef s3 = Ref(dir_.Path() / "f");
  s3.uri.scheme = "s3";

  EXPECT_THAT(store_.Stat(pinned),
              StatusIs(StatusCode::kUnimplemented, HasSubstr("pin")));
  EXPECT_THAT(store_.Read(with_etag, {}, sink),
              StatusIs(StatusCode::kUnimplemented, HasSubstr("pin")));
  EXPECT_THAT(store_.Stat(s3),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("s3://")));
}

TEST_F(LocalStoreTest, SymlinkToFileIsReportedAtTheLinkPath) {
  WriteFile(dir_.Path() / "real/target.txt", "target bytes");
  fs::create_symlink(dir_.Path() / "real/target.txt", dir_.Path() / "link.txt");

  auto info = store_.Stat(Ref(dir_.Path() / "link.txt"));
  Status status;
  const std::vector<std::string> paths = ListPaths(dir_.Path() / "", &status);

  ASSERT_OK(info);
  EXPECT_EQ(info->size_bytes, 12);
  EXPECT_EQ(info->key, (dir_.Path() / "link.txt").string());
  ASSERT_OK(status);
  EXPECT_THAT(paths, ElementsAre("/link.txt", "/real/target.txt"));
}

TEST_F(LocalStoreTest, SymlinkToDirectoryIsNotDescendedAndIsLogged) {
  WriteFile(dir_.Path() / "real/a", "a");
  fs::create_directory_symlink(dir_.Path() / "real", dir_.Path() / "alias");
  fs::create_directory_symlink(dir_.Path(), dir_.Path() / "real/loop");
  std::ostringstream captured;
  auto logger = log::Get("storage.local");
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  logger->sinks().push_back(sink);

  Status status;
  const std::vector<std::string> paths = ListPaths(dir_.Path() / "", &status);
  logger->sinks().pop_back();

  ASSERT_OK(status);
  EXPECT_THAT(paths, ElementsAre("/real/a"));
  EXPECT_THAT(captured.str(), HasSubstr((dir_.Path() / "alias").string()));
  EXPECT_THAT(captured.str(), HasSubstr((dir_.Path() / "real/loop").string()));
}

TEST_F(LocalStoreTest, DanglingSymlinkFailsTheListingNamingIt) {
  WriteFile(dir_.Path() / "a", "a");
  fs::create_symlink(dir_.Path() / "gone", dir_.Path() / "b-dangling");

  Status status;
  static_cast<void>(ListPaths(dir_.Path() / "", &status));

  EXPECT_THAT(status, StatusIs(StatusCode::kNotFound,
                               HasSubstr((dir_.Path() / "b-dangling").string())));
  EXPECT_THAT(store_.Stat(Ref(dir_.Path() / "b-dangling")),
              StatusIs(StatusCode::kNotFound, ::testing::_));
}

TEST_F(LocalStoreTest, FifoIsSkippedByListAndNotFoundByStat) {
  WriteFile(dir_.Path() / "a", "a");
  ASSERT_EQ(::mkfifo((dir_.Path() / "pipe").c_str(), 0600), 0);

  Status status;
  const std::vector<std::string> paths = ListPaths(dir_.Path() / "", &status);

  ASSERT_OK(status);
  EXPECT_THAT(paths, ElementsAre("/a"));
  EXPECT_THAT(store_.Stat(Ref(dir_.Path() / "pipe")),
              StatusIs(StatusCode::kNotFound, HasSubstr("not a regular file")));
}

TEST_F(LocalStoreTest, ReadOfFifoIsNotFoundWithoutWaitingForAWriter) {
  const fs::path pipe = dir_.Path() / "pipe";
  ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0);
  StringSink sink;

  EXPECT_THAT(store_.Read(Ref(pipe), {}, sink),
              StatusIs(StatusCode::kNotFound, HasSubstr("not a regular file")));
  EXPECT_EQ(sink.data(), "");
}

TEST_F(LocalStoreTest, HugeLengthReadsToTheEndWithoutOverflow) {
  WriteFile(dir_.Path() / "r", "0123456789");
  StringSink sink;

  ASSERT_OK(store_.Read(Ref(dir_.Path() / "r"),
                        {.offset = 7, .length = std::numeric_limits<std::int64_t>::max()},
                        sink));

  EXPECT_EQ(sink.data(), "789");
}

TEST_F(LocalStoreTest, EmptyDirectoriesListNothing) {
  fs::create_directories(dir_.Path() / "e/f/g");
  WriteFile(dir_.Path() / "e/z", "z");

  Status status;
  const std::vector<std::string> paths = ListPaths(dir_.Path() / "e/", &status);

  ASSERT_OK(status);
  EXPECT_THAT(paths, ElementsAre("/e/z"));
}

TEST_F(LocalStoreTest, ListingAFileAsDirectoryVisitsNothing) {
  WriteFile(dir_.Path() / "plain", "p");

  Status status;
  const std::vector<std::string> paths = ListPaths(dir_.Path() / "plain/", &status);

  ASSERT_OK(status);
  EXPECT_TRUE(paths.empty());
}

TEST_F(LocalStoreTest, UnreadableDirectoryIsPermissionDenied) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "root reads every directory; run as another user to cover this";
  }
  WriteFile(dir_.Path() / "locked/x", "x");
  fs::permissions(dir_.Path() / "locked", fs::perms::none);

  Status status;
  static_cast<void>(ListPaths(dir_.Path() / "", &status));
  fs::permissions(dir_.Path() / "locked", fs::perms::owner_all);

  EXPECT_THAT(status, StatusIs(StatusCode::kPermissionDenied,
                               HasSubstr((dir_.Path() / "locked").string())));
}

TEST_F(LocalStoreTest, BadRangesAreInvalidArgument) {
  WriteFile(dir_.Path() / "r", "0123456789");
  StringSink sink;

  EXPECT_THAT(store_.Read(Ref(dir_.Path() / "r"), {.offset = 11}, sink),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("past the end")));
  EXPECT_THAT(store_.Read(Ref(dir_.Path() / "r"), {.offset = -1}, sink),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("valid range")));
  EXPECT_THAT(store_.Read(Ref(dir_.Path() / "r"), {.offset = 0, .length = -2}, sink),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("valid range")));
  ASSERT_OK(store_.Read(Ref(dir_.Path() / "r"), {.offset = 10}, sink));
  EXPECT_EQ(sink.data(), "");
}

TEST_F(LocalStoreTest, ResourceExhaustedMessageNamesPrefixAndLimit) {
  for (const char* name : {"a", "b", "c"}) {
    WriteFile(dir_.Path() / "m" / name, "x");
  }

  const Status status =
      store_.List(FileUri(dir_.Path() / "m/"), {.max_objects = 2},
                  [](const ObjectInfo& /*info*/) { return Status::Ok(); });

  EXPECT_THAT(status,
              StatusIs(StatusCode::kResourceExhausted,
                       MatchesRegex(".*file://.*/m/: stopped at 3 objects, more than "
                                    "max_objects=2; raise max_objects.*")));
}

}  // namespace
}  // namespace cairn::storage::local
