// SPDX-License-Identifier: Apache-2.0
// The public API end to end on a real home (SQLite registry, caches) and real
// files: logging with dedup, aliases, lineage edges, and spec parsing.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/api/session.h"
#include "cairn/api/session_internals.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::api {
namespace {

namespace fs = std::filesystem;
using ::cairn::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::int64_t> Ids(const std::vector<registry::VersionRecord>& versions) {
  std::vector<std::int64_t> ids;
  for (const auto& version : versions) {
    ids.push_back(version.id);
  }
  return ids;
}

std::vector<std::int64_t> RunIds(const std::vector<registry::RunRecord>& runs) {
  std::vector<std::int64_t> ids;
  for (const auto& run : runs) {
    ids.push_back(run.id);
  }
  return ids;
}

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("cairn_api_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_ / "data");
    Write("data/a.txt", "alpha");
    Write("data/b.txt", "bravo");
    auto session =
        Session::Open({.home = (base_ / "home").string(), .project = "vision"});
    ASSERT_OK(session);
    session_ = std::move(*session);
  }
  void TearDown() override { fs::remove_all(base_); }

  void Write(const std::string& relative, const std::string& bytes) {
    std::ofstream(base_ / relative, std::ios::binary | std::ios::trunc) << bytes;
  }

  Artifact Draft() {
    Artifact draft("mnist", "dataset", "digits");
    EXPECT_OK(draft.AddReference(*session_, "file://" + (base_ / "data").string(), {}));
    return draft;
  }

  fs::path base_;
  std::unique_ptr<Session> session_;
};

TEST_F(ApiTest, OpenCreatesTheHomeWithRegistryAndCaches) {
  EXPECT_EQ(session_->Home(), (base_ / "home").string());
  EXPECT_EQ(session_->Project(), "vision");
  EXPECT_TRUE(fs::is_regular_file(base_ / "home" / "registry.db"));
  EXPECT_TRUE(fs::is_regular_file(base_ / "home" / "cache" / "checksums.db"));
  EXPECT_TRUE(fs::is_directory(base_ / "home" / "cache" / "objects"));
}

TEST_F(ApiTest, HomeAndProjectDefaultToTheEnvironment) {
  ASSERT_EQ(::setenv("CAIRN_HOME", (base_ / "env-home").c_str(), 1), 0);
  ASSERT_EQ(::unsetenv("CAIRN_PROJECT"), 0);

  auto session = Session::Open({});
  ::unsetenv("CAIRN_HOME");

  ASSERT_OK(session);
  EXPECT_EQ((*session)->Home(), (base_ / "env-home").string());
  EXPECT_EQ((*session)->Project(), "default");
}

TEST_F(ApiTest, AddReferenceFillsTheDraftManifest) {
  Artifact draft = Draft();

  ASSERT_EQ(draft.Manifest().size(), 2U);
  EXPECT_EQ(draft.Manifest().entries()[0].path, "a.txt");
  EXPECT_EQ(draft.Manifest().entries()[1].path, "b.txt");
}

TEST_F(ApiTest, ACollidingReferenceLeavesTheDraftUnchanged) {
  Artifact draft = Draft();
  Write("other.txt", "different");
  fs::create_directories(base_ / "more");
  Write("more/c.txt", "charlie");
  Write("more/a.txt", "not alpha");

  auto added = draft.AddReference(*session_, "file://" + (base_ / "more").string(), {});

  EXPECT_THAT(added, StatusIs(StatusCode::kAlreadyExists, HasSubstr("a.txt")));
  EXPECT_EQ(draft.Manifest().size(), 2U);
  EXPECT_EQ(draft.Manifest().Find("c.txt"), nullptr);
}

TEST_F(ApiTest, LoggingTheSameDraftTwiceReturnsTheExistingVersion) {
  auto run = session_->StartRun("train", "training");
  ASSERT_OK(run);
  const Artifact draft = Draft();

  auto first = run->LogArtifact(draft);
  auto second = run->LogArtifact(Draft());

  ASSERT_OK(first);
  ASSERT_OK(second);
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->version.index, 0);
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->version.id, first->version.id);
  EXPECT_EQ(second->version.index, 0);
}

