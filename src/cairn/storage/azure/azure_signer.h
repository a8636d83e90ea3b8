// SPDX-License-Identifier: Apache-2.0
// Azure Storage request signing with an account key: the Shared Key scheme for
// the Blob service (an HMAC-SHA256 over a canonical form of the request), and the
// account shared access signature (SAS) a key holder hands out. Pure functions of
// their inputs and a clock value, tested on known answers.
// See https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key
// and https://learn.microsoft.com/rest/api/storageservices/create-account-sas.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "cairn/base/result.h"
#include "cairn/net/http_message.h"

namespace cairn::storage::azure {

/// The x-ms-version cairn sends: List Blobs reports version ids and Get Blob takes
/// ?versionid= from 2019-12-12 on; Azurite 3.35 accepts it.
inline constexpr std::string_view kAzureApiVersion = "2021-08-06";

/// "Fri, 04 Dec 2026 15:34:00 GMT" for `time`, the x-ms-date form (RFC 1123).
std::string HttpDate(std::chrono::system_clock::time_point time);

/// The Shared Key string-to-sign of `request` (whose url is absolute and already
/// percent-encoded) for `account`: the verb, twelve standard header values
/// (Content-Length empty when 0), every x-ms-* header lower-cased and sorted as
/// "name:value", then "/account/encoded-path" and one "\nname:value" line per
/// query parameter, names lower-cased and sorted, values decoded (repeated names
/// joined by ','). For an emulator's path-style URL the path keeps the account
/// segment ("/devstoreaccount1/devstoreaccount1/c/k"), as Azure's SDKs sign it.
std::string SharedKeyStringToSign(const net::Request& request, std::string_view account);

/// The headers that sign `request` with Shared Key at `now`: x-ms-date and
/// "Authorization: SharedKey account:base64(HMAC-SHA256(key, string-to-sign))",
/// the string-to-sign including that x-ms-date. `key_bytes` is the decoded account
/// key. No secret appears in any Status.
net::Headers SignSharedKey(const net::Request& request, std::string_view account,
                           std::string_view key_bytes,
                           std::chrono::system_clock::time_point now);

/// What an account SAS grants; defaults make a read-and-list SAS for blobs.
struct AccountSasOptions {
  std::string permissions = "rl";      // sp: r read, l list, w write, c create, ...
  std::string services = "b";          // ss: blob
  std::string resource_types = "sco";  // srt: service, container, object
  std::string protocols = "https,http";
  std::string version = std::string(kAzureApiVersion);
  std::chrono::system_clock::time_point expiry;  // se
};

/// An account SAS query string (sv, ss, srt, sp, se, spr, sig) for `account`,
/// signed with the base64 `account_key` as of version 2020-12-06 (an empty
/// encryption scope line included). kInvalidArgument when the key is not base64
/// (the key is never quoted). No network.
Result<std::string> MakeAccountSas(std::string_view account, std::string_view account_key,
                                   const AccountSasOptions& options);

}  // namespace cairn::storage::azure
