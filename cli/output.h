// SPDX-License-Identifier: Apache-2.0
// How the cairn command presents records: the JSON shapes of versions, runs and
// manifest entries (stable keys that scripts and tests rely on) and small text
// helpers for the human-readable form.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cairn/manifest/manifest.h"
#include "cairn/registry/registry.h"

namespace cairn::cli {

/// A version as JSON: id, project, name, version ("v3"), label ("name:v3"), type,
/// description, metadata (an object), digest, size, files, created_at, aliases and
/// producer_run_id (null when none).
nlohmann::json VersionJson(const registry::VersionRecord& version);

/// A run as JSON: id, project, name, job_type, config, status, exit_code (null
/// while running or when none), started_at, finished_at.
nlohmann::json RunJson(const registry::RunRecord& run);

/// An entry as JSON: path, ref, size, digest, checksum, plus version_id and etag
/// when the store reported them.
nlohmann::json EntryJson(const manifest::ManifestEntry& entry);

/// Writes `document` to stdout as one JSON document followed by a newline. Bytes
/// that are not UTF-8 are replaced rather than failing the command.
void PrintJson(const nlohmann::json& document);

/// "0 B", "512 B", "1.5 KiB", "12.0 MiB", ...
std::string HumanBytes(std::int64_t bytes);

/// "1 file", "3 files": `count` and `noun`, with an "s" unless count is 1.
std::string CountOf(std::int64_t count, const std::string& noun);

/// Joins `items` with `separator`.
std::string Join(const std::vector<std::string>& items, const std::string& separator);

/// Parses a JSON object kept as text; text that does not parse is returned as a
/// JSON string so that nothing recorded is ever hidden.
nlohmann::json ParseStoredJson(const std::string& text);

}  // namespace cairn::cli
