// SPDX-License-Identifier: Apache-2.0
// The SQLite registry against real database files in a temporary directory,
// including several processes writing one file at once.
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cairn/registry/registry.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::registry {
namespace {

// A new empty directory under the system's temporary directory.
std::string MakeTempDir() {
  // mkdtemp replaces the six trailing X characters of its pattern.
  std::string pattern =
      (std::filesystem::temp_directory_path() / "cairn-registry-").string() +
      std::string(6, 'X');
  CAIRN_CHECK(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

using ::cairn::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

constexpr char kTimestampPattern[] =
    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z";

// A manifest of `files` entries whose digests depend on `seed`, so different seeds
// give different manifest digests.
manifest::Manifest MakeManifest(const std::string& seed, int files = 2) {
  manifest::Manifest m;
  for (int i = 0; i < files; ++i) {
    manifest::ManifestEntry entry;
    entry.path = "data/file" + std::to_string(i) + ".bin";
    entry.ref = "s3://bucket/data/file" + std::to_string(i) + ".bin";
    entry.digest = "etag-" + seed + "-" + std::to_string(i);
    entry.size_bytes = 100 * static_cast<std::int64_t>(i + 1);
    entry.extra = {{"etag", entry.digest}, {"versionID", "ver-" + seed}};
    CAIRN_CHECK(m.Add(entry).ok());
  }
  return m;
}

NewVersion Mnist(std::vector<std::string> aliases = {},
                 std::optional<std::int64_t> run_id = std::nullopt) {
  NewVersion v;
  v.project = "vision";
  v.name = "mnist";
  v.type = "dataset";
  v.description = "handwritten digits";
  v.metadata_json = R"({"classes": 10})";
  v.aliases = std::move(aliases);
  v.run_id = run_id;
  return v;
}

std::vector<std::int64_t> Indexes(const std::vector<VersionRecord>& versions) {
  std::vector<std::int64_t> out;
  out.reserve(versions.size());
  for (const VersionRecord& v : versions) {
    out.push_back(v.index);
  }
  return out;
}

std::vector<std::int64_t> RunIds(const std::vector<RunRecord>& runs) {
  std::vector<std::int64_t> out;
  out.reserve(runs.size());
  for (const RunRecord& r : runs) {
    out.push_back(r.id);
  }
  return out;
}

// Reads one integer with a connection of its own, the way another process would.
std::int64_t RawInt(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  CAIRN_CHECK(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  CAIRN_CHECK(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  CAIRN_CHECK(sqlite3_step(stmt) == SQLITE_ROW);
  const std::int64_t value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  CAIRN_CHECK(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  CAIRN_CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

class SqliteRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    path_ = dir_ + "/registry.db";
    auto registry = OpenSqliteRegistry(path_);
    ASSERT_OK(registry);
    registry_ = std::move(registry).value();
  }

  void TearDown() override {
    registry_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Logs and returns the version, failing the test on error.
  VersionRecord Log(const std::string& seed, std::vector<std::string> aliases = {},
                    std::optional<std::int64_t> run_id = std::nullopt) {
    auto result =
        registry_->LogVersion(Mnist(std::move(aliases), run_id), MakeManifest(seed));
    EXPECT_OK(result);
    return result.ok() ? result->version : VersionRecord();
  }

  std::int64_t NewRun(const std::string& name) {
    auto run = registry_->CreateRun("vision", name, "train", R"({"lr": 0.1})");
    EXPECT_OK(run);
    return run.ok() ? run->id : -1;
  }

  std::string dir_;
  std::string path_;
  std::unique_ptr<Registry> registry_;
};

TEST_F(SqliteRegistryTest, FirstVersionIsV0AndLatest) {
  const manifest::Manifest manifest = MakeManifest("a", 3);

  auto result = registry_->LogVersion(Mnist(), manifest);

  ASSERT_OK(result);
  EXPECT_TRUE(result->created);
  const VersionRecord& v = result->version;
  EXPECT_GT(v.id, 0);
  EXPECT_EQ(v.project, "vision");
  EXPECT_EQ(v.name, "mnist");
  EXPECT_EQ(v.index, 0);
  EXPECT_EQ(v.Label(), "mnist:v0");
  EXPECT_EQ(v.type, "dataset");
  EXPECT_EQ(v.description, "handwritten digits");
  EXPECT_EQ(v.metadata_json, R"({"classes": 10})");
  EXPECT_EQ(v.digest, manifest.Digest());
  EXPECT_EQ(v.size_bytes, 600);
  EXPECT_EQ(v.file_count, 3);
  EXPECT_THAT(v.created_at, MatchesRegex(kTimestampPattern));
  EXPECT_EQ(v.producer_run_id, std::nullopt);
  EXPECT_THAT(v.aliases, ElementsAre("latest"));
}

TEST_F(SqliteRegistryTest, VersionsAreNumberedFromZeroAndLatestIsOnTheNewest) {
  Log("a");
  Log("b");
  const VersionRecord v2 = Log("c");

  auto versions = registry_->ListVersions("vision", "mnist");

  ASSERT_OK(versions);
  EXPECT_THAT(Indexes(*versions), ElementsAre(0, 1, 2));
  EXPECT_THAT((*versions)[0].aliases, IsEmpty());
  EXPECT_THAT((*versions)[1].aliases, IsEmpty());
  EXPECT_THAT((*versions)[2].aliases, ElementsAre("latest"));
  auto latest = registry_->Resolve("vision", "mnist", "latest");
  ASSERT_OK(latest);
  EXPECT_EQ(latest->id, v2.id);
}

TEST_F(SqliteRegistryTest, SameDigestReturnsExistingVersion) {
  const VersionRecord first = Log("a");
  Log("b");

  auto again = registry_->LogVersion(Mnist(), MakeManifest("a"));

  ASSERT_OK(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->version.id, first.id);
  EXPECT_EQ(again->version.index, 0);
  EXPECT_THAT(again->version.aliases, IsEmpty());
  auto versions = registry_->ListVersions("vision", "mnist");
  ASSERT_OK(versions);
  EXPECT_EQ(versions->size(), 2U);
}

TEST_F(SqliteRegistryTest, DedupStillRecordsTheRunOutputEdge) {
  const std::int64_t run1 = NewRun("first");
  const std::int64_t run2 = NewRun("second");
  const VersionRecord logged = Log("a", {}, run1);

  auto again = registry_->LogVersion(Mnist({}, run2), MakeManifest("a"));

  ASSERT_OK(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->version.producer_run_id, run1);
  auto producing = registry_->RunsProducing(logged.id);
  ASSERT_OK(producing);
  EXPECT_THAT(RunIds(*producing), ElementsAre(run1, run2));
  auto edges = registry_->GetRunEdges(run2);
  ASSERT_OK(edges);
  ASSERT_EQ(edges->outputs.size(), 1U);
  EXPECT_EQ(edges->outputs[0].id, logged.id);
}

TEST_F(SqliteRegistryTest, UserAliasMovesBetweenVersions) {
  const VersionRecord v0 = Log("a", {"best"});
  const VersionRecord v1 = Log("b", {"best", "candidate"});

  auto old_version = registry_->GetVersion(v0.id);
  ASSERT_OK(old_version);
  EXPECT_THAT(old_version->aliases, IsEmpty());
  EXPECT_THAT(v1.aliases, ElementsAre("best", "candidate", "latest"));

  ASSERT_OK(registry_->SetAlias("vision", "mnist", 0, "best"));

  auto best = registry_->Resolve("vision", "mnist", "best");
  ASSERT_OK(best);
  EXPECT_EQ(best->id, v0.id);
  EXPECT_THAT(best->aliases, ElementsAre("best"));
  auto newest = registry_->GetVersion(v1.id);
  ASSERT_OK(newest);
  EXPECT_THAT(newest->aliases, ElementsAre("candidate", "latest"));
}

TEST_F(SqliteRegistryTest, DedupMovesRequestedAliasesToTheExistingVersion) {
  const VersionRecord v0 = Log("a");
  Log("b");

  auto again = registry_->LogVersion(Mnist({"prod", "latest"}), MakeManifest("a"));

  ASSERT_OK(again);
  EXPECT_EQ(again->version.id, v0.id);
  // "latest" in the request is not an alias to move: it stays on the newest.
  EXPECT_THAT(again->version.aliases, ElementsAre("prod"));
  auto latest = registry_->Resolve("vision", "mnist", "latest");
  ASSERT_OK(latest);
  EXPECT_EQ(latest->index, 1);
}

TEST_F(SqliteRegistryTest, ResolveAcceptsVnNumberAndAlias) {
  Log("a");
  const VersionRecord v1 = Log("b", {"best"});
  Log("c");

  for (const std::string ref : {"v1", "1", "best"}) {
    SCOPED_TRACE(ref);
    auto found = registry_->Resolve("vision", "mnist", ref);
    ASSERT_OK(found);
    EXPECT_EQ(found->id, v1.id);
  }
}

TEST_F(SqliteRegistryTest, ResolveUnknownVersionListsWhatExists) {
  for (const std::string seed : {"a", "b", "c", "d", "e"}) {
    Log(seed);
  }
  ASSERT_OK(registry_->SetAlias("vision", "mnist", 2, "best"));

  EXPECT_THAT(registry_->Resolve("vision", "mnist", "v7"),
              StatusIs(StatusCode::kNotFound,
                       Eq("vision/mnist:v7 not found: collection vision/mnist has "
                          "v0..v4; aliases: best, latest")));
  EXPECT_THAT(registry_->Resolve("vision", "mnist", "nope"),
              StatusIs(StatusCode::kNotFound,
                       Eq("vision/mnist:nope not found: collection vision/mnist has "
                          "v0..v4; aliases: best, latest")));
}

TEST_F(SqliteRegistryTest, ResolveUnknownCollectionListsCollections) {
  Log("a");
  NewVersion other = Mnist();
  other.name = "cifar";
  ASSERT_OK(registry_->LogVersion(other, MakeManifest("x")));

  EXPECT_THAT(registry_->Resolve("vision", "imagenet", "latest"),
              StatusIs(StatusCode::kNotFound,
                       Eq("collection vision/imagenet not found: project vision has "
                          "cifar, mnist")));
  EXPECT_THAT(registry_->Resolve("audio", "speech", "v0"),
              StatusIs(StatusCode::kNotFound,
                       Eq("collection audio/speech not found: project audio has no "
                          "collections")));
  EXPECT_THAT(registry_->Resolve("vision", "mnist", ""),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("empty version")));
}

TEST_F(SqliteRegistryTest, SetAliasRejectsLatestVersionLikeAndBadNames) {
  Log("a");
  struct Case {
    std::string alias;
    std::string message;
  };
  const Case cases[] = {
      {"latest",
       "alias \"latest\" always names the newest version and cannot be set; choose "
       "another alias"},
      {"v3",
       "alias \"v3\" looks like a version number; choose a name that is not \"vN\" or "
       "all digits, such as \"best\""},
      {"42",
       "alias \"42\" looks like a version number; choose a name that is not \"vN\" or "
       "all digits, such as \"best\""},
      {"a:b",
       "alias name \"a:b\" is invalid: use 1 to 128 letters, digits, '.', '_' or '-' "
       "(no ':', '/' or spaces)"},
      {"",
       "alias name \"\" is invalid: use 1 to 128 letters, digits, '.', '_' or '-' "
       "(no ':', '/' or spaces)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.alias);
    EXPECT_THAT(registry_->SetAlias("vision", "mnist", 0, c.alias),
                StatusIs(StatusCode::kInvalidArgument, Eq(c.message)));
  }
}

TEST_F(SqliteRegistryTest, SetAliasOnUnknownVersionIsNotFound) {
  Log("a");

  EXPECT_THAT(registry_->SetAlias("vision", "mnist", 3, "best"),
              StatusIs(StatusCode::kNotFound,
                       Eq("vision/mnist:v3 not found: collection vision/mnist has v0; "
                          "aliases: latest")));
  EXPECT_THAT(
      registry_->SetAlias("vision", "cifar", 0, "best"),
      StatusIs(StatusCode::kNotFound,
               Eq("collection vision/cifar not found: project vision has mnist")));
}

TEST_F(SqliteRegistryTest, LogVersionValidatesNamesAliasesAndMetadata) {
  struct Case {
    std::string label;
    NewVersion version;
    std::string message;
  };
  NewVersion bad_name = Mnist();
  bad_name.name = "a/b";
  NewVersion bad_project = Mnist();
  bad_project.project = "my project";
  NewVersion bad_alias = Mnist({"best", "v2"});
  NewVersion bad_metadata = Mnist();
  bad_metadata.metadata_json = "[]";
  NewVersion no_type = Mnist();
  no_type.type = "";
  const Case cases[] = {
      {"name", bad_name,
       "logging vision/a/b: collection name \"a/b\" is invalid: use 1 to 128 letters, "
       "digits, '.', '_' or '-' (no ':', '/' or spaces)"},
      {"project", bad_project,
       "logging my project/mnist: project name \"my project\" is invalid: use 1 to 128 "
       "letters, digits, '.', '_' or '-' (no ':', '/' or spaces)"},
      {"alias", bad_alias,
       "logging vision/mnist: alias \"v2\" looks like a version number; choose a name "
       "that is not \"vN\" or all digits, such as \"best\""},
      {"metadata", bad_metadata,
       "logging vision/mnist: metadata is JSON of type array; pass a JSON object such "
       "as {}"},
      {"type", no_type,
       "logging vision/mnist: a new collection needs a type, such as \"dataset\" or "
       "\"model\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_THAT(registry_->LogVersion(c.version, MakeManifest("a")),
                StatusIs(StatusCode::kInvalidArgument, Eq(c.message)));
  }

  // Nothing of the failed calls stays behind.
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions"), 0);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM manifests"), 0);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM collections"), 0);
}

TEST_F(SqliteRegistryTest, EmptyTypeReusesTheCollectionsTypeAndOtherTypeIsRejected) {
  Log("a");
  NewVersion untyped = Mnist();
  untyped.type = "";
  NewVersion model = Mnist();
  model.type = "model";

  auto logged = registry_->LogVersion(untyped, MakeManifest("b"));

  ASSERT_OK(logged);
  EXPECT_EQ(logged->version.type, "dataset");
  EXPECT_THAT(registry_->LogVersion(model, MakeManifest("c")),
              StatusIs(StatusCode::kAlreadyExists,
                       Eq("logging vision/mnist: collection vision/mnist holds type "
                          "\"dataset\", not \"model\"; log it under another name or with "
                          "type \"dataset\"")));
}

TEST_F(SqliteRegistryTest, UnknownRunLeavesNoVersion) {
  EXPECT_THAT(
      registry_->LogVersion(Mnist({}, 99), MakeManifest("a")),
      StatusIs(StatusCode::kNotFound, Eq("logging vision/mnist: run 99 not found")));

  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions"), 0);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM projects"), 0);
}

TEST_F(SqliteRegistryTest, FailureAfterTheVersionInsertRollsEverythingBack) {
  // A trigger makes the alias step fail after the manifest and version rows are
  // written, inside the same transaction.
  RawExec(path_,
          "CREATE TRIGGER fail_alias BEFORE INSERT ON aliases "
          "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

  auto failed = registry_->LogVersion(Mnist({"best"}), MakeManifest("a"));

  EXPECT_THAT(failed, StatusIs(StatusCode::kInternal, HasSubstr("injected failure")));
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions"), 0);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM manifests"), 0);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM collections"), 0);
  auto collections = registry_->ListCollections("vision");
  ASSERT_OK(collections);
  EXPECT_THAT(*collections, IsEmpty());

  // The index was not used up: the next successful log is still v0.
  RawExec(path_, "DROP TRIGGER fail_alias");
  EXPECT_EQ(Log("a", {"best"}).index, 0);
}

TEST_F(SqliteRegistryTest, RunLifecycle) {
  auto created =
      registry_->CreateRun("vision", "sunny-river-3", "train", R"({"lr":0.1})");
  ASSERT_OK(created);
  EXPECT_EQ(created->project, "vision");
  EXPECT_EQ(created->name, "sunny-river-3");
  EXPECT_EQ(created->job_type, "train");
  EXPECT_EQ(created->config_json, R"({"lr":0.1})");
  EXPECT_EQ(created->status, "running");
  EXPECT_EQ(created->exit_code, std::nullopt);
  EXPECT_THAT(created->started_at, MatchesRegex(kTimestampPattern));
  EXPECT_EQ(created->finished_at, "");

  ASSERT_OK(registry_->FinishRun(created->id, "failed", 3));

  auto finished = registry_->GetRun(created->id);
  ASSERT_OK(finished);
  EXPECT_EQ(finished->status, "failed");
  EXPECT_EQ(finished->exit_code, 3);
  EXPECT_THAT(finished->finished_at, MatchesRegex(kTimestampPattern));
  EXPECT_GE(finished->finished_at, finished->started_at);
  EXPECT_THAT(registry_->FinishRun(created->id, "finished", 0),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("run " + std::to_string(created->id) + " already failed at " +
                          finished->finished_at)));
}

TEST_F(SqliteRegistryTest, RunErrors) {
  const std::int64_t run = NewRun("r");

  EXPECT_THAT(registry_->FinishRun(run, "done", 0),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("run status \"done\" is invalid: use \"finished\" or "
                          "\"failed\"")));
  EXPECT_THAT(registry_->FinishRun(404, "finished", 0),
              StatusIs(StatusCode::kNotFound, Eq("run 404 not found")));
  EXPECT_THAT(registry_->GetRun(404),
              StatusIs(StatusCode::kNotFound, Eq("run 404 not found")));
  EXPECT_THAT(
      registry_->CreateRun("vision", "r", "train", "not json"),
      StatusIs(StatusCode::kInvalidArgument,
               Eq("run config is not valid JSON; pass a JSON object such as {}")));
  EXPECT_THAT(registry_->CreateRun("a/b", "r", "train", "{}"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("project name \"a/b\"")));
  EXPECT_THAT(registry_->AddRunInput(404, 1),
              StatusIs(StatusCode::kNotFound, Eq("run 404 not found")));
  EXPECT_THAT(registry_->AddRunOutput(run, 404),
              StatusIs(StatusCode::kNotFound, Eq("version id 404 not found")));
  EXPECT_THAT(registry_->RunsConsuming(404),
              StatusIs(StatusCode::kNotFound, Eq("version id 404 not found")));
}

