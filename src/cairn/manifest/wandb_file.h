// SPDX-License-Identifier: Apache-2.0
// W&B manifest files: how references move between wandb and cairn. cairn's
// manifests already use W&B's version-1 layout and ref form, so reading checks
// that every entry is a reference cairn can follow, and writing adds nothing W&B
// would not read.
#pragma once

#include <string>

#include "cairn/base/result.h"
#include "cairn/base/status.h"
#include "cairn/manifest/manifest.h"

namespace cairn::manifest {

/// Reads a W&B artifact manifest (wandb_manifest.json, or what
/// `artifact.manifest.to_manifest_json()` returns, saved as JSON).
/// Entries whose digest equals their ref are W&B's checksum=False references and
/// read as unchecked entries. kNotFound when `path` does not exist;
/// kInvalidArgument naming the file and the entry for malformed JSON, an entry
/// without a ref (a file uploaded to W&B's own storage, which cairn cannot
/// read) or a ref that is not scheme://bucket/key.
Result<Manifest> ReadWandbManifestFile(const std::string& path);

/// Writes `manifest` as a W&B manifest file at `path` ("-" for standard output),
/// through a temporary file renamed into place, so a failure leaves no partial
/// file. kInvalidArgument naming `path` when its folder does not exist.
Status WriteWandbManifestFile(const Manifest& manifest, const std::string& path);

}  // namespace cairn::manifest
