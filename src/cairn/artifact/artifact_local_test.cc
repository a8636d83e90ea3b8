// SPDX-License-Identifier: Apache-2.0
// The artifact layer on real files: references into entries, downloads into
// roots, and verify, with a counting store to prove what was (not) read.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/artifact/download.h"
#include "cairn/artifact/entries.h"
#include "cairn/artifact/reference.h"
#include "cairn/artifact/verify.h"
#include "cairn/artifact/workspace.h"
#include "cairn/hash/encoding.h"
#include "cairn/hash/hash.h"
#include "cairn/storage/local/local_store.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::artifact {
namespace {

namespace fs = std::filesystem;
using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Counts the calls that reach the real store.
class CountingStore : public storage::ForwardingStore {
 public:
  CountingStore() : ForwardingStore(std::make_shared<storage::local::LocalStore>()) {}

  Result<storage::ObjectInfo> Stat(const storage::ObjectRef& ref) override {
    stats.fetch_add(1);
    return ForwardingStore::Stat(ref);
  }
  Status List(const uri::Uri& prefix, const storage::ListOptions& options,
              const std::function<Status(const storage::ObjectInfo&)>& visit) override {
    lists.fetch_add(1);
    return ForwardingStore::List(prefix, options, visit);
  }
  Status Read(const storage::ObjectRef& ref, const storage::ReadOptions& options,
              storage::ByteSink& sink) override {
    reads.fetch_add(1);
    return ForwardingStore::Read(ref, options, sink);
  }

  std::atomic<int> stats{0};
  std::atomic<int> lists{0};
  std::atomic<int> reads{0};
};

std::string Md5Of(std::string_view bytes) {
  return hash::Base64Encode(hash::Md5Digest(bytes));
}

class ArtifactLocalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("cairn_artifact_local_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_ / "data");
    OpenWorkspace();
  }
  void TearDown() override { fs::remove_all(base_); }

  void OpenWorkspace() {
    auto workspace = Workspace::Open((base_ / "home").string());
    ASSERT_OK(workspace);
    workspace_ = std::move(*workspace);
    store_ = std::make_shared<CountingStore>();
    workspace_->Stores().Put("file://", store_);
  }

  fs::path Write(const std::string& relative, const std::string& bytes) {
    const fs::path path = base_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    return path;
  }

  static std::string ReadAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  std::string UriOf(const std::string& relative) const {
    return "file://" + (base_ / relative).string();
  }

  // Every file and directory under `dir`, relative, with file contents.
  static std::map<std::string, std::string> Tree(const fs::path& dir) {
    std::map<std::string, std::string> tree;
    if (!fs::exists(dir)) {
      return tree;
    }
    for (const auto& item : fs::recursive_directory_iterator(dir)) {
      const std::string relative = fs::relative(item.path(), dir).string();
      tree[relative] = item.is_directory() ? "<dir>" : ReadAll(item.path());
    }
    return tree;
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

  // Three files, one of them empty, one in a sub-folder.
  void WriteDataset() {
    Write("data/a.txt", "alpha");
    Write("data/sub/b.txt", "bravo!");
    Write("data/empty.bin", "");
  }

  fs::path base_;
  std::unique_ptr<Workspace> workspace_;
  std::shared_ptr<CountingStore> store_;
};

TEST_F(ArtifactLocalTest, DirectoryReferenceRecordsEveryFileWithItsMd5) {
  WriteDataset();

  auto entries = ResolveReference(*workspace_, UriOf("data"), {});

  ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 3U);
  const auto& a = (*entries)[0];
  EXPECT_EQ(a.path, "a.txt");
  EXPECT_EQ(a.ref, UriOf("data/a.txt"));
  EXPECT_EQ(a.digest, Md5Of("alpha"));
  EXPECT_EQ(a.size_bytes, 5);
  EXPECT_TRUE(a.checksum);
  EXPECT_EQ(a.extra.size(), 1U);
  EXPECT_TRUE(a.extra.contains("lastModified"));
  EXPECT_EQ((*entries)[1].path, "empty.bin");
  EXPECT_EQ((*entries)[1].size_bytes, 0);
  EXPECT_EQ((*entries)[1].digest, Md5Of(""));
  EXPECT_EQ((*entries)[2].path, "sub/b.txt");
  EXPECT_EQ((*entries)[2].digest, Md5Of("bravo!"));
}

