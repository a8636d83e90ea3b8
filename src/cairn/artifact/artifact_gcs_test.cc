// SPDX-License-Identifier: Apache-2.0
// The artifact layer against GCS, served by fake-gcs-server 1.56.1 (-backend
// memory) on loopback, started once for the binary by tests/scripts/fake_gcs.sh;
// buckets and objects are written through the emulator's JSON upload API, and
// every request is anonymous (STORAGE_EMULATOR_HOST set, no credentials).
//
// Covered here: generation pins written in the URI at add time (#N and
// ?generation=N), a pinned generation that is missing (kNotFound, never the live
// object or a listing), and the CRC32C check of downloads that have no MD5 to
// check. fake-gcs-server gives every object an md5Hash, so a composite object
// (crc32c only) is made by removing "md5" from a real entry's extras; the wrong
// CRC comes from editing the recorded crc32c, while the store serves the real
// bytes.
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cairn/artifact/download.h"
#include "cairn/artifact/reference.h"
#include "cairn/artifact/workspace.h"
#include "cairn/hash/crc32c.h"
#include "cairn/hash/encoding.h"
#include "cairn/hash/hash.h"
#include "cairn/net/http_client.h"
#include "cairn/testing/peer_environment.h"
#include "cairn/testing/status_matchers.h"
#include "cairn/uri/uri.h"

namespace cairn::artifact {
namespace {

namespace fs = std::filesystem;
using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;
using Json = nlohmann::json;

// Starts fake-gcs-server once for the binary (never one a caller already runs),
// points STORAGE_EMULATOR_HOST at it (anonymous: no credentials file is looked
// for), and stops it at the end.
class FakeGcsEnvironment final : public ::cairn::testing::PeerEnvironment {
 public:
  FakeGcsEnvironment()
      : PeerEnvironment({.name = "fake-gcs-server",
                         .script = "fake_gcs.sh",
                         .required = {"CAIRN_TEST_GCS_ENDPOINT"},
                         .pidfile = "CAIRN_FAKE_GCS_PIDFILE",
                         .accept_running = false,
                         .source_dir_fallback = CAIRN_TEST_SOURCE_DIR}) {}

  void SetUp() override {
    PeerEnvironment::SetUp();
    if (Endpoint().empty()) {
      return;
    }
    ::setenv("STORAGE_EMULATOR_HOST", Endpoint().c_str(), 1);
    ::unsetenv("GOOGLE_APPLICATION_CREDENTIALS");
  }
};

// Registered before main() runs, so gtest_main starts the emulator first.
auto* const kFakeGcs = static_cast<FakeGcsEnvironment*>(
    ::testing::AddGlobalTestEnvironment(new FakeGcsEnvironment()));

// Writes to the emulator through its JSON API; fails the test on an error answer.
std::string Send(const std::string& method, const std::string& path_and_query,
                 std::string body, const std::string& content_type) {
  static net::HttpClient http;
  net::Request request;
  request.method = method;
  request.url = kFakeGcs->Endpoint() + path_and_query;
  request.body = std::move(body);
  request.headers = {{"Content-Type", content_type}};
  Result<net::Response> response = http.Perform(request);
  EXPECT_OK(response);
  if (!response.ok()) {
    return "";
  }
  EXPECT_LT(response->status, 300)
      << method << " " << request.url << ": " << response->body;
  return response->body;
}

void MakeVersionedBucket(const std::string& bucket) {
  const Json body = {{"name", bucket}, {"versioning", {{"enabled", true}}}};
  Send("POST", "/storage/v1/b", body.dump(), "application/json");
}

// Uploads `bytes` as `name` and returns the new generation.
std::string Put(const std::string& bucket, const std::string& name,
                const std::string& bytes) {
  const std::string answer =
      Send("POST",
           "/upload/storage/v1/b/" + bucket +
               "/o?uploadType=media&name=" + uri::PercentEncode(name),
           bytes, "application/octet-stream");
  const Json object = Json::parse(answer, nullptr, false);
  EXPECT_TRUE(object.is_object() && object.contains("generation")) << answer;
  return object.is_object() ? object.value("generation", "") : "";
}

std::string Md5Base64(std::string_view bytes) {
  return hash::Base64Encode(hash::Md5Digest(bytes));
}

std::string Crc32cBase64(std::string_view bytes) {
  return hash::Crc32cBase64(hash::Crc32cValue(bytes));
}

class ArtifactGcsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test =
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    base_ = fs::temp_directory_path() /
            ("cairn_artifact_gcs_test_" + std::to_string(::getpid()) + "_" + test);
    fs::remove_all(base_);
    fs::create_directories(base_);
    bucket_ = "t" + std::to_string(++bucket_counter_) + "-" + std::to_string(::getpid());
    MakeVersionedBucket(bucket_);

    auto workspace = Workspace::Open((base_ / "home").string());
    ASSERT_OK(workspace);
    workspace_ = std::move(*workspace);
  }
  void TearDown() override { fs::remove_all(base_); }

  std::string Gs(const std::string& key) const { return "gs://" + bucket_ + "/" + key; }

  static std::string ReadAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  // The one entry `uri` resolves to.
  manifest::ManifestEntry TrackOne(const std::string& uri) {
    auto entries = ResolveReference(*workspace_, uri, {});
    EXPECT_OK(entries);
    if (!entries.ok() || entries->size() != 1) {
      ADD_FAILURE() << uri << " did not resolve to one entry";
      return {};
    }
    return (*entries)[0];
  }

