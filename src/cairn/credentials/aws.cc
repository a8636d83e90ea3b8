// SPDX-License-Identifier: Apache-2.0
#include "cairn/credentials/aws.h"

#include <utility>

#include "cairn/base/env.h"
#include "cairn/credentials/ini.h"

namespace cairn::credentials {
namespace {

using internal::IniFile;
using internal::IniSection;

// A variable set to "" counts as unset, as it does for the AWS tools.
std::string Lookup(const EnvLookup& env, std::string_view name) {
  std::optional<std::string> value = env(name);
  return value ? *value : std::string();
}

std::string FirstSet(const EnvLookup& env,
                     std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (std::string value = Lookup(env, name); !value.empty()) {
      return value;
    }
  }
  return "";
}

// One file as read for one profile: where it is, whether it exists, and the
// profile's section in it.
struct ProfileSource {
  std::string label;  // "shared credentials file /home/u/.aws/credentials"
  std::string path;
  std::optional<IniFile> file;
  const IniSection* section = nullptr;

  std::string Get(const std::string& key) const {
    return section == nullptr ? std::string() : section->Get(key);
  }
};

Result<ProfileSource> ReadProfile(std::string_view kind, const std::string& path,
                                  const std::vector<std::string>& section_names) {
  ProfileSource source;
  source.label = std::string(kind) + " " + path;
  source.path = path;
  CAIRN_ASSIGN_OR_RETURN(source.file, internal::ReadIniFile(path, source.label));
  if (source.file) {
    for (const std::string& name : section_names) {
      if ((source.section = source.file->Find(name)) != nullptr) {
        break;
      }
    }
  }
  return source;
}

std::string Searched(const ProfileSource& source) {
  return source.path + (source.file ? "" : " (missing)");
}

// Keys from a file section; kUnauthenticated when the key id comes alone.
Result<std::optional<AwsCredentials>> CredentialsFromSection(const ProfileSource& source,
                                                             const std::string& profile) {
  const std::string key_id = source.Get("aws_access_key_id");
  if (key_id.empty()) {
    return std::optional<AwsCredentials>();
  }
  const std::string where = source.label + " [" + profile + "]";
  std::string secret = source.Get("aws_secret_access_key");
  if (secret.empty()) {
    return UnauthenticatedError(
        where + " line " + std::to_string(source.section->lines.at("aws_access_key_id")) +
        " sets aws_access_key_id but no aws_secret_access_key; add "
        "the secret to that section or remove the key id");
  }
  return std::optional<AwsCredentials>(AwsCredentials{
      .access_key_id = key_id,
      .secret_access_key = std::move(secret),
      .session_token = source.Get("aws_session_token"),
      .source = where,
  });
}

Result<AwsCredentials> ResolveCredentials(const EnvLookup& env,
                                          const ProfileSource& credentials_file,
                                          const ProfileSource& config_file,
                                          const std::string& profile) {
  const std::string key_id = Lookup(env, "AWS_ACCESS_KEY_ID");
  if (!key_id.empty()) {
    std::string secret = Lookup(env, "AWS_SECRET_ACCESS_KEY");
    if (secret.empty()) {
      return UnauthenticatedError(
          "environment variable AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is "
          "not; set both, or unset AWS_ACCESS_KEY_ID to use the shared files");
    }
    return AwsCredentials{.access_key_id = key_id,
                          .secret_access_key = std::move(secret),
                          .session_token = Lookup(env, "AWS_SESSION_TOKEN"),
                          .source = "environment"};
  }

  for (const ProfileSource* source : {&credentials_file, &config_file}) {
    CAIRN_ASSIGN_OR_RETURN(std::optional<AwsCredentials> found,
                           CredentialsFromSection(*source, profile));
    if (found) {
      return *std::move(found);
    }
  }
  AwsCredentials anonymous;
  anonymous.source = "none (anonymous)";
  return anonymous;
}

// The profile's value of `key`; the credentials file's section wins over the config
// file's, as the AWS CLI merges them.
std::string ProfileValue(const ProfileSource& credentials_file,
                         const ProfileSource& config_file, const std::string& key) {
  std::string value = credentials_file.Get(key);
  return value.empty() ? config_file.Get(key) : value;
}

std::string NestedS3Endpoint(const IniSection* section) {
  if (section == nullptr) {
    return "";
  }
  auto s3 = section->nested.find("s3");
  if (s3 == section->nested.end()) {
    return "";
  }
  auto endpoint = s3->second.find("endpoint_url");
  return endpoint == s3->second.end() ? std::string() : endpoint->second;
}

std::string ResolveEndpoint(const EnvLookup& env, const ProfileSource& credentials_file,
                            const ProfileSource& config_file) {
  std::string endpoint =
      FirstSet(env, {"AWS_S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"});

  // As in the AWS CLI, a setting for S3 alone wins over the profile's global
  // endpoint_url: first an `s3 =` sub-section of the profile, then the
  // `[services NAME]` section that the profile's `services = NAME` points at.
  if (endpoint.empty()) {
    endpoint = NestedS3Endpoint(config_file.section);
  }
  if (endpoint.empty()) {
    endpoint = NestedS3Endpoint(credentials_file.section);
  }
  const std::string services = config_file.Get("services");
  if (endpoint.empty() && !services.empty() && config_file.file) {
    endpoint = NestedS3Endpoint(config_file.file->Find("services " + services));
  }
  if (endpoint.empty()) {
    endpoint = ProfileValue(credentials_file, config_file, "endpoint_url");
  }
  return endpoint;
}

}  // namespace

