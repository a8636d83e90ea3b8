// SPDX-License-Identifier: Apache-2.0
// Checks and parsing shared by every registry backend: the names users type
// (projects, collections, types, aliases), version references ("v3", "3",
// "latest", "best"), JSON object fields, and the wording that lists what exists
// when a reference does not resolve.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.h"

namespace cairn::registry {

/// The alias that always names a collection's newest version.
inline constexpr std::string_view kLatestAlias = "latest";

/// Longest accepted project, collection, type or alias name.
inline constexpr std::size_t kMaxNameLength = 128;

/// OK when `name` is 1 to 128 of [A-Za-z0-9._-] and not "." or "..". Otherwise
/// kInvalidArgument naming `kind` ("project", "collection", "type"), the name and
/// the allowed characters.
Status ValidateName(std::string_view kind, std::string_view name);

/// OK when `alias` is a valid name that cannot be mistaken for a version: not
/// "vN" and not all digits. "latest" is accepted here; SetAlias rejects it itself.
Status ValidateAlias(std::string_view alias);

/// OK when `json` is a JSON object. kInvalidArgument naming `field` otherwise.
Status ValidateJsonObject(std::string_view field, std::string_view json);

/// A parsed version reference.
struct VersionRef {
  enum class Kind { kIndex, kLatest, kAlias };
  Kind kind = Kind::kAlias;
  std::int64_t index = 0;  // for kIndex
  std::string alias;       // for kAlias
};

/// "v3" and "3" are index 3, "latest" is the newest version, anything else an
/// alias. kInvalidArgument for "" or an index too large for 64 bits.
Result<VersionRef> ParseVersionRef(std::string_view text);

/// Describes sorted indexes compactly for messages: {0,1,2,3,4} -> "v0..v4",
/// {0,2,3} -> "v0, v2..v3", {} -> "no versions".
std::string DescribeIndexes(const std::vector<std::int64_t>& indexes);

}  // namespace cairn::registry