  Result<std::string> DownloadOne(const manifest::ManifestEntry& entry,
                                  const std::string& root) {
    manifest::Manifest manifest;
    CAIRN_RETURN_IF_ERROR(manifest.Add(entry));
    return Download(*workspace_, "model:v0", manifest, {.root = (base_ / root).string()});
  }

  static inline int bucket_counter_ = 0;
  fs::path base_;
  std::string bucket_;
  std::unique_ptr<Workspace> workspace_;
};

TEST_F(ArtifactGcsTest, FragmentGenerationPinsTheOldBytesAtAdd) {
  const std::string first = Put(bucket_, "model.bin", "weights v1");
  const std::string second = Put(bucket_, "model.bin", "weights v2, longer");
  ASSERT_NE(first, second);

  const manifest::ManifestEntry entry = TrackOne(Gs("model.bin") + "#" + first);

  EXPECT_EQ(entry.path, "model.bin");
  EXPECT_EQ(entry.ref, Gs("model.bin"));
  EXPECT_EQ(entry.VersionId(), first);
  EXPECT_EQ(entry.size_bytes, 10);
  // fake-gcs-server's etag is the base64 MD5; the crc32c is what it computed,
  // which cairn's own CRC32C must agree with.
  EXPECT_EQ(entry.digest, Md5Base64("weights v1"));
  EXPECT_EQ(entry.extra.at("md5"), Md5Base64("weights v1"));
  EXPECT_EQ(entry.extra.at("crc32c"), Crc32cBase64("weights v1"));
  ASSERT_OK(DownloadOne(entry, "out"));
  EXPECT_EQ(ReadAll(base_ / "out" / "model.bin"), "weights v1");
}

TEST_F(ArtifactGcsTest, GenerationQueryPinsTheSameWay) {
  const std::string first = Put(bucket_, "data/a.txt", "alpha");
  Put(bucket_, "data/a.txt", "ALPHA, overwritten");

  const manifest::ManifestEntry entry =
      TrackOne(Gs("data/a.txt") + "?generation=" + first);

  EXPECT_EQ(entry.path, "a.txt");
  EXPECT_EQ(entry.VersionId(), first);
  EXPECT_EQ(entry.digest, Md5Base64("alpha"));
  EXPECT_EQ(entry.size_bytes, 5);
}

// The pinned key exists, and so do objects under it as a prefix: neither the live
// object nor the listing may stand in for the missing generation.
TEST_F(ArtifactGcsTest, MissingGenerationIsNotFoundNamingIt) {
  Put(bucket_, "data", "live object");
  Put(bucket_, "data/under.txt", "under the prefix");

  auto entries = ResolveReference(*workspace_, Gs("data") + "#1234567890", {});

  EXPECT_THAT(entries, StatusIs(StatusCode::kNotFound,
                                HasSubstr("adding reference " + Gs("data") +
                                          ": stating " + Gs("data") + ": ")));
  EXPECT_THAT(entries,
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("generation 1234567890 of this object is gone")));
}

TEST_F(ArtifactGcsTest, BadPinsAreInvalidArgumentsNamingTheUri) {
  Put(bucket_, "data/a.txt", "alpha");

  EXPECT_THAT(ResolveReference(*workspace_, Gs("data/a.txt") + "?generation=latest", {}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("invalid URI \"" + Gs("data/a.txt") +
                                 "?generation=latest\": the generation \"latest\" is "
                                 "not a decimal number")));
  EXPECT_THAT(ResolveReference(*workspace_, Gs("data/") + "#123", {}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("pins version 123 but names a prefix")));
}

TEST_F(ArtifactGcsTest, DownloadWithoutMd5ChecksTheCrc32c) {
  Put(bucket_, "part.bin", "composed, as it were");
  manifest::ManifestEntry entry = TrackOne(Gs("part.bin"));
  entry.extra.erase("md5");
  ASSERT_EQ(entry.extra.at("crc32c"), Crc32cBase64("composed, as it were"));

  auto downloaded = DownloadOne(entry, "right");

  ASSERT_OK(downloaded);
  EXPECT_EQ(ReadAll(base_ / "right" / "part.bin"), "composed, as it were");
}

TEST_F(ArtifactGcsTest, DownloadWithAWrongCrc32cIsDataLossNamingTheEntry) {
  Put(bucket_, "part.bin", "composed, as it were");
  manifest::ManifestEntry entry = TrackOne(Gs("part.bin"));
  entry.extra.erase("md5");
  const std::string wrong = Crc32cBase64("other bytes");
  entry.extra["crc32c"] = wrong;

  auto downloaded = DownloadOne(entry, "wrong");

  EXPECT_THAT(downloaded,
              StatusIs(StatusCode::kDataLoss,
                       HasSubstr("1 entry of model:v0 did not match the recorded digest: "
                                 "part.bin (" +
                                 Gs("part.bin") + ": crc32c now " +
                                 Crc32cBase64("composed, as it were") + ", recorded " +
                                 wrong + ")")));
  EXPECT_FALSE(fs::exists(base_ / "wrong"));
}

}  // namespace
}  // namespace cairn::artifact
