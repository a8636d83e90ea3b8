// SPDX-License-Identifier: Apache-2.0
// Verify: re-checks every reference of a manifest against what its store holds
// now, without downloading anything remote.
#pragma once

#include <string>
#include <vector>

#include "cairn/artifact/workspace.h"
#include "cairn/base/result.h"
#include "cairn/manifest/manifest.h"

namespace cairn::artifact {

/// Per-entry outcome, in manifest path order.
struct VerifyReport {
  std::vector<std::string> unchanged;  // paths
  std::vector<std::string> changed;    // "path: etag X -> Y, size A -> B"
  std::vector<std::string> missing;    // paths
  bool Clean() const { return changed.empty() && missing.empty(); }
};

/// Stats every entry's ref as it is now (never at its pin) and compares: for an
/// entry with an ETag, the ETag and size; for a hashed entry (file://), the size
/// and the MD5, read through the checksum cache so unchanged files are not read.
/// An entry logged with checksum=false is unchanged while anything is at its ref.
/// Runs in parallel and reports "verifying" progress. Store errors other than
/// kNotFound fail the whole call, with the entry's path as context.
Result<VerifyReport> Verify(Workspace& workspace, const manifest::Manifest& manifest);

}  // namespace cairn::artifact
