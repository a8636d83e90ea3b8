// SPDX-License-Identifier: Apache-2.0
// Maps errno values from file system calls to cairn Status codes, in one place for
// the local backend.
#pragma once

#include <string_view>

#include "cairn/base/status.h"

namespace cairn::storage::local::internal {

/// A Status for `error` (an errno value) raised while doing `action` on `path`:
/// "<action> <path>: <strerror>", with the fix where one is known. ENOENT and
/// ENOTDIR are kNotFound; EACCES, EPERM and EROFS kPermissionDenied; ELOOP and
/// ENAMETOOLONG kInvalidArgument; EIO, EINTR, EAGAIN, EMFILE, ENFILE, ENOMEM,
/// ESTALE, ETIMEDOUT and EBUSY kUnavailable; everything else kInternal.
Status ErrnoToStatus(int error, std::string_view action, std::string_view path);

}  // namespace cairn::storage::local::internal
