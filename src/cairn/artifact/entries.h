// SPDX-License-Identifier: Apache-2.0
// Helpers shared by reference resolution, download and verify: how an object
// becomes a manifest entry (W&B's digests and extra keys), which entry paths are
// safe to write, and hashing local objects through the checksum cache.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cairn/artifact/workspace.h"
#include "cairn/base/result.h"
#include "cairn/base/status.h"
#include "cairn/manifest/manifest.h"
#include "cairn/storage/object_store.h"

namespace cairn::artifact {

/// True when cairn must hash `info` itself: the store reports no ETag (file://;
/// the digest is then that base64 MD5), or an ETag that may not change with the
/// bytes and no MD5 (http(s); the MD5 is kept as extra "md5" beside the ETag).
bool NeedsLocalHash(const storage::ObjectInfo& info);

/// The entry for `info` at `path` with W&B's digest: the ETag without quotes when
/// the store reports one, else `md5_base64` (hashed locally). Extra keys: "etag",
/// "versionID" (unless absent or "null"), "lastModified", "md5", "sha256",
/// "crc32c" as reported; a locally hashed entry keeps only "lastModified".
manifest::ManifestEntry EntryFor(const storage::ObjectInfo& info, std::string path,
                                 const std::string& md5_base64);

/// kInvalidArgument, naming the path and where it came from, unless `path` is a
/// relative '/'-separated path without empty, "." or ".." segments.
Status CheckEntryPath(std::string_view path, std::string_view where);

/// The content MD5 an entry's bytes must have: extra "md5", or the digest of an
/// entry whose digest is a locally hashed MD5 (no ETag recorded); "" when unknown.
std::string ExpectedMd5(const manifest::ManifestEntry& entry);

/// An ObjectRef for the object `uri` names (uri::Uri::ObjectUri: pins dropped),
/// optionally pinned and ETag-checked.
storage::ObjectRef MakeRef(const uri::Uri& uri, std::string version_id = {},
                           std::string etag = {});

/// One local object to hash.
struct HashJob {
  storage::ObjectStore* store = nullptr;
  storage::ObjectInfo info;
};

/// The base64 MD5 of each job's object, in order. An object whose path and
/// file_identity the checksum cache knows is not read; the others are read
/// through their store on transfer::HashParallelism() threads, and their sums
/// are recorded in one batch. Reports "hashing" progress. kAborted when a file
/// changed size while it was read; store errors pass through with the URI.
Result<std::vector<std::string>> HashObjects(Workspace& workspace,
                                             const std::vector<HashJob>& jobs);

}  // namespace cairn::artifact