TEST_F(ArtifactLocalTest, TrailingSlashListsTheDirectory) {
  WriteDataset();

  auto entries = ResolveReference(*workspace_, UriOf("data") + "/", {});

  ASSERT_OK(entries);
  EXPECT_EQ(entries->size(), 3U);
  EXPECT_EQ(store_->stats.load(), 0);
}

TEST_F(ArtifactLocalTest, NamePlacesPrefixEntriesUnderIt) {
  WriteDataset();

  auto entries = ResolveReference(*workspace_, UriOf("data"), {.name = "train/"});

  ASSERT_OK(entries);
  std::vector<std::string> paths;
  for (const auto& entry : *entries) {
    paths.push_back(entry.path);
  }
  EXPECT_THAT(paths, ElementsAre("train/a.txt", "train/empty.bin", "train/sub/b.txt"));
}

TEST_F(ArtifactLocalTest, SingleFileUsesItsBaseNameOrTheGivenName) {
  WriteDataset();

  auto plain = ResolveReference(*workspace_, UriOf("data/sub/b.txt"), {});
  auto named =
      ResolveReference(*workspace_, UriOf("data/sub/b.txt"), {.name = "x/c.txt"});

  ASSERT_OK(plain);
  ASSERT_EQ(plain->size(), 1U);
  EXPECT_EQ((*plain)[0].path, "b.txt");
  EXPECT_EQ((*plain)[0].digest, Md5Of("bravo!"));
  EXPECT_EQ(store_->lists.load(), 0);
  ASSERT_OK(named);
  ASSERT_EQ(named->size(), 1U);
  EXPECT_EQ((*named)[0].path, "x/c.txt");
}

TEST_F(ArtifactLocalTest, PrefixCoversWholeSegmentsOnly) {
  Write("data/in.txt", "in");
  Write("data2/out.txt", "out");
  Write("database.txt", "out too");

  auto entries = ResolveReference(*workspace_, UriOf("data"), {});

  ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 1U);
  EXPECT_EQ((*entries)[0].path, "in.txt");
}

TEST_F(ArtifactLocalTest, NothingThereIsNotFound) {
  EXPECT_THAT(
      ResolveReference(*workspace_, UriOf("missing"), {}),
      StatusIs(StatusCode::kNotFound, "no object or prefix at " + UriOf("missing")));
}

TEST_F(ArtifactLocalTest, MoreThanMaxObjectsNamesTheCountAndTheFix) {
  for (int i = 0; i < 5; ++i) {
    Write("data/f" + std::to_string(i), "x");
  }

  EXPECT_THAT(
      ResolveReference(*workspace_, UriOf("data"), {.max_objects = 3}),
      StatusIs(StatusCode::kResourceExhausted,
               "found more than 3 objects under " + UriOf("data") +
                   "/; raise the limit with max_objects=5 (CLI: --max-objects 5)"));
}

TEST_F(ArtifactLocalTest, FarMoreThanMaxObjectsStopsCountingAtTenTimesTheLimit) {
  for (int i = 0; i < 25; ++i) {
    Write("data/f" + std::to_string(i), "x");
  }

  EXPECT_THAT(ResolveReference(*workspace_, UriOf("data"), {.max_objects = 2}),
              StatusIs(StatusCode::kResourceExhausted,
                       "found more than 2 objects under " + UriOf("data") +
                           "/; raise the limit with max_objects=210 (CLI: --max-objects "
                           "210)"));
}

TEST_F(ArtifactLocalTest, ExactlyMaxObjectsIsAccepted) {
  WriteDataset();

  auto entries = ResolveReference(*workspace_, UriOf("data"), {.max_objects = 3});

  ASSERT_OK(entries);
  EXPECT_EQ(entries->size(), 3U);
}

TEST_F(ArtifactLocalTest, WithoutChecksumRecordsTheUriAloneWithoutStoreCalls) {
  auto entries = ResolveReference(*workspace_, UriOf("data") + "/", {.checksum = false});

  ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 1U);
  EXPECT_EQ((*entries)[0].path, "data");
  EXPECT_EQ((*entries)[0].ref, UriOf("data") + "/");
  EXPECT_EQ((*entries)[0].digest, UriOf("data") + "/");
  EXPECT_FALSE((*entries)[0].checksum);
  EXPECT_EQ(store_->stats.load() + store_->lists.load() + store_->reads.load(), 0);
}