TEST_F(ApiTest, ADeduplicatedLogStillRecordsTheRunsOutput) {
  auto producer = session_->StartRun("first");
  auto again = session_->StartRun("second");
  ASSERT_OK(producer);
  ASSERT_OK(again);
  auto logged = producer->LogArtifact(Draft());
  ASSERT_OK(logged);

  auto repeated = again->LogArtifact(Draft());

  ASSERT_OK(repeated);
  EXPECT_FALSE(repeated->created);
  auto edges = session_->Registry().GetRunEdges(again->Record().id);
  ASSERT_OK(edges);
  EXPECT_THAT(Ids(edges->outputs), ElementsAre(logged->version.id));
  auto producers = session_->Registry().RunsProducing(logged->version.id);
  ASSERT_OK(producers);
  EXPECT_EQ(producers->size(), 2U);
}

TEST_F(ApiTest, LatestMovesToTheNewestVersion) {
  auto v0 = session_->Log(Draft());
  ASSERT_OK(v0);
  Write("data/b.txt", "bravo, edited");

  auto v1 = session_->Log(Draft(), {"best"});
  auto latest = session_->Get("mnist");
  auto explicit_latest = session_->Get("mnist:latest");
  auto first = session_->Get("mnist:v0");
  auto best = session_->Get("vision/mnist:best");

  ASSERT_OK(v1);
  EXPECT_TRUE(v1->created);
  EXPECT_EQ(v1->version.index, 1);
  ASSERT_OK(latest);
  EXPECT_EQ(latest->Record().index, 1);
  EXPECT_EQ(latest->Manifest().Find("b.txt")->size_bytes, 13);
  ASSERT_OK(explicit_latest);
  EXPECT_EQ(explicit_latest->Record().index, 1);
  ASSERT_OK(first);
  EXPECT_EQ(first->Record().index, 0);
  EXPECT_EQ(first->Manifest().Find("b.txt")->size_bytes, 5);
  ASSERT_OK(best);
  EXPECT_EQ(best->Record().index, 1);
}

TEST_F(ApiTest, UsingAVersionRecordsTheInputEdge) {
  auto producer = session_->StartRun("prepare");
  ASSERT_OK(producer);
  auto logged = producer->LogArtifact(Draft());
  ASSERT_OK(logged);
  auto consumer = session_->StartRun("train");
  ASSERT_OK(consumer);

  auto used = consumer->UseArtifact("mnist:latest");

  ASSERT_OK(used);
  EXPECT_EQ(used->Record().id, logged->version.id);
  auto edges = session_->Registry().GetRunEdges(consumer->Record().id);
  ASSERT_OK(edges);
  EXPECT_THAT(Ids(edges->inputs), ElementsAre(logged->version.id));
  EXPECT_TRUE(edges->outputs.empty());
  auto consumers = session_->Registry().RunsConsuming(logged->version.id);
  ASSERT_OK(consumers);
  EXPECT_THAT(RunIds(*consumers), ElementsAre(consumer->Record().id));
}

TEST_F(ApiTest, UsingADraftLogsItWithoutAProducerThenRecordsTheInput) {
  auto run = session_->StartRun("train");
  ASSERT_OK(run);

  auto used = run->UseArtifact(Draft());
  auto used_again = run->UseArtifact(Draft());

  ASSERT_OK(used);
  ASSERT_OK(used_again);
  EXPECT_EQ(used->Record().index, 0);
  EXPECT_EQ(used_again->Record().id, used->Record().id);
  EXPECT_EQ(used->Manifest().size(), 2U);
  auto producers = session_->Registry().RunsProducing(used->Record().id);
  ASSERT_OK(producers);
  EXPECT_TRUE(producers->empty());
  auto edges = session_->Registry().GetRunEdges(run->Record().id);
  ASSERT_OK(edges);
  EXPECT_THAT(Ids(edges->inputs), ElementsAre(used->Record().id));
}

TEST_F(ApiTest, MalformedSpecsNameTheExpectedForm) {
  for (const char* spec : {"", "/mnist", "vision/", "a/b/c", "mnist:", ":v0", "a:b:c"}) {
    SCOPED_TRACE(spec);
    EXPECT_THAT(session_->Get(spec),
                StatusIs(StatusCode::kInvalidArgument,
                         HasSubstr("expected name, name:vN, name:alias or "
                                   "project/name:alias")));
  }
}

TEST_F(ApiTest, UnknownArtifactIsNotFound) {
  EXPECT_THAT(session_->Get("nothing:v0"),
              StatusIs(StatusCode::kNotFound, HasSubstr("nothing")));
}

