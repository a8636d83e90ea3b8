// SPDX-License-Identifier: Apache-2.0
// The artifact layer against S3, served by moto on loopback: prefixes become
// entries with ETags and version ids, downloads honour the pins, and an
// overwritten object without a pin fails the download without writing anything.
// moto is started once for the binary by tests/scripts/moto.sh; buckets and
// objects are made with boto3 from the tree's venv, as a user's tools would.
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/artifact/download.h"
#include "cairn/artifact/reference.h"
#include "cairn/artifact/verify.h"
#include "cairn/artifact/workspace.h"
#include "cairn/base/env.h"
#include "cairn/hash/encoding.h"
#include "cairn/hash/hash.h"
#include "cairn/storage/store_factory.h"
#include "cairn/testing/peer_environment.h"
#include "cairn/testing/run_command.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::artifact {
namespace {

namespace fs = std::filesystem;
using ::cairn::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string SourceDir() {
  return env::GetOr("CAIRN_SOURCE_DIR", CAIRN_TEST_SOURCE_DIR);
}

// Starts moto once for the binary (never one a caller already runs), points the
// AWS variables at test credentials, and stops moto at the end.
class MotoEnvironment final : public ::cairn::testing::PeerEnvironment {
 public:
  MotoEnvironment()
      : PeerEnvironment({.name = "moto",
                         .script = "moto.sh",
                         .required = {"CAIRN_TEST_S3_ENDPOINT"},
                         .pidfile = "CAIRN_MOTO_PIDFILE",
                         .accept_running = false,
                         .source_dir_fallback = CAIRN_TEST_SOURCE_DIR}) {}

  void SetUp() override {
    PeerEnvironment::SetUp();
    if (Endpoint().empty()) {
      return;
    }
    // Test credentials only, and no shared files from the user's home.
    ::setenv("AWS_ACCESS_KEY_ID", "testing", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "testing", 1);
    ::setenv("AWS_REGION", "us-east-1", 1);
    ::setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/cairn-test-credentials", 1);
    ::setenv("AWS_CONFIG_FILE", "/nonexistent/cairn-test-config", 1);
    ::unsetenv("AWS_PROFILE");
    ::unsetenv("AWS_SESSION_TOKEN");
  }
};

// Registered before main() runs, so gtest_main starts moto before the first test.
auto* const kMoto = static_cast<MotoEnvironment*>(
    ::testing::AddGlobalTestEnvironment(new MotoEnvironment()));

// Runs boto3 code against moto; `s3` is a client. Prints what the code prints.
std::string Boto(const std::string& code) {
  const fs::path script =
      fs::temp_directory_path() / ("cairn_boto_" + std::to_string(::getpid()) + ".py");
  std::ofstream(script) << "import boto3\n"
                        << "s3 = boto3.client('s3', endpoint_url='" << kMoto->Endpoint()
                        << "', region_name='us-east-1', aws_access_key_id='testing', "
                           "aws_secret_access_key='testing')\n"
                        << code << "\n";
  Result<std::string> ran =
      ::cairn::testing::RunCommand(SourceDir() + "/.venv/bin/python " + script.string());
  fs::remove(script);
  EXPECT_TRUE(ran.ok()) << ran.status().ToString();
  std::string output = ran.ok() ? *ran : "";
  while (!output.empty() && output.back() == '\n') {
    output.pop_back();
  }
  return output;
}

void MakeBucket(const std::string& bucket, bool versioned) {
  std::string code = "s3.create_bucket(Bucket='" + bucket + "')\n";
  if (versioned) {
    code += "s3.put_bucket_versioning(Bucket='" + bucket +
            "', VersioningConfiguration={'Status': 'Enabled'})\n";
  }
  Boto(code);
}

// Puts the object and returns its version id ("null" when unversioned).
std::string Put(const std::string& bucket, const std::string& key,
                const std::string& body) {
  return Boto("r = s3.put_object(Bucket='" + bucket + "', Key='" + key + "', Body=b'" +
              body + "', ContentType='application/octet-stream')\n" +
              "print(r.get('VersionId', 'null'))");
}

std::string HexMd5(std::string_view bytes) {
  return hash::HexEncode(hash::Md5Digest(bytes));
}

// Counts the calls that reach the real store.
class CountingStore : public storage::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  Status Read(const storage::ObjectRef& ref, const storage::ReadOptions& options,
              storage::ByteSink& sink) override {
    reads.fetch_add(1);
    return ForwardingStore::Read(ref, options, sink);
  }
  std::atomic<int> reads{0};
};

