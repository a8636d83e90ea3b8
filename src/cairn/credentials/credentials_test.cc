// SPDX-License-Identifier: Apache-2.0
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "cairn/base/env.h"
#include "cairn/credentials/aws.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::credentials {
namespace {

// A new empty directory under the system's temporary directory.
std::string MakeTempDir() {
  // mkdtemp replaces the six trailing X characters of its pattern.
  std::string pattern =
      (std::filesystem::temp_directory_path() / "cairn-credentials-").string() +
      std::string(6, 'X');
  CAIRN_CHECK(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

using ::cairn::testing::StatusIs;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Not;

// A temporary HOME with an .aws folder, and a map standing in for the environment.
class AwsSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = MakeTempDir();
    std::filesystem::create_directories(home_ + "/.aws");
    vars_["HOME"] = home_;
  }

  void TearDown() override { std::filesystem::remove_all(home_); }

  void Write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  void WriteCredentials(const std::string& text) { Write(CredentialsPath(), text); }
  void WriteConfig(const std::string& text) { Write(ConfigPath(), text); }
  std::string CredentialsPath() const { return home_ + "/.aws/credentials"; }
  std::string ConfigPath() const { return home_ + "/.aws/config"; }

  Result<AwsSettings> Resolve() {
    return ResolveAwsSettings(
        [this](std::string_view name) -> std::optional<std::string> {
          auto it = vars_.find(std::string(name));
          if (it == vars_.end()) {
            return std::nullopt;
          }
          return it->second;
        });
  }

  std::string home_;
  std::map<std::string, std::string> vars_;
};

TEST_F(AwsSettingsTest, NothingConfiguredMeansAnonymous) {
  auto settings = Resolve();

  ASSERT_OK(settings);
  EXPECT_TRUE(settings->credentials.anonymous());
  EXPECT_EQ(settings->credentials.source, "none (anonymous)");
  EXPECT_EQ(settings->credentials.secret_access_key, "");
  EXPECT_EQ(settings->profile, "default");
  EXPECT_EQ(settings->region, "");
  EXPECT_EQ(settings->endpoint_url, "");
}

TEST_F(AwsSettingsTest, EnvironmentBeatsFiles) {
  WriteCredentials("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = f\n");
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE";
  vars_["AWS_SECRET_ACCESS_KEY"] = "testing";

  auto settings = Resolve();

  ASSERT_OK(settings);
  EXPECT_EQ(settings->credentials.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(settings->credentials.secret_access_key, "testing");
  EXPECT_EQ(settings->credentials.session_token, "");
  EXPECT_EQ(settings->credentials.source, "environment");
}

TEST_F(AwsSettingsTest, SessionTokenComesWithItsKeys) {
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE";
  vars_["AWS_SECRET_ACCESS_KEY"] = "testing";
  vars_["AWS_SESSION_TOKEN"] = "token-env";
  auto from_env = Resolve();
  ASSERT_OK(from_env);
  EXPECT_EQ(from_env->credentials.session_token, "token-env");

  vars_.erase("AWS_ACCESS_KEY_ID");
  vars_.erase("AWS_SECRET_ACCESS_KEY");
  vars_.erase("AWS_SESSION_TOKEN");
  WriteCredentials(
      "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n"
      "aws_session_token = token-file\n");
  auto from_file = Resolve();
  ASSERT_OK(from_file);
  EXPECT_EQ(from_file->credentials.access_key_id, "AKIDFILE");
  EXPECT_EQ(from_file->credentials.session_token, "token-file");
}

TEST_F(AwsSettingsTest, AwsProfileSelectsTheCredentialsSection) {
  WriteCredentials(
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n"
      "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = testing\n");
  vars_["AWS_PROFILE"] = "dev";

  auto settings = Resolve();

  ASSERT_OK(settings);
  EXPECT_EQ(settings->profile, "dev");
  EXPECT_EQ(settings->credentials.access_key_id, "AKIDDEV");
  EXPECT_EQ(settings->credentials.secret_access_key, "testing");
  EXPECT_EQ(settings->credentials.source,
            "shared credentials file " + CredentialsPath() + " [dev]");
}

TEST_F(AwsSettingsTest, ConfigFileNamesProfilesWithPrefix) {
  // "[dev]" in the config file is not the dev profile; "[profile dev]" is.
  WriteConfig(
      "[dev]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = w\n"
      "[profile dev]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\n"
      "region = eu-central-1\n");
  vars_["AWS_PROFILE"] = "dev";

  auto settings = Resolve();

  ASSERT_OK(settings);
  EXPECT_EQ(settings->credentials.access_key_id, "AKIDCONFIG");
  EXPECT_EQ(settings->credentials.source, "config file " + ConfigPath() + " [dev]");
  EXPECT_EQ(settings->region, "eu-central-1");
}

TEST_F(AwsSettingsTest, ConfigFileDefaultSectionHasNoPrefix) {
  WriteConfig("[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\n");

  auto settings = Resolve();

  ASSERT_OK(settings);
  EXPECT_EQ(settings->credentials.access_key_id, "AKIDCONFIG");
  EXPECT_EQ(settings->credentials.source, "config file " + ConfigPath() + " [default]");
}

TEST_F(AwsSettingsTest, CredentialsFileBeatsConfigFile) {
  WriteCredentials(
      "[default]\naws_access_key_id = AKIDCRED\naws_secret_access_key = a\n");
  WriteConfig("[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = b\n");

  auto settings = Resolve();

  ASSERT_OK(settings);
  EXPECT_EQ(settings->credentials.access_key_id, "AKIDCRED");
  EXPECT_EQ(settings->credentials.secret_access_key, "a");
}

TEST_F(AwsSettingsTest, VariablesOverrideFileLocations) {
  const std::string credentials = home_ + "/elsewhere-credentials";
  const std::string config = home_ + "/elsewhere-config";
  Write(credentials,
        "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = m\n");
  Write(config, "[default]\nregion = ap-south-1\n");
  WriteCredentials(
      "[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = h\n");
  vars_["AWS_SHARED_CREDENTIALS_FILE"] = credentials;
  vars_["AWS_CONFIG_FILE"] = config;

  auto settings = Resolve();

  ASSERT_OK(settings);
  EXPECT_EQ(settings->credentials.access_key_id, "AKIDMOVED");
  EXPECT_EQ(settings->credentials.source,
            "shared credentials file " + credentials + " [default]");
  EXPECT_EQ(settings->region, "ap-south-1");
}

TEST_F(AwsSettingsTest, MissingProfileNamesProfileAndFilesSearched) {
  WriteConfig("[profile dev]\nregion = us-east-1\n");
  vars_["AWS_PROFILE"] = "ghost";

  EXPECT_THAT(
      Resolve(),
      StatusIs(StatusCode::kUnauthenticated,
               Eq("AWS_PROFILE names profile \"ghost\", which no file has; searched " +
                  CredentialsPath() + " (missing) for [ghost] and " + ConfigPath() +
                  " for [profile ghost]; add the profile or unset AWS_PROFILE")));
}

TEST_F(AwsSettingsTest, ProfileWithoutKeysStillCountsAsFound) {
  WriteConfig("[profile dev]\nregion = us-west-2\n");
  vars_["AWS_PROFILE"] = "dev";

  auto settings = Resolve();

  ASSERT_OK(settings);
  EXPECT_TRUE(settings->credentials.anonymous());
  EXPECT_EQ(settings->region, "us-west-2");
}

TEST_F(AwsSettingsTest, HomeFallsBackToProcessHomeWhenLookupHasNone) {
  vars_.erase("HOME");
  vars_["AWS_PROFILE"] = "cairn-test-profile-that-does-not-exist";

  EXPECT_THAT(Resolve(),
              StatusIs(StatusCode::kUnauthenticated,
                       HasSubstr(cairn::env::HomeDir() + "/.aws/credentials")));
}

TEST_F(AwsSettingsTest, KeyIdWithoutSecretInEnvironmentIsAnError) {
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDLONELY";

  auto settings = Resolve();

  EXPECT_THAT(settings, StatusIs(StatusCode::kUnauthenticated,
                                 Eq("environment variable AWS_ACCESS_KEY_ID is set but "
                                    "AWS_SECRET_ACCESS_KEY is not; set both, or unset "
                                    "AWS_ACCESS_KEY_ID to use the shared files")));
}

TEST_F(AwsSettingsTest, KeyIdWithoutSecretInFileNamesFileAndLine) {
  WriteCredentials(
      "[default]\n# keys\naws_access_key_id = AKIDLONELY\naws_session_token = "
      "tok-hush\n");

  auto settings = Resolve();

  EXPECT_THAT(settings,
              StatusIs(StatusCode::kUnauthenticated,
                       Eq("shared credentials file " + CredentialsPath() +
                          " [default] line 3 sets aws_access_key_id but no "
                          "aws_secret_access_key; add the secret to that section or "
                          "remove the key id")));
  EXPECT_THAT(settings.status().message(), Not(HasSubstr("tok-hush")));
}

TEST_F(AwsSettingsTest, MalformedFileNamesFileAndLineButNoSecret) {
  WriteCredentials("[default]\naws_secret_access_key hush-hush\n");

  auto settings = Resolve();

  EXPECT_THAT(settings,
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("parsing shared credentials file " + CredentialsPath() +
                          " line 2: expected `key = value` or `[section]`")));
  EXPECT_THAT(settings.status().message(), Not(HasSubstr("hush")));
}

TEST_F(AwsSettingsTest, EmptyVariablesCountAsUnset) {
  WriteCredentials(
      "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n");
  WriteConfig("[default]\nregion = eu-west-3\n");
  vars_["AWS_ACCESS_KEY_ID"] = "";
  vars_["AWS_PROFILE"] = "";
  vars_["AWS_REGION"] = "";
  vars_["AWS_ENDPOINT_URL"] = "";

  auto settings = Resolve();

  ASSERT_OK(settings);
  EXPECT_EQ(settings->profile, "default");
  EXPECT_EQ(settings->credentials.access_key_id, "AKIDFILE");
  EXPECT_EQ(settings->region, "eu-west-3");
  EXPECT_EQ(settings->endpoint_url, "");
}

TEST_F(AwsSettingsTest, RegionOrder) {
  WriteConfig("[default]\nregion = from-config\n");
  struct Case {
    std::map<std::string, std::string> vars;
    std::string region;
  };
  const Case cases[] = {
      {{{"AWS_REGION", "from-region"}, {"AWS_DEFAULT_REGION", "from-default"}},
       "from-region"},
      {{{"AWS_DEFAULT_REGION", "from-default"}}, "from-default"},
      {{}, "from-config"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.region);
    vars_ = c.vars;
    vars_["HOME"] = home_;

    auto settings = Resolve();

    ASSERT_OK(settings);
    EXPECT_EQ(settings->region, c.region);
  }
}

TEST_F(AwsSettingsTest, EndpointOrder) {
  const std::string services =
      "[services local]\ns3 =\n  endpoint_url = http://services\n";
  const std::string nested = "s3 =\n  endpoint_url = http://nested\n";
  const std::string flat = "endpoint_url = http://profile\n";
  const std::string all_env[] = {"AWS_S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
                                 "AWS_ENDPOINT_URL"};
  struct Case {
    int env_from;  // set all_env[env_from..2]; 3 sets none
    std::string config;
    std::string endpoint;
  };
  const std::string profile = "[default]\nservices = local\n";
  const Case cases[] = {
      {0, profile + flat + nested + services, "http://env-AWS_S3_ENDPOINT_URL"},
      {1, profile + flat + nested + services, "http://env-AWS_ENDPOINT_URL_S3"},
      {2, profile + flat + nested + services, "http://env-AWS_ENDPOINT_URL"},
      {3, profile + flat + nested + services, "http://nested"},
      {3, profile + flat + services, "http://services"},
      {3, profile + flat, "http://profile"},
      {3, "[default]\n", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.endpoint);
    vars_ = {{"HOME", home_}};
    for (int i = c.env_from; i < 3; ++i) {
      vars_[all_env[i]] = "http://env-" + all_env[i];
    }
    WriteConfig(c.config);

    auto settings = Resolve();

    ASSERT_OK(settings);
    EXPECT_EQ(settings->endpoint_url, c.endpoint);
  }
}

TEST_F(AwsSettingsTest, NestedS3KeysDoNotLeakIntoTheProfile) {
  WriteConfig("[default]\ns3 =\n  region = nested-region\n  endpoint_url = http://n\n");

  auto settings = Resolve();

  ASSERT_OK(settings);
  EXPECT_EQ(settings->region, "");
  EXPECT_EQ(settings->endpoint_url, "http://n");
}

}  // namespace
}  // namespace cairn::credentials
