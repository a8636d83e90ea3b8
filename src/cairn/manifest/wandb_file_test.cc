// SPDX-License-Identifier: Apache-2.0
#include "cairn/manifest/wandb_file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cairn/testing/status_matchers.h"

namespace cairn::manifest {
namespace {

namespace fs = std::filesystem;
using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

// A manifest as wandb 0.31 writes it for S3, GCS and unchecked references.
constexpr char kWandbManifest[] = R"({
  "version": 1,
  "storagePolicy": "wandb-storage-policy-v1",
  "storagePolicyConfig": {"storageLayout": "V2"},
  "contents": {
    "a b#1.txt": {"digest": "8a6c89adf870b3ba3f186eccd6a28282",
                  "ref": "s3://bkt/data/a b#1.txt", "size": 10, "birthArtifactID": null,
                  "extra": {"etag": "8a6c89adf870b3ba3f186eccd6a28282",
                            "versionID": "v-1"}},
    "g.bin": {"digest": "CY9rzUYh03PK3k6DJie09g==", "ref": "gs://gb/g.bin", "size": 4,
              "extra": {"versionID": 1712345678901234}},
    "raw": {"digest": "s3://bkt/raw/", "ref": "s3://bkt/raw/"}
  }
})";

class WandbFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cairn_wandb_file_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  static std::string ReadAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  fs::path dir_;
};

TEST_F(WandbFileTest, ReadsReferencesWithRawKeysPinsAndUncheckedEntries) {
  auto manifest = ReadWandbManifestFile(Write("m.json", kWandbManifest));

  ASSERT_OK(manifest);
  ASSERT_EQ(manifest->size(), 3U);
  const ManifestEntry* odd = manifest->Find("a b#1.txt");
  ASSERT_NE(odd, nullptr);
  EXPECT_EQ(odd->ref, "s3://bkt/data/a b#1.txt");
  EXPECT_EQ(odd->VersionId(), "v-1");
  EXPECT_EQ(odd->size_bytes, 10);
  EXPECT_TRUE(odd->checksum);
  EXPECT_EQ(manifest->Find("g.bin")->VersionId(), "1712345678901234");
  EXPECT_FALSE(manifest->Find("raw")->checksum);
}

TEST_F(WandbFileTest, HttpEtagsLoseWandbsQuotesAndWeakOnesAreDropped) {
  auto manifest = ReadWandbManifestFile(Write("m.json", R"({"version": 1, "contents": {
      "a": {"digest": "6b13-4", "ref": "http://h/a", "size": 4,
            "extra": {"etag": "\"6b13-4\""}},
      "w": {"digest": "W/\"77", "ref": "http://h/w", "size": 4,
            "extra": {"etag": "W/\"77\""}}}})"));

  ASSERT_OK(manifest);
  EXPECT_EQ(manifest->Find("a")->Etag(), "6b13-4");
  EXPECT_EQ(manifest->Find("w")->Etag(), "");
}

TEST_F(WandbFileTest, AnEntryUploadedToWandbStorageIsRefusedNamingIt) {
  const std::string path = Write("m.json", R"({"version": 1, "contents": {
      "model.pt": {"digest": "CY9rzUYh03PK3k6DJie09g==", "size": 4}}})");

  EXPECT_THAT(ReadWandbManifestFile(path),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(path), HasSubstr("\"model.pt\""),
                             HasSubstr("Only reference entries can be imported"))));
}

TEST_F(WandbFileTest, ASignedUrlRefIsRefusedWithoutRepeatingTheSignature) {
  const std::string path = Write("m.json", R"({"version": 1, "contents": {
      "f": {"digest": "d", "ref": "https://h/f?sig=s3cr3t", "size": 1}}})");

  EXPECT_THAT(ReadWandbManifestFile(path),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("entry \"f\""), HasSubstr("(\"sig\")"),
                             ::testing::Not(HasSubstr("s3cr3t")))));
}

TEST_F(WandbFileTest, BadRefsMissingFilesAndMalformedJsonAreClearErrors) {
  const std::string bad_ref = Write("ref.json", R"({"version": 1, "contents": {
      "x": {"digest": "d", "ref": "data/x", "size": 1}}})");
  EXPECT_THAT(
      ReadWandbManifestFile(bad_ref),
      StatusIs(StatusCode::kInvalidArgument,
               AllOf(HasSubstr("entry \"x\""), HasSubstr("scheme://bucket/key"))));
  EXPECT_THAT(ReadWandbManifestFile((dir_ / "none.json").string()),
              StatusIs(StatusCode::kNotFound, HasSubstr("none.json")));
  EXPECT_THAT(ReadWandbManifestFile(Write("broken.json", "{")),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("broken.json"), HasSubstr("malformed"))));
}

TEST_F(WandbFileTest, WritesWandbFieldsOnlyAndReadsBackEqual) {
  auto manifest = ReadWandbManifestFile(Write("m.json", kWandbManifest));
  ASSERT_OK(manifest);
  const fs::path out = dir_ / "out.json";

  ASSERT_OK(WriteWandbManifestFile(*manifest, out.string()));

  const auto json = nlohmann::json::parse(ReadAll(out));
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["storagePolicy"], "wandb-storage-policy-v1");
  EXPECT_FALSE(json["contents"]["raw"].contains("checksum"));
  EXPECT_EQ(json["contents"]["a b#1.txt"]["ref"], "s3://bkt/data/a b#1.txt");
  auto again = ReadWandbManifestFile(out.string());
  ASSERT_OK(again);
  EXPECT_EQ(again->entries(), manifest->entries());
  EXPECT_EQ(again->Digest(), manifest->Digest());
}

TEST_F(WandbFileTest, WritingIntoAMissingFolderFailsAndLeavesNothing) {
  Manifest manifest;
  const fs::path out = dir_ / "no" / "such" / "m.json";

  EXPECT_THAT(WriteWandbManifestFile(manifest, out.string()),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(out.string()), HasSubstr("create it first"))));
  EXPECT_FALSE(fs::exists(dir_ / "no"));
}

}  // namespace
}  // namespace cairn::manifest