TEST_F(ArtifactLocalTest, ChecksumCacheAvoidsReadingAnUnchangedTree) {
  WriteDataset();
  ASSERT_OK(ResolveReference(*workspace_, UriOf("data"), {}));
  ASSERT_EQ(store_->reads.load(), 3);

  auto again = ResolveReference(*workspace_, UriOf("data"), {});

  ASSERT_OK(again);
  EXPECT_EQ(store_->reads.load(), 3);
  EXPECT_EQ(workspace_->Checksums().Hits(), 3);
  EXPECT_EQ((*again)[0].digest, Md5Of("alpha"));
}

TEST_F(ArtifactLocalTest, ChecksumCacheSurvivesANewSessionAndRehashesAChangedFile) {
  WriteDataset();
  ASSERT_OK(ResolveReference(*workspace_, UriOf("data"), {}));
  Write("data/a.txt", "ALPHA, longer");
  OpenWorkspace();

  auto again = ResolveReference(*workspace_, UriOf("data"), {});

  ASSERT_OK(again);
  EXPECT_EQ(store_->reads.load(), 1);
  EXPECT_EQ((*again)[0].digest, Md5Of("ALPHA, longer"));
}

TEST_F(ArtifactLocalTest, OddFileNamesAreRecordedRawAsWandbDoesAndDownloadBack) {
  Write("data/a b#1%.txt", "odd");
  Write("data/q?.txt", "question");
  const manifest::Manifest manifest = Track(UriOf("data"));

  ASSERT_EQ(manifest.size(), 2U);
  EXPECT_EQ(manifest.entries()[0].path, "a b#1%.txt");
  EXPECT_EQ(manifest.entries()[0].ref, UriOf("data/a b#1%.txt"));
  EXPECT_EQ(manifest.entries()[1].ref, UriOf("data/q?.txt"));
  auto downloaded =
      Download(*workspace_, "odd:v0", manifest, {.root = (base_ / "out").string()});
  ASSERT_OK(downloaded);
  EXPECT_EQ(Tree(base_ / "out"), (std::map<std::string, std::string>{
                                     {"a b#1%.txt", "odd"}, {"q?.txt", "question"}}));
  auto report = Verify(*workspace_, manifest);
  ASSERT_OK(report);
  EXPECT_TRUE(report->Clean());
}

TEST_F(ArtifactLocalTest, SignedHttpUrlIsRefusedBeforeAnyRequest) {
  // Port 9 on loopback: the refusal comes before any store is opened or asked.
  auto entries = ResolveReference(
      *workspace_, "http://127.0.0.1:9/f.bin?id=1&X-Amz-Signature=s3cr3t", {});

  EXPECT_THAT(entries, StatusIs(StatusCode::kInvalidArgument,
                                AllOf(HasSubstr("\"X-Amz-Signature\""),
                                      HasSubstr("X-Amz-Signature=REDACTED"),
                                      HasSubstr("never writes a secret into a manifest"),
                                      ::testing::Not(HasSubstr("s3cr3t")))));
}

TEST_F(ArtifactLocalTest, DownloadIsByteIdentical) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"));
  const fs::path root = base_ / "out";

  auto downloaded = Download(*workspace_, "mnist:v0", manifest, {.root = root.string()});

  ASSERT_OK(downloaded);
  EXPECT_EQ(*downloaded, root.string());
  EXPECT_EQ(Tree(root), (std::map<std::string, std::string>{{"a.txt", "alpha"},
                                                            {"empty.bin", ""},
                                                            {"sub", "<dir>"},
                                                            {"sub/b.txt", "bravo!"}}));
}

TEST_F(ArtifactLocalTest, SecondDownloadIsServedFromTheCache) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"));
  ASSERT_OK(
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "one").string()}));
  const int reads_before = store_->reads.load();

  auto second =
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "two").string()});

  ASSERT_OK(second);
  EXPECT_EQ(store_->reads.load(), reads_before);
  EXPECT_EQ(workspace_->Contents().Hits(), 3);
  EXPECT_EQ(Tree(base_ / "two"), Tree(base_ / "one"));
}

TEST_F(ArtifactLocalTest, EditingADownloadedFileInPlaceDoesNotChangeLaterDownloads) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"));
  ASSERT_OK(
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "one").string()}));
  // Same size, so only the bytes tell; the mode is lifted as root would ignore it.
  fs::permissions(base_ / "one" / "a.txt", fs::perms::owner_write, fs::perm_options::add);
  Write("one/a.txt", "ALPHA");

  auto second =
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "two").string()});

  ASSERT_OK(second);
  EXPECT_EQ(ReadAll(base_ / "two" / "a.txt"), "alpha");
  EXPECT_EQ(ReadAll(base_ / "one" / "a.txt"), "ALPHA");
}

