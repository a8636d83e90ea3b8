// SPDX-License-Identifier: Apache-2.0
// The difference between two manifests by entry path, as `cairn diff` and
// `cairn history` show it.
#pragma once

#include <string>
#include <vector>

#include "cairn/manifest/manifest.h"

namespace cairn::cli {

struct ManifestDiff {
  std::vector<std::string> added;    // paths only in `to`, sorted
  std::vector<std::string> removed;  // paths only in `from`, sorted
  std::vector<std::string> changed;  // paths in both whose digest, size or ref differ
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

/// Compares `from` with `to` by path. An entry
/// whose object version alone moved (same digest, size and ref) is unchanged.
ManifestDiff DiffManifests(const manifest::Manifest& from, const manifest::Manifest& to);

}  // namespace cairn::cli
