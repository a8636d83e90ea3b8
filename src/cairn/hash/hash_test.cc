// SPDX-License-Identifier: Apache-2.0
#include "cairn/hash/hash.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cairn/hash/encoding.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::hash {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

struct Vector {
  std::string input;
  std::string hex;
};

TEST(HashTest, Md5MatchesRfc1321TestSuite) {
  const std::vector<Vector> cases = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
       "d174ab98d277d9f5a5611c2c9f419d9f"},
      {"1234567890123456789012345678901234567890123456789012345678901234567890123456"
       "7890",
       "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (const Vector& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(HexEncode(Md5Digest(c.input)), c.hex);
  }
}

TEST(HashTest, Sha256MatchesFipsVectors) {
  const std::vector<Vector> cases = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  for (const Vector& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(HexEncode(Sha256Digest(c.input)), c.hex);
  }
}

TEST(HashTest, StreamingInPiecesEqualsOneShotForMillionAs) {
  Md5 md5;
  Sha256 sha256;
  const std::string thousand(1000, 'a');
  for (int i = 0; i < 1000; ++i) {
    md5.Update(thousand);
    sha256.Update(thousand);
  }
  EXPECT_EQ(HexEncode(md5.Final()), "7707d6ae4e027c70eea2a935c2296f21");
  EXPECT_EQ(HexEncode(sha256.Final()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(HashTest, FinalResetsTheHasher) {
  Md5 md5;
  md5.Update("junk");
  ASSERT_EQ(md5.Final().size(), Md5::kDigestBytes);
  md5.Update("a");
  md5.Update("bc");
  EXPECT_EQ(HexEncode(md5.Final()), "900150983cd24fb0d6963f7d28e17f72");

  Sha256 sha256;
  sha256.Update("junk");
  ASSERT_EQ(sha256.Final().size(), Sha256::kDigestBytes);
  EXPECT_EQ(HexEncode(sha256.Final()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HashTest, HmacSha256MatchesRfc4231TestCase2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HashTest, HmacSha256MatchesRfc4231TestCase6WithKeyLongerThanBlock) {
  const std::string key(131, '\xaa');
  EXPECT_EQ(HexEncode(HmacSha256(
                key, "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

class FileHashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cairn_hash_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string WriteFile(const std::string& name, const std::string& content) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(FileHashTest, Md5Base64OfFileIsWandbFileDigest) {
  auto digest = Md5Base64OfFile(WriteFile("hello.txt", "hello"));
  ASSERT_OK(digest);
  EXPECT_EQ(*digest, "XUFAKrxLKna5cZ2REBfFkg==");
}

TEST_F(FileHashTest, Md5Base64OfFileSpansManyBuffers) {
  // 3 MiB + 5 bytes crosses the 1 MiB read buffer several times.
  std::string content((std::size_t{3} << 20) + 5, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) {
    content[i] = static_cast<char>((i * 131) % 251);
  }
  auto digest = Md5Base64OfFile(WriteFile("big.bin", content));
  ASSERT_OK(digest);
  EXPECT_EQ(*digest, Base64Encode(Md5Digest(content)));
}

TEST_F(FileHashTest, Md5Base64OfEmptyFile) {
  auto digest = Md5Base64OfFile(WriteFile("empty", ""));
  ASSERT_OK(digest);
  EXPECT_EQ(*digest, "1B2M2Y8AsgTpgAmY7PhCfg==");
}

TEST_F(FileHashTest, Md5Base64OfFileErrorsNameThePath) {
  const std::string missing = (dir_ / "missing").string();
  EXPECT_THAT(Md5Base64OfFile(missing),
              StatusIs(StatusCode::kNotFound, HasSubstr(missing)));
  EXPECT_THAT(Md5Base64OfFile(dir_.string()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("directory")));

  const std::string locked = WriteFile("locked", "x");
  ASSERT_EQ(::chmod(locked.c_str(), 0), 0);
  if (::geteuid() != 0) {
    EXPECT_THAT(Md5Base64OfFile(locked),
                StatusIs(StatusCode::kPermissionDenied, HasSubstr(locked)));
  }
}

TEST_F(FileHashTest, Md5Base64OfFifoIsInvalidArgumentWithoutWaitingForAWriter) {
  const std::string pipe = (dir_ / "pipe").string();
  ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0);

  EXPECT_THAT(
      Md5Base64OfFile(pipe),
      StatusIs(StatusCode::kInvalidArgument,
               ::testing::AllOf(HasSubstr(pipe), HasSubstr("not a regular file"))));
}

}  // namespace
}  // namespace cairn::hash