TEST_F(SqliteRegistryTest, EmptyRunConfigIsAnEmptyObject) {
  auto run = registry_->CreateRun("vision", "", "eval", "");

  ASSERT_OK(run);
  EXPECT_EQ(run->config_json, "{}");
}

TEST_F(SqliteRegistryTest, RunEdgesFormTheLineageGraph) {
  const std::int64_t prepare = NewRun("prepare");
  const std::int64_t train = NewRun("train");
  const VersionRecord data = Log("a", {}, prepare);
  auto model_version = Mnist({}, train);
  model_version.name = "classifier";
  model_version.type = "model";

  ASSERT_OK(registry_->AddRunInput(train, data.id));
  ASSERT_OK(registry_->AddRunInput(train, data.id));  // idempotent
  auto model = registry_->LogVersion(model_version, MakeManifest("m"));
  ASSERT_OK(model);

  EXPECT_EQ(data.producer_run_id, prepare);
  EXPECT_EQ(model->version.producer_run_id, train);
  auto edges = registry_->GetRunEdges(train);
  ASSERT_OK(edges);
  EXPECT_EQ(edges->run.name, "train");
  ASSERT_EQ(edges->inputs.size(), 1U);
  EXPECT_EQ(edges->inputs[0].id, data.id);
  ASSERT_EQ(edges->outputs.size(), 1U);
  EXPECT_EQ(edges->outputs[0].Label(), "classifier:v0");
  auto consuming = registry_->RunsConsuming(data.id);
  ASSERT_OK(consuming);
  EXPECT_THAT(RunIds(*consuming), ElementsAre(train));
  auto producing = registry_->RunsProducing(data.id);
  ASSERT_OK(producing);
  EXPECT_THAT(RunIds(*producing), ElementsAre(prepare));
  auto prepare_edges = registry_->GetRunEdges(prepare);
  ASSERT_OK(prepare_edges);
  EXPECT_THAT(prepare_edges->inputs, IsEmpty());
  EXPECT_EQ(prepare_edges->outputs.size(), 1U);
}