TEST_F(ArtifactLocalTest, DefaultRootIsArtifactsLabelInTheCurrentDirectory) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data/a.txt"));
  const fs::path previous = fs::current_path();
  fs::create_directories(base_ / "cwd");
  fs::current_path(base_ / "cwd");

  auto downloaded = Download(*workspace_, "mnist:v3", manifest, {});
  fs::current_path(previous);

  ASSERT_OK(downloaded);
  EXPECT_EQ(*downloaded, (base_ / "cwd" / "artifacts" / "mnist:v3").string());
  EXPECT_EQ(ReadAll(base_ / "cwd" / "artifacts" / "mnist:v3" / "a.txt"), "alpha");
}

TEST_F(ArtifactLocalTest, OverwrittenSourceFailsNamingTheEntryAndWritesNothing) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"));
  Write("data/sub/b.txt", "BRAVO!");
  const fs::path root = base_ / "out";

  auto downloaded = Download(*workspace_, "mnist:v0", manifest, {.root = root.string()});

  EXPECT_THAT(
      downloaded,
      StatusIs(StatusCode::kFailedPrecondition,
               HasSubstr("1 entry changed since mnist:v0 was logged: sub/b.txt (" +
                         UriOf("data/sub/b.txt") + ": md5 now " + Md5Of("BRAVO!") +
                         ", recorded " + Md5Of("bravo!") + ")")));
  EXPECT_FALSE(fs::exists(root));
}

TEST_F(ArtifactLocalTest, FailedDownloadLeavesAnExistingRootExactlyAsItWas) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"));
  const fs::path root = base_ / "out";
  Write("out/a.txt", "older alpha");
  Write("out/notes/keep.md", "mine");
  const auto before = Tree(root);
  Write("data/empty.bin", "no longer empty");
  Write("data/sub/b.txt", "xxxxxx");

  auto downloaded = Download(*workspace_, "mnist:v0", manifest, {.root = root.string()});

  EXPECT_THAT(downloaded,
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("2 entries changed since mnist:v0 was logged: "
                                 "empty.bin, sub/b.txt (")));
  EXPECT_EQ(Tree(root), before);
}

TEST_F(ArtifactLocalTest, DownloadReplacesFilesAlreadyInTheRoot) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"));
  Write("out/a.txt", "stale");
  Write("out/other.txt", "untouched");

  ASSERT_OK(
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "out").string()}));

  EXPECT_EQ(ReadAll(base_ / "out" / "a.txt"), "alpha");
  EXPECT_EQ(ReadAll(base_ / "out" / "other.txt"), "untouched");
}

TEST_F(ArtifactLocalTest, PathPrefixDownloadsOnlyMatchingEntries) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"));
  const fs::path root = base_ / "out";

  ASSERT_OK(Download(*workspace_, "mnist:v0", manifest,
                     {.root = root.string(), .path_prefix = "sub/"}));

  EXPECT_EQ(Tree(root), (std::map<std::string, std::string>{{"sub", "<dir>"},
                                                            {"sub/b.txt", "bravo!"}}));
  EXPECT_EQ(store_->reads.load(), 3 + 1);
}

TEST_F(ArtifactLocalTest, PathPrefixMatchesWholeSegmentsOnly) {
  Write("data/b/x.txt", "in b");
  Write("data/b2/y.txt", "in b2");
  Write("data/bee.txt", "bee");
  const manifest::Manifest manifest = Track(UriOf("data"));

  for (const std::string prefix : {"b", "b/"}) {
    const fs::path root = base_ / ("out-" + std::to_string(prefix.size()));
    ASSERT_OK(Download(*workspace_, "mnist:v0", manifest,
                       {.root = root.string(), .path_prefix = prefix}));
    EXPECT_EQ(Tree(root),
              (std::map<std::string, std::string>{{"b", "<dir>"}, {"b/x.txt", "in b"}}))
        << prefix;
  }
}

