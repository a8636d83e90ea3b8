// SPDX-License-Identifier: Apache-2.0
// Download: materialises a manifest's entries into a directory, each at its
// recorded pin and checked against its recorded size and digest, through the
// content cache, in parallel, and all-or-nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cairn/artifact/workspace.h"
#include "cairn/base/result.h"
#include "cairn/manifest/manifest.h"

namespace cairn::artifact {

/// How many objects an entry logged with checksum=false may expand to.
inline constexpr std::int64_t kMaxUncheckedObjects = 100000;

struct DownloadOptions {
  std::string root{};         // default: artifacts/<label> under the current directory
  std::string path_prefix{};  // only entries under this path, in whole segments
  int parallelism = 0;        // 0: 8 when any entry is remote, else one per core
  // Objects one checksum=false prefix entry may list before the download fails.
  std::int64_t max_unchecked_objects = kMaxUncheckedObjects;
};

/// Whether entry `path` is `prefix` or lies under it, in whole segments: one
/// trailing '/' of `prefix` is ignored, so "b" and "b/" select "b" and "b/c" but
/// not "b2/c" or "bee.txt". An empty prefix selects everything.
bool UnderPath(std::string_view path, std::string_view prefix);

/// Downloads the selected entries of `manifest` into the root and returns the
/// root's absolute path. `label` ("mnist:v3") names the version in the default
/// root and in messages.
///
/// Every entry is first written to a staging directory inside the root
/// (.cairn-staging-<random>/): from the content cache when it holds the bytes
/// (no store call at all), else read from the store at the recorded versionID and
/// with If-Match on the recorded ETag, checked (size always; MD5 when one is
/// recorded, else GCS's CRC32C when that is), and added to the cache. Only when every
/// entry succeeded are the files renamed to <root>/<path>, replacing files already there;
/// if that fails midway the renames are undone. On any failure the root is left as it
/// was, and removed if this call created it. Entries recorded with checksum=false are
/// fetched as they are now (everything under a prefix ref), with a warning; more
/// than max_unchecked_objects under one such prefix is kResourceExhausted naming
/// the prefix and the limit, before anything is fetched.
///
/// A download stops at its next file write once interrupt::Requested() (the cairn
/// command's SIGINT/SIGTERM handler) and cleans up like any failure; a process
/// killed outright (SIGKILL, a second Ctrl-C) leaves its .cairn-staging-* folder
/// (and a root it created) behind, since staging lives inside the root. Files
/// already in the root that the version does not have are left there, without a
/// warning, so a second version fetched into the same root mixes with the first.
///
/// Errors: kInvalidArgument for an entry path that is absolute or has "..", or a
/// root that exists and is not a directory (checked before anything is written);
/// kAlreadyExists when a directory in the root is where an entry's file goes, or
/// the other way round; kNotFound when no entry matches path_prefix, or naming
/// the pinned versions that are gone; kFailedPrecondition naming the entries whose
/// data changed with no pin to fall back on; kDataLoss naming the entries whose
/// bytes did not match the digest; store and filesystem errors otherwise.
Result<std::string> Download(Workspace& workspace, std::string_view label,
                             const manifest::Manifest& manifest,
                             const DownloadOptions& options);

}  // namespace cairn::artifact
