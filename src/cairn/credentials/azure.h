// SPDX-License-Identifier: Apache-2.0
// Azure Storage settings resolved the way Azure's tools resolve them: a connection
// string, an account name with its key, a shared access signature (SAS), or none,
// plus the blob endpoint requests go to. Pure functions of an environment lookup,
// so tests run without a real environment. No network: the account key signs
// requests (storage/azure/azure_signer.h), a SAS is appended to them.
#pragma once

#include <string>
#include <string_view>

#include "cairn/base/result.h"
#include "cairn/credentials/aws.h"

namespace cairn::credentials {

/// Azurite's documented development account and key (public, never a secret), which
/// `UseDevelopmentStorage=true` stands for.
inline constexpr std::string_view kAzuriteAccount = "devstoreaccount1";
inline constexpr std::string_view kAzuriteAccountKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/"
    "KBHBeksoGMGw==";
/// Where `UseDevelopmentStorage=true` sends blob requests.
inline constexpr std::string_view kAzuriteBlobEndpoint =
    "http://127.0.0.1:10000/devstoreaccount1";
/// The public cloud's suffix: blob endpoints are https://ACCOUNT.blob.<suffix>.
inline constexpr std::string_view kAzureEndpointSuffix = "core.windows.net";

struct AzureCredentials {
  enum class Kind { kAnonymous, kSharedKey, kSas };
  Kind kind = Kind::kAnonymous;
  // The storage account name; empty when nothing names one (a SAS or anonymous
  // access to a full https URL needs none).
  std::string account;
  std::string account_key;  // base64, as Azure shows it (kSharedKey)
  std::string sas_token;    // the query string without '?' (kSas)
  // Where they came from, for messages: "AZURE_STORAGE_CONNECTION_STRING",
  // "AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY", "AZURE_STORAGE_SAS_TOKEN", or
  // "none (anonymous)". Never a secret.
  std::string source;

  // NOLINTNEXTLINE(readability-identifier-naming): a property, like ok().
  bool anonymous() const { return kind == Kind::kAnonymous; }
};

struct AzureSettings {
  AzureCredentials credentials;
  // "scheme://host[:port][/path]" without a trailing '/': an account's blob service
  // ("https://acct.blob.core.windows.net") or an emulator's path-style root
  // ("http://127.0.0.1:10000/devstoreaccount1"). Empty when no account or endpoint
  // is configured.
  std::string blob_endpoint;
};

/// Parses an Azure Storage connection string ("Key=Value;..." with keys
/// AccountName, AccountKey, SharedAccessSignature, BlobEndpoint,
/// DefaultEndpointsProtocol, EndpointSuffix and UseDevelopmentStorage, matched
/// without regard to case; other keys such as QueueEndpoint are ignored).
/// - The endpoint is BlobEndpoint, else DefaultEndpointsProtocol (default https)
///   "://" AccountName ".blob." EndpointSuffix (default core.windows.net).
/// - An AccountKey makes Shared Key credentials; else a SharedAccessSignature makes
///   SAS credentials; else access is anonymous.
/// - UseDevelopmentStorage=true stands for Azurite's development account, key and
///   endpoint (kAzurite*); keys given beside it override those.
/// `source` names the text in messages and in AzureCredentials::source.
/// kInvalidArgument, naming `source` and the key at fault (never a value), for a
/// segment without '=', a protocol other than http or https, an endpoint that is
/// not http(s)://host[:port][/path], an account name that is not 3 to 24 lower-case
/// letters and digits, neither AccountName nor BlobEndpoint, DevelopmentStorageProxyUri
/// (unsupported), or an AccountKey without AccountName. kUnauthenticated for an
/// AccountKey that is not base64 or a SharedAccessSignature without "sig=".
Result<AzureSettings> ParseAzureConnectionString(std::string_view text,
                                                 std::string_view source);

/// Resolves settings, first match wins:
/// 1. AZURE_STORAGE_CONNECTION_STRING, parsed as above (it stands alone: the
///    variables below are then not read);
/// 2. AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY: Shared Key;
/// 3. AZURE_STORAGE_SAS_TOKEN (with or without a leading '?'): SAS, for the
///    account AZURE_STORAGE_ACCOUNT when set;
/// 4. anonymous, for the account AZURE_STORAGE_ACCOUNT when set.
/// In cases 2 to 4 the endpoint is AZURE_STORAGE_BLOB_ENDPOINT when set, else
/// https://ACCOUNT.blob.core.windows.net when an account is named, else empty.
/// Variables set to "" count as unset. kUnauthenticated, naming the variable (never
/// its value), for AZURE_STORAGE_KEY without AZURE_STORAGE_ACCOUNT, a key that is
/// not base64, or a SAS token without "sig="; kInvalidArgument for a malformed
/// connection string, account name or AZURE_STORAGE_BLOB_ENDPOINT. No network.
Result<AzureSettings> ResolveAzureSettings(const EnvLookup& env);

/// Checks that `endpoint` is http(s)://host[:port][/path] without query, fragment,
/// user info or spaces, and returns it without trailing '/'. kInvalidArgument
/// naming `source` (the setting it came from) and the fix otherwise.
Result<std::string> NormalizeAzureBlobEndpoint(std::string_view endpoint,
                                               std::string_view source);

}  // namespace cairn::credentials