TEST_F(SqliteRegistryTest, AddRunOutputIsIdempotent) {
  const std::int64_t run = NewRun("r");
  const VersionRecord v = Log("a");

  ASSERT_OK(registry_->AddRunOutput(run, v.id));
  ASSERT_OK(registry_->AddRunOutput(run, v.id));

  auto producing = registry_->RunsProducing(v.id);
  ASSERT_OK(producing);
  EXPECT_THAT(RunIds(*producing), ElementsAre(run));
}

TEST_F(SqliteRegistryTest, ListRunsIsNewestFirstPerProject) {
  const std::int64_t a = NewRun("a");
  const std::int64_t b = NewRun("b");
  ASSERT_OK(registry_->CreateRun("audio", "c", "train", "{}"));

  auto runs = registry_->ListRuns("vision");

  ASSERT_OK(runs);
  EXPECT_THAT(RunIds(*runs), ElementsAre(b, a));
  auto none = registry_->ListRuns("nowhere");
  ASSERT_OK(none);
  EXPECT_THAT(*none, IsEmpty());
}

TEST_F(SqliteRegistryTest, ManifestRoundTripsExactly) {
  manifest::Manifest original = MakeManifest("a", 3);
  manifest::ManifestEntry unchecked;
  unchecked.path = "extra/readme.txt";
  unchecked.ref = "https://example.invalid/readme.txt";
  unchecked.digest = "https://example.invalid/readme.txt";
  unchecked.checksum = false;
  ASSERT_OK(original.Add(unchecked));
  auto logged = registry_->LogVersion(Mnist(), original);
  ASSERT_OK(logged);

  auto loaded = registry_->LoadManifest(logged->version.id);

  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->Digest(), original.Digest());
  EXPECT_EQ(loaded->ToJson(), original.ToJson());
  EXPECT_EQ(loaded->entries(), original.entries());
  EXPECT_THAT(registry_->LoadManifest(404),
              StatusIs(StatusCode::kNotFound, Eq("version id 404 not found")));
}