TEST_F(ApiTest, FinishRecordsTheOutcome) {
  auto ok_run = session_->StartRun("ok");
  auto bad_run = session_->StartRun("bad");
  ASSERT_OK(ok_run);
  ASSERT_OK(bad_run);

  ASSERT_OK(ok_run->Finish(0));
  ASSERT_OK(bad_run->Finish(3));

  EXPECT_EQ(ok_run->Record().status, "finished");
  EXPECT_EQ(ok_run->Record().exit_code, 0);
  EXPECT_FALSE(ok_run->Record().finished_at.empty());
  EXPECT_EQ(bad_run->Record().status, "failed");
  EXPECT_EQ(bad_run->Record().exit_code, 3);
}

TEST_F(ApiTest, DownloadAndVerifyGoThroughTheArtifactLayer) {
  auto logged = session_->Log(Draft());
  ASSERT_OK(logged);
  auto version = session_->Get("mnist:v0");
  ASSERT_OK(version);
  const std::string root = (base_ / "out").string();

  auto downloaded = version->Download(*session_, {.root = root});
  Write("data/a.txt", "ALPHA");
  auto report = version->Verify(*session_);

  ASSERT_OK(downloaded);
  EXPECT_EQ(*downloaded, root);
  std::ifstream in(base_ / "out" / "b.txt");
  std::stringstream bytes;
  bytes << in.rdbuf();
  EXPECT_EQ(bytes.str(), "bravo");
  ASSERT_OK(report);
  EXPECT_THAT(report->unchanged, ElementsAre("b.txt"));
  ASSERT_EQ(report->changed.size(), 1U);
  EXPECT_THAT(report->changed[0], HasSubstr("a.txt: md5 "));
}

TEST_F(ApiTest, ADownloadLeavesOutMissingReferencesOnlyWhenAllowed) {
  ASSERT_OK(session_->Log(Draft()));
  auto version = session_->Get("mnist:v0");
  ASSERT_OK(version);
  fs::remove(base_ / "data" / "a.txt");

  auto strict = version->Download(*session_, {.root = (base_ / "strict").string()});
  auto lenient = version->Download(*session_, {.root = (base_ / "lenient").string(),
                                               .allow_missing_references = true});

  EXPECT_THAT(strict, StatusIs(StatusCode::kFailedPrecondition, HasSubstr("a.txt")));
  EXPECT_FALSE(fs::exists(base_ / "strict"));
  ASSERT_OK(lenient);
  EXPECT_FALSE(fs::exists(base_ / "lenient" / "a.txt"));
  EXPECT_TRUE(fs::is_regular_file(base_ / "lenient" / "b.txt"));
}

TEST_F(ApiTest, AllowingMissingReferencesStillFailsOnChangedData) {
  ASSERT_OK(session_->Log(Draft()));
  auto version = session_->Get("mnist:v0");
  ASSERT_OK(version);
  Write("data/a.txt", "ALPHA");

  auto downloaded = version->Download(
      *session_, {.root = (base_ / "out").string(), .allow_missing_references = true});

  EXPECT_THAT(downloaded, StatusIs(StatusCode::kFailedPrecondition, HasSubstr("a.txt")));
  EXPECT_FALSE(fs::exists(base_ / "out"));
}

TEST_F(ApiTest, VerifyFilesComparesADownloadedCopyWithTheManifest) {
  ASSERT_OK(session_->Log(Draft()));
  auto version = session_->Get("mnist:v0");
  ASSERT_OK(version);
  const std::string root = (base_ / "out").string();
  ASSERT_OK(version->Download(*session_, {.root = root}));
  auto clean = version->VerifyFiles(root);
  Write("out/a.txt", "alphA");
  fs::remove(base_ / "out" / "b.txt");

  auto drifted = version->VerifyFiles(root);
  auto nowhere = version->VerifyFiles((base_ / "nowhere").string());

  ASSERT_OK(clean);
  EXPECT_THAT(clean->unchanged, ElementsAre("a.txt", "b.txt"));
  ASSERT_OK(drifted);
  EXPECT_TRUE(drifted->unchanged.empty());
  ASSERT_EQ(drifted->changed.size(), 1U);
  EXPECT_THAT(drifted->changed[0], HasSubstr("a.txt: md5 "));
  EXPECT_THAT(drifted->missing, ElementsAre("b.txt"));
  EXPECT_THAT(nowhere, StatusIs(StatusCode::kNotFound, HasSubstr("is not a directory")));
}

}  // namespace
}  // namespace cairn::api
