// SPDX-License-Identifier: Apache-2.0
#include "cairn/credentials/azure.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <utility>

#include "cairn/base/ascii.h"
#include "cairn/base/redact.h"
#include "cairn/hash/encoding.h"

namespace cairn::credentials {
namespace {

std::string Trim(std::string_view text) {
  const auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

std::optional<std::string> NonEmpty(const EnvLookup& env, std::string_view name) {
  std::optional<std::string> value = env(name);
  if (value.has_value() && value->empty()) {
    return std::nullopt;
  }
  return value;
}

// Azure's rule for account names: 3 to 24 lower-case letters and digits.
Status CheckAccountName(std::string_view account, std::string_view source) {
  const bool valid = account.size() >= 3 && account.size() <= 24 &&
                     std::all_of(account.begin(), account.end(), [](unsigned char c) {
                       return std::islower(c) != 0 || std::isdigit(c) != 0;
                     });
  if (valid) {
    return Status::Ok();
  }
  return InvalidArgumentError("the Azure storage account name \"" + std::string(account) +
                              "\" in " + std::string(source) +
                              " is not 3 to 24 lower-case letters and digits; fix it");
}

Status CheckAccountKey(std::string_view key, std::string_view source) {
  if (!key.empty() && hash::Base64Decode(key).ok()) {
    return Status::Ok();
  }
  return UnauthenticatedError(
      "the Azure storage account key in " + std::string(source) +
      " is not base64; copy the key again from the storage account's \"Access keys\"");
}

// Returns the token without a leading '?'.
Result<std::string> CheckSasToken(std::string_view token, std::string_view source) {
  if (token.starts_with('?')) {
    token.remove_prefix(1);
  }
  const std::string text(token);
  if (!text.starts_with("sig=") && text.find("&sig=") == std::string::npos) {
    return UnauthenticatedError("the shared access signature in " + std::string(source) +
                                " has no sig= parameter; give the whole SAS query "
                                "string, as in sv=...&sp=rl&sig=...");
  }
  return text;
}

// The connection string's segments by lower-cased key.
Result<std::map<std::string, std::string>> SplitConnectionString(
    std::string_view text, std::string_view source) {
  std::map<std::string, std::string> values;
  int segment_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(';', start), text.size());
    const std::string segment = Trim(text.substr(start, end - start));
    start = end + 1;
    ++segment_number;
    if (segment.empty()) {
      continue;
    }
    const std::size_t equals = segment.find('=');
    if (equals == std::string::npos || equals == 0) {
      return InvalidArgumentError(std::string(source) + ": segment " +
                                  std::to_string(segment_number) +
                                  " is not Key=Value; an Azure connection string reads "
                                  "AccountName=...;AccountKey=...;BlobEndpoint=...");
    }
    values[AsciiLower(Trim(segment.substr(0, equals)))] =
        Trim(segment.substr(equals + 1));
  }
  return values;
}

}  // namespace

Result<std::string> NormalizeAzureBlobEndpoint(std::string_view endpoint,
                                               std::string_view source) {
  std::string text(endpoint);
  while (text.ends_with('/')) {
    text.pop_back();
  }
  const bool http = text.starts_with("http://");
  const std::size_t host_start = http ? 7 : 8;
  const std::size_t path_start = text.find('/', host_start);
  const bool valid = (http || text.starts_with("https://")) && text.size() > host_start &&
                     path_start != host_start &&
                     text.find_first_of("?#@ \t", 0) == std::string::npos;
  if (!valid) {
    // A pasted "Blob SAS URL" carries its signature in the query: never repeat it.
    return InvalidArgumentError("the Azure blob endpoint \"" + redact::Url(text) +
                                "\" in " + std::string(source) +
                                " is not http(s)://host[:port][/path] without a query; "
                                "fix it, as in http://127.0.0.1:10000/devstoreaccount1, "
                                "and give a SAS in AZURE_STORAGE_SAS_TOKEN");
  }
  return text;
}