TEST_F(SqliteRegistryTest, SharedManifestIsStoredOnce) {
  Log("a");
  NewVersion copy = Mnist();
  copy.name = "mnist-copy";

  auto logged = registry_->LogVersion(copy, MakeManifest("a"));

  ASSERT_OK(logged);
  EXPECT_TRUE(logged->created);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM manifests"), 1);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions"), 2);
}

TEST_F(SqliteRegistryTest, ListCollectionsIsSorted) {
  for (const std::string name : {"zeta", "alpha", "mid"}) {
    NewVersion v = Mnist();
    v.name = name;
    ASSERT_OK(registry_->LogVersion(v, MakeManifest(name)));
  }

  auto names = registry_->ListCollections("vision");

  ASSERT_OK(names);
  EXPECT_THAT(*names, ElementsAre("alpha", "mid", "zeta"));
  EXPECT_THAT(registry_->ListVersions("vision", "beta"),
              StatusIs(StatusCode::kNotFound,
                       Eq("collection vision/beta not found: project vision has alpha, "
                          "mid, zeta")));
  EXPECT_THAT(registry_->GetVersion(404),
              StatusIs(StatusCode::kNotFound, Eq("version id 404 not found")));
}

TEST_F(SqliteRegistryTest, DataSurvivesReopenAndSchemaIsVersioned) {
  const VersionRecord v0 = Log("a", {"best"});
  registry_.reset();

  auto reopened = OpenSqliteRegistry(path_);

  ASSERT_OK(reopened);
  auto best = (*reopened)->Resolve("vision", "mnist", "best");
  ASSERT_OK(best);
  EXPECT_EQ(best->id, v0.id);
  EXPECT_EQ(best->created_at, v0.created_at);
  EXPECT_EQ(RawInt(path_, "PRAGMA user_version"), 1);
  EXPECT_EQ(RawInt(path_, "SELECT max(version) FROM schema_migrations"), 1);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM schema_migrations"), 1);
}