Result<AwsSettings> ResolveAwsSettings(const EnvLookup& env) {
  AwsSettings settings;
  const std::string named_profile = Lookup(env, "AWS_PROFILE");
  settings.profile = named_profile.empty() ? "default" : named_profile;

  std::string home = Lookup(env, "HOME");
  if (home.empty()) {
    home = cairn::env::HomeDir();
  }
  std::string credentials_path = Lookup(env, "AWS_SHARED_CREDENTIALS_FILE");
  if (credentials_path.empty()) {
    credentials_path = home + "/.aws/credentials";
  }
  std::string config_path = Lookup(env, "AWS_CONFIG_FILE");
  if (config_path.empty()) {
    config_path = home + "/.aws/config";
  }

  // The config file names a profile "[profile NAME]"; only the default profile may
  // also be plain "[default]".
  std::vector<std::string> config_sections = {"profile " + settings.profile};
  if (settings.profile == "default") {
    config_sections.emplace_back("default");
  }
  CAIRN_ASSIGN_OR_RETURN(
      ProfileSource credentials_file,
      ReadProfile("shared credentials file", credentials_path, {settings.profile}));
  CAIRN_ASSIGN_OR_RETURN(ProfileSource config_file,
                         ReadProfile("config file", config_path, config_sections));

  if (!named_profile.empty() && credentials_file.section == nullptr &&
      config_file.section == nullptr) {
    return UnauthenticatedError(
        "AWS_PROFILE names profile \"" + settings.profile +
        "\", which no file has; searched " + Searched(credentials_file) + " for [" +
        settings.profile + "] and " + Searched(config_file) + " for [profile " +
        settings.profile + "]; add the profile or unset AWS_PROFILE");
  }

  CAIRN_ASSIGN_OR_RETURN(
      settings.credentials,
      ResolveCredentials(env, credentials_file, config_file, settings.profile));
  settings.region = FirstSet(env, {"AWS_REGION", "AWS_DEFAULT_REGION"});
  if (settings.region.empty()) {
    settings.region = ProfileValue(credentials_file, config_file, "region");
  }
  settings.endpoint_url = ResolveEndpoint(env, credentials_file, config_file);
  return settings;
}

}  // namespace cairn::credentials
