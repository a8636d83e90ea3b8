// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/local/local_errors.h"

#include <cerrno>
#include <string>
#include <system_error>

namespace cairn::storage::local::internal {

Status ErrnoToStatus(int error, std::string_view action, std::string_view path) {
  std::string message = std::string(action) + " " + std::string(path) + ": " +
                        std::generic_category().message(error);
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return NotFoundError(std::move(message));
    case EACCES:
    case EPERM:
    case EROFS:
      return PermissionDeniedError(std::move(message) +
                                   "; grant this user read access to the path");
    case ELOOP:
    case ENAMETOOLONG:
      return InvalidArgumentError(std::move(message));
    case EIO:
    case EINTR:
    case EAGAIN:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case ESTALE:
    case ETIMEDOUT:
    case EBUSY:
      return UnavailableError(std::move(message));
    default:
      return InternalError(std::move(message));
  }
}

}  // namespace cairn::storage::local::internal