TEST(UnderPathTest, ComparesWholeSegments) {
  EXPECT_TRUE(UnderPath("b", "b"));
  EXPECT_TRUE(UnderPath("b/c", "b"));
  EXPECT_TRUE(UnderPath("b/c", "b/"));
  EXPECT_TRUE(UnderPath("b/c/d", "b/c"));
  EXPECT_TRUE(UnderPath("anything", ""));
  EXPECT_FALSE(UnderPath("b2/y", "b"));
  EXPECT_FALSE(UnderPath("bee.txt", "b"));
  EXPECT_FALSE(UnderPath("bee.txt", "b/"));
  EXPECT_FALSE(UnderPath("b", "b/c"));
}

TEST_F(ArtifactLocalTest, PathPrefixMatchingNothingIsNotFound) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"));

  EXPECT_THAT(Download(*workspace_, "mnist:v0", manifest,
                       {.root = (base_ / "out").string(), .path_prefix = "zzz"}),
              StatusIs(StatusCode::kNotFound, HasSubstr("starting with zzz")));
  EXPECT_FALSE(fs::exists(base_ / "out"));
}

TEST_F(ArtifactLocalTest, RootThatIsAFileIsRefused) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"));
  Write("out", "a file");

  EXPECT_THAT(
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "out").string()}),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("is not a directory")));
  EXPECT_EQ(store_->reads.load(), 3);
}

TEST_F(ArtifactLocalTest, DirectoryWhereAFileGoesIsRefusedBeforeFetching) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"));
  fs::create_directories(base_ / "out" / "a.txt");
  const auto before = Tree(base_ / "out");

  EXPECT_THAT(
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "out").string()}),
      StatusIs(StatusCode::kAlreadyExists, HasSubstr("where entry a.txt goes")));
  EXPECT_EQ(Tree(base_ / "out"), before);
  EXPECT_EQ(store_->reads.load(), 3);
}

TEST_F(ArtifactLocalTest, UnsafeEntryPathsAreRefused) {
  for (const char* path :
       {"../evil", "/etc/passwd", "a/../../b", "a//b", "./a", "a/", ""}) {
    SCOPED_TRACE(path);
    EXPECT_THAT(CheckEntryPath(path, "mnist:v0"),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr("mnist:v0")));
  }
  EXPECT_OK(CheckEntryPath("a/b.c/..d/e..", "mnist:v0"));
}

TEST_F(ArtifactLocalTest, EntryWithoutChecksumDownloadsWhatIsThereNow) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"), {.checksum = false});
  Write("data/new.txt", "added later");
  const fs::path root = base_ / "out";

  ASSERT_OK(Download(*workspace_, "mnist:v0", manifest, {.root = root.string()}));

  EXPECT_EQ(Tree(root),
            (std::map<std::string, std::string>{{"data", "<dir>"},
                                                {"data/a.txt", "alpha"},
                                                {"data/empty.bin", ""},
                                                {"data/new.txt", "added later"},
                                                {"data/sub", "<dir>"},
                                                {"data/sub/b.txt", "bravo!"}}));
}

TEST_F(ArtifactLocalTest, EntryWithoutChecksumOverTheListingBoundIsResourceExhausted) {
  WriteDataset();
  Write("data/new.txt", "added later");
  const manifest::Manifest manifest = Track(UriOf("data"), {.checksum = false});
  const fs::path root = base_ / "out";

  EXPECT_THAT(Download(*workspace_, "mnist:v0", manifest,
                       {.root = root.string(), .max_unchecked_objects = 3}),
              StatusIs(StatusCode::kResourceExhausted,
                       "entry data of mnist:v0 was logged without a checksum and more "
                       "than 3 objects are under " +
                           UriOf("data") +
                           "/ now; track it again with checksums to log each object"));
  EXPECT_FALSE(fs::exists(root));
  EXPECT_EQ(store_->reads.load(), 0);
}

TEST_F(ArtifactLocalTest, EntryWithoutChecksumExactlyAtTheListingBoundDownloads) {
  WriteDataset();
  Write("data/new.txt", "added later");
  const manifest::Manifest manifest = Track(UriOf("data"), {.checksum = false});
  const fs::path root = base_ / "out";

  ASSERT_OK(Download(*workspace_, "mnist:v0", manifest,
                     {.root = root.string(), .max_unchecked_objects = 4}));

  EXPECT_EQ(ReadAll(root / "data" / "new.txt"), "added later");
}

TEST(DownloadOptionsTest, UncheckedListingIsBoundedByDefault) {
  EXPECT_EQ(DownloadOptions{}.max_unchecked_objects, 100000);
}

