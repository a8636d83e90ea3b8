// SPDX-License-Identifier: Apache-2.0
// Status: the outcome of a fallible cairn operation. Errors are values in cairn;
// exceptions never cross its interfaces. The code tells callers what to do next
// (retry, fix input, give up) and travels with the result across threads.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace cairn {

/// What went wrong, in terms a caller can act on. See STYLE.md, "Errors", for the
/// table mapping each code to retry behaviour, HTTP status and CLI exit code.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // malformed URI, alias, option: fix the input
  kNotFound,            // object, version, artifact, alias absent
  kAlreadyExists,       // a name is taken
  kAborted,             // lost a race with another writer: retry the whole transaction
  kFailedPrecondition,  // the data behind a reference changed
  kUnavailable,         // network, 5xx, throttling: retry with backoff
  kDeadlineExceeded,    // timed out: retry with backoff
  kUnauthenticated,     // bad or missing credentials
  kPermissionDenied,    // credentials valid but not allowed
  kResourceExhausted,   // a limit was hit (max_objects, disk)
  kDataLoss,            // bytes differ from the recorded digest
  kUnimplemented,       // feature or backend not built
  kInternal,            // a cairn bug
};

/// Returns the lower-case name of `code`, e.g. "not_found".
std::string_view StatusCodeName(StatusCode code);

/// True for codes a caller may retry with backoff (unavailable, deadline exceeded).
bool IsRetryable(StatusCode code);

/// An error code and a message, or OK. Cheap to copy when OK.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  /// Returns a copy whose message reads "`context`: `message`". Each layer adds its
  /// context once; OK stays OK.
  Status WithContext(std::string_view context) const;

  /// "not_found: listing s3://b/k/: ..." for logs and tests; "ok" when OK.
  std::string ToString() const;

  bool operator==(const Status& other) const = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status AbortedError(std::string message);
Status FailedPreconditionError(std::string message);
Status UnavailableError(std::string message);
Status DeadlineExceededError(std::string message);
Status UnauthenticatedError(std::string message);
Status PermissionDeniedError(std::string message);
Status ResourceExhaustedError(std::string message);
Status DataLossError(std::string message);
Status UnimplementedError(std::string message);
Status InternalError(std::string message);

}  // namespace cairn
