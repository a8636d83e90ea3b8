// SPDX-License-Identifier: Apache-2.0
#include "cli/manifest_diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

manifest::ManifestEntry Entry(std::string path, std::string digest, std::int64_t size) {
  manifest::ManifestEntry entry;
  entry.ref = "file:///data/" + path;
  entry.path = std::move(path);
  entry.digest = std::move(digest);
  entry.size_bytes = size;
  return entry;
}

TEST(ManifestDiffTest, ReportsAddedRemovedAndChangedPathsSorted) {
  manifest::Manifest from;
  ASSERT_OK(from.Add(Entry("a.txt", "AAA=", 3)));
  ASSERT_OK(from.Add(Entry("b.txt", "BBB=", 3)));
  ASSERT_OK(from.Add(Entry("c/d.txt", "DDD=", 3)));
  manifest::Manifest to;
  ASSERT_OK(to.Add(Entry("a.txt", "AAA=", 3)));
  ASSERT_OK(to.Add(Entry("b.txt", "CCC=", 4)));
  ASSERT_OK(to.Add(Entry("c/e.txt", "EEE=", 3)));
  ASSERT_OK(to.Add(Entry("0.txt", "ZZZ=", 3)));

  const ManifestDiff diff = DiffManifests(from, to);

  EXPECT_THAT(diff.added, ElementsAre("0.txt", "c/e.txt"));
  EXPECT_THAT(diff.removed, ElementsAre("c/d.txt"));
  EXPECT_THAT(diff.changed, ElementsAre("b.txt"));
}

TEST(ManifestDiffTest, NewObjectVersionOfSameBytesIsNotAChange) {
  manifest::ManifestEntry old_entry = Entry("a.txt", "AAA=", 3);
  old_entry.extra["versionID"] = "v1";
  manifest::ManifestEntry new_entry = old_entry;
  new_entry.extra["versionID"] = "v2";
  manifest::Manifest from;
  ASSERT_OK(from.Add(old_entry));
  manifest::Manifest to;
  ASSERT_OK(to.Add(new_entry));

  const ManifestDiff diff = DiffManifests(from, to);

  EXPECT_TRUE(diff.empty());
  EXPECT_THAT(diff.changed, IsEmpty());
}

TEST(ManifestDiffTest, EverythingIsAddedWhenComparedWithNothing) {
  manifest::Manifest to;
  ASSERT_OK(to.Add(Entry("b", "B=", 1)));
  ASSERT_OK(to.Add(Entry("a", "A=", 1)));

  const ManifestDiff diff = DiffManifests(manifest::Manifest(), to);

  EXPECT_THAT(diff.added, ElementsAre("a", "b"));
  EXPECT_THAT(diff.removed, IsEmpty());
}

}  // namespace
}  // namespace cairn::cli