// Serves fixed bytes for every read, as a store behind a pin would if the bytes
// were damaged in transit or at rest; optionally first sends junk and restarts,
// as a retried transfer does.
class ScriptedReadStore : public storage::ForwardingStore {
 public:
  ScriptedReadStore(std::string bytes, Status status, bool restart_midway)
      : ForwardingStore(std::make_shared<storage::local::LocalStore>()),
        bytes_(std::move(bytes)),
        status_(std::move(status)),
        restart_midway_(restart_midway) {}

  Status Read(const storage::ObjectRef&, const storage::ReadOptions&,
              storage::ByteSink& sink) override {
    if (!status_.ok()) {
      return status_;
    }
    if (restart_midway_) {
      CAIRN_RETURN_IF_ERROR(sink.Write(bytes_.substr(0, 2) + "junk"));
      CAIRN_RETURN_IF_ERROR(sink.Restart(2));
      return sink.Write(bytes_.substr(2));
    }
    return sink.Write(bytes_);
  }

 private:
  std::string bytes_;
  Status status_;
  bool restart_midway_;
};

// One entry as an S3-like store records it: ETag, and a content MD5 beside it.
manifest::Manifest PinnedManifest(const std::string& ref, const std::string& bytes) {
  manifest::ManifestEntry entry;
  entry.path = "a.txt";
  entry.ref = ref;
  entry.digest = "etag-1";
  entry.size_bytes = static_cast<std::int64_t>(bytes.size());
  entry.extra = {{"etag", "etag-1"}, {"md5", Md5Of(bytes)}};
  manifest::Manifest manifest;
  EXPECT_OK(manifest.Add(entry));
  return manifest;
}

TEST_F(ArtifactLocalTest, BytesNotMatchingTheDigestBehindAnEtagAreDataLoss) {
  workspace_->Stores().Put(
      "file://", std::make_shared<ScriptedReadStore>("alphX", Status::Ok(), false));
  const manifest::Manifest manifest = PinnedManifest(UriOf("data/a.txt"), "alpha");

  auto downloaded =
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "out").string()});

  EXPECT_THAT(downloaded,
              StatusIs(StatusCode::kDataLoss,
                       "1 entry of mnist:v0 did not match the recorded digest: a.txt (" +
                           UriOf("data/a.txt") + ": md5 now " + Md5Of("alphX") +
                           ", recorded " + Md5Of("alpha") + ")"));
  EXPECT_FALSE(fs::exists(base_ / "out"));
  EXPECT_TRUE(fs::is_empty(base_ / "home" / "cache" / "tmp"));
}

TEST_F(ArtifactLocalTest, AResumedReadIsVerifiedOverTheWholeFile) {
  workspace_->Stores().Put(
      "file://", std::make_shared<ScriptedReadStore>("alpha", Status::Ok(), true));
  const manifest::Manifest manifest = PinnedManifest(UriOf("data/a.txt"), "alpha");

  auto downloaded =
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "out").string()});

  ASSERT_OK(downloaded);
  EXPECT_EQ(ReadAll(base_ / "out" / "a.txt"), "alpha");
}

TEST_F(ArtifactLocalTest, AStoreErrorFailsTheDownloadAndWritesNothing) {
  workspace_->Stores().Put("file://",
                           std::make_shared<ScriptedReadStore>(
                               "", UnavailableError("reading: connection reset"), false));
  const manifest::Manifest manifest = PinnedManifest(UriOf("data/a.txt"), "alpha");
  Write("out/keep.txt", "mine");

  auto downloaded =
      Download(*workspace_, "mnist:v0", manifest, {.root = (base_ / "out").string()});

  EXPECT_THAT(downloaded, StatusIs(StatusCode::kUnavailable,
                                   "downloading entry a.txt: reading: connection reset"));
  EXPECT_EQ(Tree(base_ / "out"),
            (std::map<std::string, std::string>{{"keep.txt", "mine"}}));
}

// A store that has no object at any name but lists one under every prefix, and
// counts its listings. A stub, because the choice between "missing" and "list the
// prefix" is made in ResolveReference alone, and Azurite (the Azure peer) keeps
// no blob versions to pin.
class NothingButPrefixesStore : public storage::ForwardingStore {
 public:
  NothingButPrefixesStore()
      : ForwardingStore(std::make_shared<storage::local::LocalStore>()) {}

