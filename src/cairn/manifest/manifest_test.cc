// SPDX-License-Identifier: Apache-2.0
#include "cairn/manifest/manifest.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::manifest {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

ManifestEntry Entry(std::string path, std::string digest, std::string ref = "") {
  ManifestEntry entry;
  entry.path = std::move(path);
  entry.digest = std::move(digest);
  entry.ref = std::move(ref);
  return entry;
}

std::vector<std::string> Paths(const Manifest& manifest) {
  std::vector<std::string> paths;
  for (const ManifestEntry& entry : manifest.entries()) {
    paths.push_back(entry.path);
  }
  return paths;
}

TEST(ManifestTest, DigestMatchesWandbForOneFile) {
  Manifest manifest;
  ASSERT_OK(manifest.Add(Entry("file1.txt", "XUFAKrxLKna5cZ2REBfFkg==")));
  EXPECT_EQ(manifest.Digest(), "a00c2239f036fb656c1dcbf9a32d89b4");
}

TEST(ManifestTest, DigestOfEmptyManifestHashesOnlyTheHeader) {
  EXPECT_EQ(Manifest().Digest(), "64e7c61456b10382e2f3b571ac24b659");
}

TEST(ManifestTest, EntriesAndDigestDoNotDependOnInsertionOrder) {
  const std::vector<ManifestEntry> entries = {Entry("a/b.txt", "d1"),
                                              Entry("a/c.txt", "d2"), Entry("b", "d3")};
  const std::vector<std::vector<int>> orders = {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}};
  for (const std::vector<int>& order : orders) {
    SCOPED_TRACE(::testing::PrintToString(order));
    Manifest manifest;
    for (const int i : order) {
      ASSERT_OK(manifest.Add(entries[i]));
    }
    EXPECT_EQ(Paths(manifest), (std::vector<std::string>{"a/b.txt", "a/c.txt", "b"}));
    EXPECT_EQ(manifest.Digest(), "0628b8fe90193bc7d084818f267e5032");
  }
}

TEST(ManifestTest, PathsSortByteWise) {
  Manifest manifest;
  for (const char* path : {"a/x", "a-x", "B", "a", "\xC3\xA9", "a/"}) {
    ASSERT_OK(manifest.Add(Entry(path, "d")));
  }
  EXPECT_EQ(Paths(manifest),
            (std::vector<std::string>{"B", "a", "a-x", "a/", "a/x", "\xC3\xA9"}));
}

TEST(ManifestTest, IdenticalDuplicateIsIgnoredAndConflictIsAlreadyExists) {
  Manifest manifest;
  ASSERT_OK(manifest.Add(Entry("x.csv", "etag1", "s3://b/x.csv")));
  ASSERT_OK(manifest.Add(Entry("x.csv", "etag1", "s3://b/x.csv")));
  EXPECT_EQ(manifest.size(), 1U);

  EXPECT_THAT(manifest.Add(Entry("x.csv", "etag2", "s3://b/x.csv")),
              StatusIs(StatusCode::kAlreadyExists,
                       AllOf(HasSubstr("\"x.csv\""), HasSubstr("s3://b/x.csv"))));
  EXPECT_THAT(manifest.Add(Entry("x.csv", "etag1", "s3://other/x.csv")),
              StatusIs(StatusCode::kAlreadyExists, HasSubstr("different name")));
  EXPECT_EQ(manifest.Find("x.csv")->digest, "etag1");
}

TEST(ManifestTest, SameRefAndDigestKeepsTheFirstEntrysSizeAndExtra) {
  Manifest manifest;
  ManifestEntry first = Entry("x.csv", "etag1", "s3://b/x.csv");
  first.size_bytes = 5;
  first.extra = {{"versionID", "v1"}};
  ManifestEntry second = first;
  second.size_bytes = 6;
  second.extra = {{"versionID", "v2"}};

  ASSERT_OK(manifest.Add(first));
  ASSERT_OK(manifest.Add(second));

  ASSERT_EQ(manifest.size(), 1U);
  EXPECT_EQ(manifest.entries()[0], first);
}

TEST(ManifestTest, BadPathsAreInvalidArgument) {
  const std::vector<std::string> paths = {"",       "/abs",     ".",    "..",
                                          "a/../b", "a/./b",    "a/..", "./a",
                                          "../a",   "\xff\xfe", "a\xC3"};
  for (const std::string& path : paths) {
    SCOPED_TRACE(path);
    Manifest manifest;
    EXPECT_THAT(manifest.Add(Entry(path, "d")),
                StatusIs(StatusCode::kInvalidArgument, ::testing::_));
    EXPECT_TRUE(manifest.empty());
  }
}

TEST(ManifestTest, EmptyDigestIsInvalidArgument) {
  Manifest manifest;
  EXPECT_THAT(manifest.Add(Entry("a", "")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("empty digest")));
}

TEST(ManifestTest, FindTotalBytesAndPins) {
  Manifest manifest;
  ManifestEntry big = Entry("big", "e1", "s3://b/big");
  big.size_bytes = 1000;
  big.extra = {{"etag", "e1"}, {"versionID", "v7"}, {"md5", ""}};
  ManifestEntry small = Entry("small", "e2");
  small.size_bytes = 24;
  ASSERT_OK(manifest.Add(big));
  ASSERT_OK(manifest.Add(small));

  EXPECT_EQ(manifest.TotalBytes(), 1024);
  ASSERT_NE(manifest.Find("big"), nullptr);
  EXPECT_EQ(manifest.Find("big")->VersionId(), "v7");
  EXPECT_EQ(manifest.Find("big")->Etag(), "e1");
  EXPECT_EQ(manifest.Find("big")->extra.count("md5"), 0U);
  EXPECT_EQ(manifest.Find("small")->VersionId(), "");
  EXPECT_EQ(manifest.Find("bi"), nullptr);
  EXPECT_EQ(manifest.Find("missing"), nullptr);
}