TEST_F(SqliteRegistryTest, DatabaseIsInWalModeWithForeignKeys) {
  registry_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM pragma_foreign_key_list('versions')"), 3);
}

TEST_F(SqliteRegistryTest, NewerSchemaIsFailedPrecondition) {
  registry_.reset();
  RawExec(path_, "PRAGMA user_version = 99");

  EXPECT_THAT(OpenSqliteRegistry(path_),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("registry " + path_ +
                          " has schema version 99, newer than the 1 this cairn knows; "
                          "upgrade cairn")));
}

TEST_F(SqliteRegistryTest, OpenErrorsNameThePath) {
  const std::string not_db = dir_ + "/notes.txt";
  std::ofstream(not_db) << "these are notes, not a database, and they are long enough "
                           "to fill a database header of one hundred bytes or so.....\n";
  EXPECT_THAT(OpenSqliteRegistry(not_db),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("registry " + not_db)));

  const std::string under_file = not_db + "/registry.db";
  EXPECT_THAT(
      OpenSqliteRegistry(under_file),
      StatusIs(StatusCode::kUnavailable, HasSubstr("opening registry " + under_file)));
}

TEST_F(SqliteRegistryTest, OpenCreatesTheParentDirectory) {
  const std::string nested = dir_ + "/a/b/registry.db";

  auto registry = OpenSqliteRegistry(nested);

  ASSERT_OK(registry);
  EXPECT_TRUE(std::filesystem::exists(nested));
}

