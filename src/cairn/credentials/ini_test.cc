// SPDX-License-Identifier: Apache-2.0
#include "cairn/credentials/ini.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::credentials::internal {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::Eq;

using Values = std::map<std::string, std::string>;

TEST(IniTest, ReadsSectionsKeysAndValues) {
  auto file = ParseIni("[default]\nregion = eu-west-1\n\n[dev]\nregion=us-east-2\n", "f");

  ASSERT_OK(file);
  EXPECT_EQ(file->sections.size(), 2U);
  EXPECT_EQ(file->Find("default")->values, (Values{{"region", "eu-west-1"}}));
  EXPECT_EQ(file->Find("dev")->values, (Values{{"region", "us-east-2"}}));
  EXPECT_EQ(file->Find("prod"), nullptr);
}

TEST(IniTest, SkipsWholeLineAndInlineComments) {
  auto file = ParseIni(
      "# a comment\n"
      "; another\n"
      "[default] # header comment\n"
      "  # indented comment\n"
      "region = eu-west-1 ; trailing\n"
      "output = json # trailing\n"
      "endpoint_url = http://h/p#frag\n",
      "f");

  ASSERT_OK(file);
  EXPECT_EQ(file->Find("default")->values, (Values{{"endpoint_url", "http://h/p#frag"},
                                                   {"output", "json"},
                                                   {"region", "eu-west-1"}}));
}

TEST(IniTest, TrimsWhitespaceLowercasesKeysAndAcceptsColon) {
  auto file =
      ParseIni("[ profile \t dev ]\r\n  AWS_Access_Key_ID :  AKIDEXAMPLE  \r\n", "f");

  ASSERT_OK(file);
  const IniSection* section = file->Find("profile dev");
  ASSERT_NE(section, nullptr);
  EXPECT_EQ(section->values, (Values{{"aws_access_key_id", "AKIDEXAMPLE"}}));
  EXPECT_EQ(section->lines.at("aws_access_key_id"), 2);
}

TEST(IniTest, KeyWithoutValueOpensNestedSubSection) {
  auto file = ParseIni(
      "[profile dev]\n"
      "s3 =\n"
      "  endpoint_url = http://127.0.0.1:9000\n"
      "  addressing_style = path\n"
      "region = us-east-1\n",
      "f");

  ASSERT_OK(file);
  const IniSection* section = file->Find("profile dev");
  EXPECT_EQ(section->values, (Values{{"region", "us-east-1"}, {"s3", ""}}));
  EXPECT_EQ(
      section->nested.at("s3"),
      (Values{{"addressing_style", "path"}, {"endpoint_url", "http://127.0.0.1:9000"}}));
}

TEST(IniTest, IndentedKeysAtOneLevelAreOrdinaryKeys) {
  auto file = ParseIni("[default]\n  region = a\n  output = b\n", "f");

  ASSERT_OK(file);
  EXPECT_EQ(file->Find("default")->values, (Values{{"output", "b"}, {"region", "a"}}));
  EXPECT_TRUE(file->Find("default")->nested.empty());
}

TEST(IniTest, IndentedLineAfterValueContinuesIt) {
  auto file = ParseIni("[default]\nnote = first\n  second\n", "f");

  ASSERT_OK(file);
  EXPECT_EQ(file->Find("default")->Get("note"), "first\nsecond");
}

TEST(IniTest, RepeatedSectionIsMergedLaterKeysWin) {
  auto file = ParseIni("[a]\nx = 1\ny = 2\n[b]\n[a]\ny = 3\n", "f");

  ASSERT_OK(file);
  EXPECT_EQ(file->Find("a")->values, (Values{{"x", "1"}, {"y", "3"}}));
}

TEST(IniTest, MalformedLinesNameLabelAndLineButNotTheText) {
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"aws_secret_access_key = hush\n",
       "parsing cfg line 1: key before the first [section] header; add a header such "
       "as [default] above it"},
      {"[default\n", "parsing cfg line 1: section header lacks its closing ']'"},
      {"\n[  ]\n", "parsing cfg line 2: section header has no name"},
      {"[default]\nhush-hush-secret\n",
       "parsing cfg line 2: expected `key = value` or `[section]`"},
      {"[default]\ns3 =\n  hush-hush-secret\n",
       "parsing cfg line 3: expected an indented `key = value` under `s3 =`"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_THAT(ParseIni(c.text, "cfg"),
                StatusIs(StatusCode::kInvalidArgument, Eq(c.message)));
  }
}

TEST(IniTest, MissingFileIsNotAnError) {
  auto file = ReadIniFile("/nonexistent-cairn-dir/config", "config file");

  ASSERT_OK(file);
  EXPECT_FALSE(file->has_value());
}

}  // namespace
}  // namespace cairn::credentials::internal
