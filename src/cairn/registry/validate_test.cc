// SPDX-License-Identifier: Apache-2.0
#include "cairn/registry/validate.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::registry {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::Eq;
using ::testing::HasSubstr;

TEST(ValidateTest, NamesAllowLettersDigitsDotUnderscoreDash) {
  for (const std::string& name :
       std::vector<std::string>{"mnist", "MNIST-v2_train.1", "a", "x.y", "...",
                                std::string(kMaxNameLength, 'n')}) {
    SCOPED_TRACE(name);
    EXPECT_OK(ValidateName("collection", name));
  }
}

TEST(ValidateTest, BadNamesAreRejectedNamingKindNameAndRule) {
  for (const std::string& name :
       std::vector<std::string>{"", "a/b", "a:b", "a b", ".", "..", "caf\xc3\xa9",
                                std::string(kMaxNameLength + 1, 'n')}) {
    SCOPED_TRACE(name);
    EXPECT_THAT(ValidateName("project", name),
                StatusIs(StatusCode::kInvalidArgument,
                         Eq("project name \"" + name +
                            "\" is invalid: use 1 to 128 letters, digits, '.', '_' or "
                            "'-' (no ':', '/' or spaces)")));
  }
}

TEST(ValidateTest, AliasesMustNotLookLikeVersions) {
  for (const std::string alias : {"v0", "v12", "3", "007"}) {
    SCOPED_TRACE(alias);
    EXPECT_THAT(ValidateAlias(alias),
                StatusIs(StatusCode::kInvalidArgument,
                         Eq("alias \"" + alias +
                            "\" looks like a version number; choose a name that is not "
                            "\"vN\" or all digits, such as \"best\"")));
  }
  for (const std::string alias : {"best", "v", "v1a", "version3", "prod-2", "latest"}) {
    SCOPED_TRACE(alias);
    EXPECT_OK(ValidateAlias(alias));
  }
  EXPECT_THAT(ValidateAlias("a/b"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("alias name \"a/b\"")));
}

TEST(ValidateTest, JsonFieldsMustBeObjects) {
  EXPECT_OK(ValidateJsonObject("metadata", "{}"));
  EXPECT_OK(ValidateJsonObject("metadata", R"({"lr": 0.1, "tags": ["a"]})"));
  EXPECT_THAT(ValidateJsonObject("metadata", "{"),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("metadata is not valid JSON; pass a JSON object such as {}")));
  EXPECT_THAT(ValidateJsonObject("run config", "[1]"),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("run config is JSON of type array; pass a JSON object such as "
                          "{}")));
}

TEST(ValidateTest, VersionRefsParseIndexLatestAndAlias) {
  struct Case {
    std::string text;
    VersionRef::Kind kind;
    std::int64_t index;
    std::string alias;
  };
  const Case cases[] = {
      {"v3", VersionRef::Kind::kIndex, 3, ""},
      {"3", VersionRef::Kind::kIndex, 3, ""},
      {"v0", VersionRef::Kind::kIndex, 0, ""},
      {"v007", VersionRef::Kind::kIndex, 7, ""},
      {"latest", VersionRef::Kind::kLatest, 0, ""},
      {"best", VersionRef::Kind::kAlias, 0, "best"},
      {"v", VersionRef::Kind::kAlias, 0, "v"},
      {"v-1", VersionRef::Kind::kAlias, 0, "v-1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto ref = ParseVersionRef(c.text);
    ASSERT_OK(ref);
    EXPECT_EQ(ref->kind, c.kind);
    EXPECT_EQ(ref->index, c.index);
    EXPECT_EQ(ref->alias, c.alias);
  }
}

TEST(ValidateTest, VersionRefRejectsEmptyAndOverflow) {
  EXPECT_THAT(ParseVersionRef(""),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("empty version reference; pass \"vN\", \"N\", \"latest\" or "
                          "an alias")));
  EXPECT_THAT(ParseVersionRef("v99999999999999999999"),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("version \"v99999999999999999999\" is too large to be a "
                          "version number")));
}

TEST(ValidateTest, DescribeIndexesCompressesRuns) {
  EXPECT_EQ(DescribeIndexes({}), "no versions");
  EXPECT_EQ(DescribeIndexes({0}), "v0");
  EXPECT_EQ(DescribeIndexes({0, 1, 2, 3, 4}), "v0..v4");
  EXPECT_EQ(DescribeIndexes({0, 2, 3, 7}), "v0, v2..v3, v7");
}

}  // namespace
}  // namespace cairn::registry