TEST_F(SqliteRegistryTest, BusyDatabaseIsAbortedAndLeavesNothing) {
  auto impatient =
      OpenSqliteRegistry(path_, SqliteRegistryOptions{.busy_timeout_ms = 20});
  ASSERT_OK(impatient);
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
            SQLITE_OK);

  auto blocked = (*impatient)->LogVersion(Mnist(), MakeManifest("a"));

  EXPECT_THAT(blocked, StatusIs(StatusCode::kAborted,
                                Eq("logging vision/mnist: registry " + path_ +
                                   ": database is locked (another writer held it for "
                                   "more than 20 ms); retry")));
  ASSERT_EQ(sqlite3_exec(holder, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(holder);
  auto retried = (*impatient)->LogVersion(Mnist(), MakeManifest("a"));
  ASSERT_OK(retried);
  EXPECT_EQ(retried->version.index, 0);
}

// Each child process opens the registry itself and logs `count` distinct
// manifests, each as the output of its own run. Returns the exit status.
int LogFromChild(const std::string& path, int child, int count) {
  auto registry = OpenSqliteRegistry(path);
  if (!registry.ok()) {
    std::fprintf(stderr, "child %d: %s\n", child, registry.status().ToString().c_str());
    return 1;
  }
  auto run =
      (*registry)->CreateRun("vision", "child-" + std::to_string(child), "train", "{}");
  if (!run.ok()) {
    std::fprintf(stderr, "child %d: %s\n", child, run.status().ToString().c_str());
    return 1;
  }
  for (int i = 0; i < count; ++i) {
    const std::string seed = std::to_string(child) + "-" + std::to_string(i);
    auto logged = (*registry)->LogVersion(Mnist({}, run->id), MakeManifest(seed));
    if (!logged.ok() || !logged->created) {
      std::fprintf(stderr, "child %d: %s\n", child, logged.status().ToString().c_str());
      return 1;
    }
  }
  return 0;
}

TEST(SqliteRegistryConcurrencyTest, ProcessesLoggingAtOnceGetDistinctIndexes) {
  constexpr int kProcesses = 4;
  constexpr int kPerProcess = 10;
  // A new file, so the children also race to create the schema.
  const std::string dir = MakeTempDir();
  const std::string path = dir + "/registry.db";

  // The children wait on a pipe until the parent closes it, so they start together.
  int gate[2];
  ASSERT_EQ(pipe(gate), 0);
  std::vector<pid_t> children;
  for (int child = 0; child < kProcesses; ++child) {
    const pid_t pid = fork();
    if (pid == 0) {
      close(gate[1]);
      char byte = 0;
      (void)read(gate[0], &byte, 1);
      _exit(LogFromChild(path, child, kPerProcess));
    }
    if (pid < 0) {
      break;
    }
    children.push_back(pid);
  }
  close(gate[0]);
  close(gate[1]);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child pid " << pid;
  }
  ASSERT_EQ(children.size(), static_cast<std::size_t>(kProcesses));

  auto registry = OpenSqliteRegistry(path);
  ASSERT_OK(registry);
  auto versions = (*registry)->ListVersions("vision", "mnist");
  ASSERT_OK(versions);
  ASSERT_EQ(versions->size(), static_cast<std::size_t>(kProcesses * kPerProcess));
  std::set<std::string> digests;
  for (std::size_t i = 0; i < versions->size(); ++i) {
    EXPECT_EQ((*versions)[i].index, static_cast<std::int64_t>(i));
    digests.insert((*versions)[i].digest);
  }
  std::set<std::string> expected;
  for (int child = 0; child < kProcesses; ++child) {
    for (int i = 0; i < kPerProcess; ++i) {
      expected.insert(
          MakeManifest(std::to_string(child) + "-" + std::to_string(i)).Digest());
    }
  }
  EXPECT_EQ(digests, expected);
  auto runs = (*registry)->ListRuns("vision");
  ASSERT_OK(runs);
  ASSERT_EQ(runs->size(), static_cast<std::size_t>(kProcesses));
  for (const RunRecord& run : *runs) {
    auto edges = (*registry)->GetRunEdges(run.id);
    ASSERT_OK(edges);
    EXPECT_EQ(edges->outputs.size(), static_cast<std::size_t>(kPerProcess)) << run.name;
  }
  EXPECT_EQ(RawInt(path, "PRAGMA user_version"), 1);
  registry->reset();
  std::filesystem::remove_all(dir);
}

TEST_F(SqliteRegistryTest, ThreadsSharingOneRegistryGetDistinctIndexes) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::vector<Status> failures(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &failures] {
      for (int i = 0; i < kPerThread; ++i) {
        auto logged = registry_->LogVersion(
            Mnist(), MakeManifest("t" + std::to_string(t) + "-" + std::to_string(i)));
        if (!logged.ok()) {
          failures[t] = logged.status();
          return;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }

  for (const Status& failure : failures) {
    EXPECT_OK(failure);
  }
  auto versions = registry_->ListVersions("vision", "mnist");
  ASSERT_OK(versions);
  ASSERT_EQ(versions->size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (std::size_t i = 0; i < versions->size(); ++i) {
    EXPECT_EQ((*versions)[i].index, static_cast<std::int64_t>(i));
  }
}

}  // namespace
}  // namespace cairn::registry
