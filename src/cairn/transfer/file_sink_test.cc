// SPDX-License-Identifier: Apache-2.0
#include "cairn/transfer/file_sink.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/hash/encoding.h"
#include "cairn/hash/hash.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::transfer {
namespace {

namespace fs = std::filesystem;
using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

class FileSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cairn_file_sink_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string ReadAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  static std::string Md5Of(std::string_view bytes) {
    return hash::Base64Encode(hash::Md5Digest(bytes));
  }

  fs::path dir_;
};

TEST_F(FileSinkTest, WritesBytesAndHashesThem) {
  auto sink = FileSink::Open((dir_ / "out").string(), {.hash_md5 = true});
  ASSERT_OK(sink);

  ASSERT_OK((*sink)->Write("hello "));
  ASSERT_OK((*sink)->Write("world"));
  ASSERT_OK((*sink)->Close());

  EXPECT_EQ(ReadAll(dir_ / "out"), "hello world");
  EXPECT_EQ((*sink)->SizeBytes(), 11);
  EXPECT_EQ((*sink)->Md5Base64(), Md5Of("hello world"));
}

TEST_F(FileSinkTest, RestartKeepsThePrefixAndRehashesIt) {
  auto sink = FileSink::Open((dir_ / "out").string(), {.hash_md5 = true});
  ASSERT_OK(sink);
  ASSERT_OK((*sink)->Write("abcdef"));
  ASSERT_OK((*sink)->Write("XYZ-garbage"));

  ASSERT_OK((*sink)->Restart(6));
  ASSERT_OK((*sink)->Write("ghi"));
  ASSERT_OK((*sink)->Close());

  EXPECT_EQ(ReadAll(dir_ / "out"), "abcdefghi");
  EXPECT_EQ((*sink)->SizeBytes(), 9);
  EXPECT_EQ((*sink)->Md5Base64(), Md5Of("abcdefghi"));
}

TEST_F(FileSinkTest, RestartAtZeroStartsOver) {
  auto sink = FileSink::Open((dir_ / "out").string(), {.hash_md5 = true});
  ASSERT_OK(sink);
  ASSERT_OK((*sink)->Write("first attempt"));

  ASSERT_OK((*sink)->Restart(0));
  ASSERT_OK((*sink)->Write("second"));
  ASSERT_OK((*sink)->Close());

  EXPECT_EQ(ReadAll(dir_ / "out"), "second");
  EXPECT_EQ((*sink)->Md5Base64(), Md5Of("second"));
}

// "123456789" is CRC32C's check string: 0xE3069283, "4waSgw==" in GCS's form.
TEST_F(FileSinkTest, HashesCrc32cAloneAndRebuildsItOnRestart) {
  auto sink = FileSink::Open((dir_ / "out").string(), {.hash_crc32c = true});
  ASSERT_OK(sink);
  ASSERT_OK((*sink)->Write("12345"));
  ASSERT_OK((*sink)->Write("-dropped by the restart"));

  ASSERT_OK((*sink)->Restart(5));
  ASSERT_OK((*sink)->Write("6789"));
  ASSERT_OK((*sink)->Close());

  EXPECT_EQ(ReadAll(dir_ / "out"), "123456789");
  EXPECT_EQ((*sink)->Crc32cBase64(), "4waSgw==");
}

TEST_F(FileSinkTest, HashesMd5AndCrc32cTogether) {
  auto sink =
      FileSink::Open((dir_ / "out").string(), {.hash_md5 = true, .hash_crc32c = true});
  ASSERT_OK(sink);
  ASSERT_OK((*sink)->Write("first attempt"));
  ASSERT_OK((*sink)->Restart(0));
  ASSERT_OK((*sink)->Write("123456789"));
  ASSERT_OK((*sink)->Close());

  EXPECT_EQ((*sink)->Md5Base64(), Md5Of("123456789"));
  EXPECT_EQ((*sink)->Crc32cBase64(), "4waSgw==");
}

TEST_F(FileSinkTest, RestartPastTheEndIsRefused) {
  auto sink = FileSink::Open((dir_ / "out").string());
  ASSERT_OK(sink);
  ASSERT_OK((*sink)->Write("abc"));

  EXPECT_THAT((*sink)->Restart(4),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("only 3 bytes")));
}

TEST_F(FileSinkTest, OpenTruncatesAnExistingFile) {
  std::ofstream(dir_ / "out") << "old content that is long";
  auto sink = FileSink::Open((dir_ / "out").string());
  ASSERT_OK(sink);
  ASSERT_OK((*sink)->Write("new"));
  ASSERT_OK((*sink)->Close());

  EXPECT_EQ(ReadAll(dir_ / "out"), "new");
}

TEST_F(FileSinkTest, OpenInAMissingDirectoryIsNotFound) {
  const std::string path = (dir_ / "missing" / "out").string();
  EXPECT_THAT(FileSink::Open(path), StatusIs(StatusCode::kNotFound, HasSubstr(path)));
}

TEST_F(FileSinkTest, WriteAfterCloseIsRefused) {
  auto sink = FileSink::Open((dir_ / "out").string());
  ASSERT_OK(sink);
  ASSERT_OK((*sink)->Close());
  EXPECT_OK((*sink)->Close());

  EXPECT_THAT((*sink)->Write("x"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("closed")));
}

TEST(Md5SinkTest, HashesWithoutKeepingBytes) {
  Md5Sink sink;
  ASSERT_OK(sink.Write("partial"));
  ASSERT_OK(sink.Restart(0));
  ASSERT_OK(sink.Write("abc"));

  EXPECT_EQ(sink.SizeBytes(), 3);
  EXPECT_EQ(sink.Md5Base64(), hash::Base64Encode(hash::Md5Digest("abc")));
}

TEST(Md5SinkTest, ResumingMidwayIsRetryable) {
  Md5Sink sink;
  ASSERT_OK(sink.Write("abc"));
  EXPECT_THAT(sink.Restart(2), StatusIs(StatusCode::kUnavailable, HasSubstr("byte 2")));
}

}  // namespace
}  // namespace cairn::transfer
