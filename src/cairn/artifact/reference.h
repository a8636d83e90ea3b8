// SPDX-License-Identifier: Apache-2.0
// Reference resolution: turns a URI into manifest entries by statting or listing
// it through its store, following DESIGN.md "Adding a reference".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/artifact/workspace.h"
#include "cairn/base/result.h"
#include "cairn/manifest/manifest.h"

namespace cairn::artifact {

struct ReferenceOptions {
  std::string name{};                // entry path (one object) or parent folder (prefix)
  bool checksum = true;              // false: record the URI alone
  std::int64_t max_objects = 10000;  // more is kResourceExhausted
};

/// Resolves `uri_text` into entries, sorted by path:
///
/// - checksum=false: one entry at `name` (else the URI's base name) whose ref and
///   digest are the URI, without any store call.
/// - a URI not ending in '/' that names an object (at its ?versionId= pin, when
///   given): one entry at `name`, else the object's base name.
/// - otherwise the URI is a prefix covering whole segments only ("data" covers
///   data/x, never data2/x): one entry per object, at its key relative to the
///   prefix, under `name`/ when `name` is given.
///
/// Digests follow W&B: the store's ETag when it reports one; else a base64 MD5
/// hashed in parallel through the checksum cache (file://). Progress is reported
/// as "listing" and "hashing".
///
/// kInvalidArgument for a malformed URI, name or max_objects; kNotFound "no object
/// or prefix at <uri>" when nothing is there; kResourceExhausted when the prefix
/// holds more than max_objects objects, naming how to raise the limit (the listing
/// stops at ten times the limit). Store errors pass through with the URI.
/// Round trips: one Stat, then one List request per page when it is a prefix.
Result<std::vector<manifest::ManifestEntry>> ResolveReference(
    Workspace& workspace, std::string_view uri_text, const ReferenceOptions& options);

}  // namespace cairn::artifact
