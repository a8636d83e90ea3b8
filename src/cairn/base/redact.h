// SPDX-License-Identifier: Apache-2.0
// Removes secrets from text before it reaches a log line, an error or a manifest.
// Every URL and header that cairn prints passes through here first.
#pragma once

#include <string>
#include <string_view>

namespace cairn::redact {

/// Returns `url` with its query string's values replaced by "REDACTED" for every
/// parameter that can carry a secret (signatures, credentials, tokens, SAS fields),
/// and any user:password@ stripped. Other parameters (versionId, prefix) stay.
std::string Url(std::string_view url);

/// Returns "Name: value" for harmless headers and "Name: REDACTED" for headers
/// that carry credentials (Authorization, X-Amz-Security-Token, cookies, keys);
/// a Location or Content-Location value passes through Url().
std::string Header(std::string_view name, std::string_view value);

/// True when a URL query parameter of this name (case-insensitive) can carry a
/// secret: signatures, credentials, tokens, SAS signatures ("sig").
bool IsSecretParameter(std::string_view name);

/// True when a header of this name (case-insensitive) carries credentials.
bool IsSecretHeader(std::string_view name);

}  // namespace cairn::redact