Result<AzureSettings> ParseAzureConnectionString(std::string_view text,
                                                 std::string_view source) {
  CAIRN_ASSIGN_OR_RETURN(auto values, SplitConnectionString(text, source));
  const auto get = [&values](const char* key) -> std::string {
    auto it = values.find(key);
    return it == values.end() ? std::string() : it->second;
  };
  if (!get("developmentstorageproxyuri").empty()) {
    return InvalidArgumentError(std::string(source) +
                                ": DevelopmentStorageProxyUri is not supported; give "
                                "the emulator's BlobEndpoint instead");
  }

  AzureSettings settings;
  AzureCredentials& credentials = settings.credentials;
  credentials.source = std::string(source);
  std::string account_key = get("accountkey");
  credentials.account = get("accountname");
  settings.blob_endpoint = get("blobendpoint");
  if (AsciiLower(get("usedevelopmentstorage")) == "true") {
    if (credentials.account.empty()) {
      credentials.account = std::string(kAzuriteAccount);
      account_key = account_key.empty() ? std::string(kAzuriteAccountKey) : account_key;
    }
    if (settings.blob_endpoint.empty()) {
      settings.blob_endpoint = std::string(kAzuriteBlobEndpoint);
    }
  }

  if (!credentials.account.empty()) {
    CAIRN_RETURN_IF_ERROR(CheckAccountName(credentials.account, source));
  }
  if (settings.blob_endpoint.empty()) {
    if (credentials.account.empty()) {
      return InvalidArgumentError(std::string(source) +
                                  " names neither AccountName nor BlobEndpoint; add "
                                  "AccountName=... (and AccountKey=...)");
    }
    const std::string protocol = AsciiLower(get("defaultendpointsprotocol"));
    if (!protocol.empty() && protocol != "http" && protocol != "https") {
      return InvalidArgumentError(std::string(source) + ": DefaultEndpointsProtocol \"" +
                                  protocol + "\" is neither http nor https");
    }
    const std::string suffix = get("endpointsuffix");
    settings.blob_endpoint =
        (protocol.empty() ? "https" : protocol) + "://" + credentials.account + ".blob." +
        (suffix.empty() ? std::string(kAzureEndpointSuffix) : suffix);
  }
  CAIRN_ASSIGN_OR_RETURN(
      settings.blob_endpoint,
      NormalizeAzureBlobEndpoint(settings.blob_endpoint,
                                 std::string(source) + " BlobEndpoint"));

  if (!account_key.empty()) {
    if (credentials.account.empty()) {
      return InvalidArgumentError(std::string(source) +
                                  " has an AccountKey but no AccountName; add "
                                  "AccountName=...");
    }
    CAIRN_RETURN_IF_ERROR(CheckAccountKey(account_key, source));
    credentials.kind = AzureCredentials::Kind::kSharedKey;
    credentials.account_key = std::move(account_key);
  } else if (const std::string sas = get("sharedaccesssignature"); !sas.empty()) {
    CAIRN_ASSIGN_OR_RETURN(credentials.sas_token, CheckSasToken(sas, source));
    credentials.kind = AzureCredentials::Kind::kSas;
  }
  return settings;
}

Result<AzureSettings> ResolveAzureSettings(const EnvLookup& env) {
  if (const auto text = NonEmpty(env, "AZURE_STORAGE_CONNECTION_STRING")) {
    return ParseAzureConnectionString(*text, "AZURE_STORAGE_CONNECTION_STRING");
  }

  AzureSettings settings;
  AzureCredentials& credentials = settings.credentials;
  credentials.account = NonEmpty(env, "AZURE_STORAGE_ACCOUNT").value_or("");
  if (!credentials.account.empty()) {
    CAIRN_RETURN_IF_ERROR(CheckAccountName(credentials.account, "AZURE_STORAGE_ACCOUNT"));
  }
  if (const auto key = NonEmpty(env, "AZURE_STORAGE_KEY")) {
    if (credentials.account.empty()) {
      return UnauthenticatedError(
          "AZURE_STORAGE_KEY is set but AZURE_STORAGE_ACCOUNT is not; set "
          "AZURE_STORAGE_ACCOUNT to the key's storage account name");
    }
    CAIRN_RETURN_IF_ERROR(CheckAccountKey(*key, "AZURE_STORAGE_KEY"));
    credentials.kind = AzureCredentials::Kind::kSharedKey;
    credentials.account_key = *key;
    credentials.source = "AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY";
  } else if (const auto sas = NonEmpty(env, "AZURE_STORAGE_SAS_TOKEN")) {
    CAIRN_ASSIGN_OR_RETURN(credentials.sas_token,
                           CheckSasToken(*sas, "AZURE_STORAGE_SAS_TOKEN"));
    credentials.kind = AzureCredentials::Kind::kSas;
    credentials.source = "AZURE_STORAGE_SAS_TOKEN";
  } else {
    credentials.source = "none (anonymous)";
  }

  if (const auto endpoint = NonEmpty(env, "AZURE_STORAGE_BLOB_ENDPOINT")) {
    CAIRN_ASSIGN_OR_RETURN(
        settings.blob_endpoint,
        NormalizeAzureBlobEndpoint(*endpoint, "AZURE_STORAGE_BLOB_ENDPOINT"));
  } else if (!credentials.account.empty()) {
    settings.blob_endpoint =
        "https://" + credentials.account + ".blob." + std::string(kAzureEndpointSuffix);
  }
  return settings;
}

}  // namespace cairn::credentials