  storage::StoreFeatures Features() const override { return {.has_listing = true}; }
  Result<storage::ObjectInfo> Stat(const storage::ObjectRef& ref) override {
    return NotFoundError("stating " + ref.uri.ToString() + ": BlobNotFound (404)");
  }
  Status List(const uri::Uri& prefix, const storage::ListOptions&,
              const std::function<Status(const storage::ObjectInfo&)>& visit) override {
    lists.fetch_add(1);
    storage::ObjectInfo info;
    info.uri = prefix;
    info.uri.query.clear();
    info.uri.path += "x.txt";
    info.etag = "etag-x";
    return visit(info);
  }
  std::atomic<int> lists{0};
};

TEST_F(ArtifactLocalTest, AMissingAzureUrlPinnedByVersionidIsNotListedAsAPrefix) {
  const std::string url = "https://acct.blob.core.windows.net/c/d";
  auto store = std::make_shared<NothingButPrefixesStore>();
  workspace_->Stores().Put("https://acct.blob.core.windows.net", store);

  auto unpinned = ResolveReference(*workspace_, url, {});
  ASSERT_OK(unpinned);
  ASSERT_EQ(store->lists.load(), 1);
  auto pinned = ResolveReference(*workspace_, url + "?versionid=V1", {});

  // The pin travels beside the URL (ObjectRef::version_id), as for az://.
  EXPECT_THAT(pinned,
              StatusIs(StatusCode::kNotFound, "adding reference " + url + ": stating " +
                                                  url + ": BlobNotFound (404)"));
  EXPECT_EQ(store->lists.load(), 1);
}

TEST_F(ArtifactLocalTest, VerifyReportsUnchangedChangedAndMissing) {
  WriteDataset();
  Write("data/c.txt", "charlie");
  const manifest::Manifest manifest = Track(UriOf("data"));
  Write("data/a.txt", "ALPHA");     // same size, new bytes
  Write("data/c.txt", "charlie2");  // new size
  fs::remove(base_ / "data" / "empty.bin");

  auto report = Verify(*workspace_, manifest);

  ASSERT_OK(report);
  EXPECT_THAT(report->unchanged, ElementsAre("sub/b.txt"));
  EXPECT_THAT(report->changed,
              ElementsAre("a.txt: md5 " + Md5Of("alpha") + " -> " + Md5Of("ALPHA"),
                          "c.txt: size 7 -> 8"));
  EXPECT_THAT(report->missing, ElementsAre("empty.bin"));
  EXPECT_FALSE(report->Clean());
}

TEST_F(ArtifactLocalTest, VerifyOfAnUnchangedTreeReadsNothing) {
  WriteDataset();
  const manifest::Manifest manifest = Track(UriOf("data"));
  const int reads_before = store_->reads.load();

  auto report = Verify(*workspace_, manifest);

  ASSERT_OK(report);
  EXPECT_TRUE(report->Clean());
  EXPECT_THAT(report->changed, IsEmpty());
  EXPECT_EQ(report->unchanged.size(), 3U);
  EXPECT_EQ(store_->reads.load(), reads_before);
}

TEST_F(ArtifactLocalTest, ProgressIsReportedForHashingAndDownloading) {
  std::vector<Progress> seen;
  auto workspace =
      Workspace::Open((base_ / "home2").string(),
                      {.progress = [&](const Progress& p) { seen.push_back(p); }});
  ASSERT_OK(workspace);
  WriteDataset();

  auto entries = ResolveReference(**workspace, UriOf("data"), {});
  ASSERT_OK(entries);
  manifest::Manifest manifest;
  for (const auto& entry : *entries) {
    ASSERT_OK(manifest.Add(entry));
  }
  ASSERT_OK(
      Download(**workspace, "mnist:v0", manifest, {.root = (base_ / "out").string()}));

  std::map<std::string, Progress> last;
  for (const Progress& p : seen) {
    last[p.phase] = p;
  }
  ASSERT_TRUE(last.contains("listing"));
  EXPECT_EQ(last["listing"].done, 3);
  ASSERT_TRUE(last.contains("hashing"));
  EXPECT_EQ(last["hashing"].done, 3);
  EXPECT_EQ(last["hashing"].bytes_done, 11);
  ASSERT_TRUE(last.contains("downloading"));
  EXPECT_EQ(last["downloading"].done, 3);
  EXPECT_EQ(last["downloading"].total, 3);
  EXPECT_EQ(last["downloading"].bytes_done, 11);
}

}  // namespace
}  // namespace cairn::artifact