class ArtifactS3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test =
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    base_ = fs::temp_directory_path() /
            ("cairn_artifact_s3_test_" + std::to_string(::getpid()) + "_" + test);
    fs::remove_all(base_);
    fs::create_directories(base_);
    // Bucket names: lower case, unique per test so tests share one moto.
    bucket_ = "t" + std::to_string(++bucket_counter_) + "-" + std::to_string(::getpid());

    auto workspace = Workspace::Open(
        (base_ / "home").string(),
        {.store_options = {.s3_endpoint = kMoto->Endpoint(), .s3_region = "us-east-1"}});
    ASSERT_OK(workspace);
    workspace_ = std::move(*workspace);
  }
  void TearDown() override { fs::remove_all(base_); }

  // Wraps the bucket's store in a counter and makes the workspace use it.
  void CountReads() {
    auto uri = uri::Uri::Parse("s3://" + bucket_ + "/");
    ASSERT_OK(uri);
    auto store = storage::OpenStore(
        *uri, {.s3_endpoint = kMoto->Endpoint(), .s3_region = "us-east-1"});
    ASSERT_OK(store);
    counting_ = std::make_shared<CountingStore>(*store);
    workspace_->Stores().Put("s3://" + bucket_, counting_);
  }

  manifest::Manifest Track(const std::string& uri, const ReferenceOptions& options = {}) {
    manifest::Manifest manifest;
    auto entries = ResolveReference(*workspace_, uri, options);
    EXPECT_OK(entries);
    if (entries.ok()) {
      for (auto& entry : *entries) {
        EXPECT_OK(manifest.Add(entry));
      }
    }
    return manifest;
  }

  static std::string ReadAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  std::string S3(const std::string& key) const { return "s3://" + bucket_ + "/" + key; }

  static inline int bucket_counter_ = 0;
  fs::path base_;
  std::string bucket_;
  std::unique_ptr<Workspace> workspace_;
  std::shared_ptr<CountingStore> counting_;
};

TEST_F(ArtifactS3Test, PrefixBecomesEntriesWithEtagsAndVersions) {
  MakeBucket(bucket_, /*versioned=*/true);
  const std::string version_a = Put(bucket_, "data/a.txt", "alpha");
  Put(bucket_, "data/sub/b.txt", "bravo");
  Put(bucket_, "data2/c.txt", "not in data");

  auto entries = ResolveReference(*workspace_, S3("data"), {});

  ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 2U);
  const manifest::ManifestEntry& a = (*entries)[0];
  EXPECT_EQ(a.path, "a.txt");
  EXPECT_EQ(a.ref, S3("data/a.txt"));
  EXPECT_EQ(a.digest, HexMd5("alpha"));
  EXPECT_EQ(a.Etag(), HexMd5("alpha"));
  EXPECT_EQ(a.VersionId(), version_a);
  EXPECT_NE(version_a, "null");
  EXPECT_EQ(a.size_bytes, 5);
  EXPECT_TRUE(a.extra.contains("lastModified"));
  EXPECT_EQ((*entries)[1].path, "sub/b.txt");
}

TEST_F(ArtifactS3Test, OneObjectAtItsVersionPin) {
  MakeBucket(bucket_, /*versioned=*/true);
  const std::string first = Put(bucket_, "model.bin", "weights v1");
  Put(bucket_, "model.bin", "weights v2, longer");

  auto entries =
      ResolveReference(*workspace_, S3("model.bin") + "?versionId=" + first, {});

  ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 1U);
  EXPECT_EQ((*entries)[0].path, "model.bin");
  EXPECT_EQ((*entries)[0].ref, S3("model.bin"));
  EXPECT_EQ((*entries)[0].VersionId(), first);
  EXPECT_EQ((*entries)[0].digest, HexMd5("weights v1"));
  EXPECT_EQ((*entries)[0].size_bytes, 10);
}

