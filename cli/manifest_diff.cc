// SPDX-License-Identifier: Apache-2.0
#include "cli/manifest_diff.h"

#include <algorithm>
#include <map>
#include <string_view>

namespace cairn::cli {

ManifestDiff DiffManifests(const manifest::Manifest& from, const manifest::Manifest& to) {
  std::map<std::string_view, const manifest::ManifestEntry*> before;
  for (const manifest::ManifestEntry& entry : from.entries()) {
    before.emplace(entry.path, &entry);
  }

  ManifestDiff diff;
  for (const manifest::ManifestEntry& after : to.entries()) {
    const auto found = before.find(after.path);
    if (found == before.end()) {
      diff.added.push_back(after.path);
      continue;
    }
    const manifest::ManifestEntry& old_entry = *found->second;
    if (old_entry.digest != after.digest || old_entry.size_bytes != after.size_bytes ||
        old_entry.ref != after.ref) {
      diff.changed.push_back(after.path);
    }
    before.erase(found);
  }
  for (const auto& [path, entry] : before) {
    diff.removed.emplace_back(path);
  }

  std::sort(diff.added.begin(), diff.added.end());
  std::sort(diff.changed.begin(), diff.changed.end());
  return diff;
}

}  // namespace cairn::cli
