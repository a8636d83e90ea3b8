// SPDX-License-Identifier: Apache-2.0
// The one place where a failed answer of a plain HTTP server becomes a cairn
// Status: the code tells callers whether to retry, the message says what was
// tried, on which URL (secrets redacted), what the server answered and the fix.
#pragma once

#include <string>

#include "cairn/base/status.h"

namespace cairn::storage::http {

/// Everything known about one failed request.
struct HttpFailure {
  // What was tried, as a gerund phrase: "stating", "reading".
  std::string action{};
  // The URL of the reference, already redacted (see Shown in http_url.h).
  std::string url{};
  // Where the last redirect led, redacted; empty when there was none.
  std::string redirected_to{};
  int http_status = 0;
  int attempts = 1;
  // The request carried the Authorization of CAIRN_HTTP_BEARER_TOKEN.
  bool sent_credentials = false;
};

/// Maps `failure` to a Status:
/// - 404, 410 -> kNotFound
/// - 401 -> kUnauthenticated; 403 -> kPermissionDenied
/// - 412 -> kFailedPrecondition (the file changed since its ETag was recorded)
/// - 408 -> kDeadlineExceeded; 429 and 5xx -> kUnavailable (after the retries)
/// - 416 and any other status -> kInvalidArgument.
/// The message reads "<action> <url>[ (redirected to <url>)]: <reason> (<status>)
/// [after N attempts]: <fix>".
Status HttpFailureToStatus(const HttpFailure& failure);

}  // namespace cairn::storage::http