TEST_F(ArtifactS3Test, DownloadAfterOverwriteReturnsThePinnedBytes) {
  MakeBucket(bucket_, /*versioned=*/true);
  Put(bucket_, "data/a.txt", "alpha");
  Put(bucket_, "data/b.txt", "bravo");
  const manifest::Manifest manifest = Track(S3("data"));
  Put(bucket_, "data/a.txt", "ALPHA, overwritten");

  auto downloaded =
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "out").string()});

  ASSERT_OK(downloaded);
  EXPECT_EQ(ReadAll(base_ / "out" / "a.txt"), "alpha");
  EXPECT_EQ(ReadAll(base_ / "out" / "b.txt"), "bravo");
}

TEST_F(ArtifactS3Test, UnversionedOverwriteFailsNamingTheEntryAndWritesNothing) {
  MakeBucket(bucket_, /*versioned=*/false);
  Put(bucket_, "data/a.txt", "alpha");
  Put(bucket_, "data/b.txt", "bravo");
  const manifest::Manifest manifest = Track(S3("data"));
  ASSERT_EQ(manifest.Find("a.txt")->VersionId(), "");
  Put(bucket_, "data/a.txt", "ALPHA, overwritten");
  const fs::path root = base_ / "out";

  auto downloaded = Download(*workspace_, "mnist:v0", manifest, {.root = root.string()});

  EXPECT_THAT(
      downloaded,
      StatusIs(StatusCode::kFailedPrecondition,
               HasSubstr("1 entry changed since mnist:v0 was logged: a.txt (" +
                         S3("data/a.txt") + ": etag now " + HexMd5("ALPHA, overwritten") +
                         ", recorded " + HexMd5("alpha") + ")")));
  EXPECT_FALSE(fs::exists(root));
  EXPECT_TRUE(fs::is_empty(base_ / "home" / "cache" / "tmp"));
}

TEST_F(ArtifactS3Test, SecondDownloadReadsNothingFromTheStore) {
  MakeBucket(bucket_, /*versioned=*/true);
  Put(bucket_, "data/a.txt", "alpha");
  Put(bucket_, "data/b.txt", "bravo");
  CountReads();
  const manifest::Manifest manifest = Track(S3("data"));
  ASSERT_OK(
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "one").string()}));
  ASSERT_EQ(counting_->reads.load(), 2);

  auto second =
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "two").string()});

  ASSERT_OK(second);
  EXPECT_EQ(counting_->reads.load(), 2);
  EXPECT_EQ(ReadAll(base_ / "two" / "a.txt"), "alpha");
}

TEST_F(ArtifactS3Test, DeletedPinnedVersionIsNotFound) {
  MakeBucket(bucket_, /*versioned=*/true);
  const std::string version = Put(bucket_, "data/a.txt", "alpha");
  const manifest::Manifest manifest = Track(S3("data"));
  Boto("s3.delete_object(Bucket='" + bucket_ + "', Key='data/a.txt', VersionId='" +
       version + "')");

  auto downloaded =
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "out").string()});

  EXPECT_THAT(
      downloaded,
      StatusIs(StatusCode::kNotFound,
               HasSubstr("1 pinned version of mnist:v0 no longer exists: a.txt (" +
                         S3("data/a.txt") + ": versionId " + version + " is gone)")));
  EXPECT_FALSE(fs::exists(base_ / "out"));
}

TEST_F(ArtifactS3Test, VerifyReportsAnOverwrittenObject) {
  MakeBucket(bucket_, /*versioned=*/true);
  Put(bucket_, "data/a.txt", "alpha");
  Put(bucket_, "data/b.txt", "bravo");
  const manifest::Manifest manifest = Track(S3("data"));
  Put(bucket_, "data/a.txt", "alpha!");

  auto report = Verify(*workspace_, manifest);

  ASSERT_OK(report);
  EXPECT_THAT(report->changed, ElementsAre("a.txt: etag " + HexMd5("alpha") + " -> " +
                                           HexMd5("alpha!") + ", size 5 -> 6"));
  EXPECT_THAT(report->unchanged, ElementsAre("b.txt"));
}

}  // namespace
}  // namespace cairn::artifact