TEST(ManifestTest, ToJsonWritesWandbLayoutWithSortedKeys) {
  Manifest manifest;
  ManifestEntry entry = Entry("d/x.bin", "abc123", "s3://b/d/x.bin");
  entry.size_bytes = 5;
  entry.extra = {{"versionID", "v1"}, {"etag", "abc123"}};
  ASSERT_OK(manifest.Add(entry));
  ManifestEntry unchecked = Entry("u", "s3://b/u", "s3://b/u");
  unchecked.checksum = false;
  ASSERT_OK(manifest.Add(unchecked));

  EXPECT_EQ(manifest.ToJson(),
            R"({"contents":{"d/x.bin":{"digest":"abc123","extra":{"etag":"abc123",)"
            R"("versionID":"v1"},"ref":"s3://b/d/x.bin","size":5},"u":{"checksum":false,)"
            R"("digest":"s3://b/u","ref":"s3://b/u","size":0}},)"
            R"("storagePolicy":"wandb-storage-policy-v1",)"
            R"("storagePolicyConfig":{"storageLayout":"V2"},"version":1})");
}

TEST(ManifestTest, JsonRoundTripIsByteEqualAndKeepsChecksumFlag) {
  Manifest manifest;
  ManifestEntry entry = Entry(
      "a b/c#d?.txt", "XUFAKrxLKna5cZ2REBfFkg==", "file:///data/a%20b/c%23d%3F.txt");
  entry.size_bytes = 5;
  entry.extra = {{"md5", "XUFAKrxLKna5cZ2REBfFkg=="},
                 {"lastModified", "2026-01-02T03:04:05Z"}};
  ASSERT_OK(manifest.Add(entry));
  ManifestEntry unchecked = Entry("caf\xC3\xA9/\"q\"", "s3://b/k", "s3://b/k");
  unchecked.checksum = false;
  ASSERT_OK(manifest.Add(unchecked));

  const std::string json = manifest.ToJson();
  auto parsed = Manifest::FromJson(json);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->entries(), manifest.entries());
  EXPECT_FALSE(parsed->Find("caf\xC3\xA9/\"q\"")->checksum);
  EXPECT_TRUE(parsed->Find("a b/c#d?.txt")->checksum);
  EXPECT_EQ(parsed->ToJson(), json);
  EXPECT_EQ(parsed->Digest(), manifest.Digest());
}

TEST(ManifestTest, FromJsonReadsWandbManifestWithNumericExtraAndNoSize) {
  const std::string json = R"({
    "version": 1,
    "storagePolicy": "wandb-storage-policy-v1",
    "storagePolicyConfig": {"storageLayout": "V2"},
    "contents": {
      "img/1.png": {"digest": "9a0364b9e99bb480dd25e1f0284c8555",
                    "ref": "gs://bucket/img/1.png", "size": 3,
                    "extra": {"versionID": 1712345678901234, "etag": "CNCd"},
                    "birthArtifactID": "QXJ0aWZhY3Q6MQ=="},
      "notes.txt": {"digest": "XUFAKrxLKna5cZ2REBfFkg==", "size": null}
    }
  })";
  auto manifest = Manifest::FromJson(json);
  ASSERT_OK(manifest);
  ASSERT_EQ(manifest->size(), 2U);
  const ManifestEntry* image = manifest->Find("img/1.png");
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(image->VersionId(), "1712345678901234");
  EXPECT_EQ(image->Etag(), "CNCd");
  EXPECT_EQ(image->size_bytes, 3);
  EXPECT_TRUE(image->checksum);
  EXPECT_EQ(manifest->Find("notes.txt")->size_bytes, 0);
  EXPECT_EQ(manifest->Find("notes.txt")->ref, "");
}

TEST(ManifestTest, MalformedJsonIsInvalidArgumentNamingTheProblem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "malformed"},
      {"{", "malformed"},
      {"[]", "not an object"},
      {R"({"contents":{}})", "version missing"},
      {R"({"version":2,"contents":{}})", "version 2"},
      {R"({"version":"1","contents":{}})", "version \"1\""},
      {R"({"version":1})", "\"contents\""},
      {R"({"version":1,"contents":[]})", "\"contents\""},
      {R"({"version":1,"contents":{"a":"x"}})", "\"a\" is not a JSON object"},
      {R"({"version":1,"contents":{"a":{"size":1}}})", "\"a\" has no \"digest\""},
      {R"({"version":1,"contents":{"a":{"digest":""}}})", "no \"digest\""},
      {R"({"version":1,"contents":{"a":{"digest":5}}})", "no \"digest\""},
      {R"({"version":1,"contents":{"a":{"digest":"d","size":-1}}})", "\"size\""},
      {R"({"version":1,"contents":{"a":{"digest":"d","size":"5"}}})", "\"size\""},
      {R"({"version":1,"contents":{"a":{"digest":"d","ref":3}}})", "\"ref\""},
      {R"({"version":1,"contents":{"a":{"digest":"d","extra":[]}}})", "\"extra\""},
      {R"({"version":1,"contents":{"a":{"digest":"d","checksum":0}}})", "\"checksum\""},
      {R"({"version":1,"contents":{"../a":{"digest":"d"}}})", "\"..\" segment"},
      {"{\"version\":1,\"contents\":{\"\xff\":{\"digest\":\"d\"}}}", "malformed"},
  };
  for (const auto& [json, problem] : cases) {
    SCOPED_TRACE(json);
    EXPECT_THAT(Manifest::FromJson(json),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr(problem)));
  }
}

}  // namespace
}  // namespace cairn::manifest
