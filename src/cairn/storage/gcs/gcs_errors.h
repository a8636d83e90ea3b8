// SPDX-License-Identifier: Apache-2.0
// The one place where a failed GCS JSON API request (HTTP status and JSON error
// body) becomes a cairn Status: the code tells callers whether to retry, the
// message says what was tried, on what, what GCS answered and how to fix it.
#pragma once

#include <string>

#include "cairn/base/status.h"
#include "cairn/storage/gcs/gcs_json.h"

namespace cairn::storage::gcs {

/// Everything known about one failed GCS request.
struct GcsFailure {
  // What was tried, as a gerund phrase: "reading", "listing", "stating".
  std::string action;
  // The gs:// URI acted on, without query string.
  std::string uri;
  // The generation the request was pinned to; empty when it read the live object.
  std::string generation;
  int http_status = 0;
  GcsErrorBody body;
  // Where the credentials came from ("GOOGLE_APPLICATION_CREDENTIALS /p/key.json",
  // "none (anonymous)"), so an authentication message can say which were used.
  std::string credentials_source;
  bool anonymous = false;  // the request carried no Authorization header
};

/// Maps `failure` to a Status:
/// - 404 -> kNotFound (with a generation: that generation is gone, or never was)
/// - 401 -> kUnauthenticated; 403 -> kPermissionDenied (kUnauthenticated when the
///   request was anonymous: the fix is to configure credentials)
/// - 412 -> kFailedPrecondition (the object changed)
/// - 408 -> kDeadlineExceeded; 429 and 5xx -> kUnavailable
/// - 416 and any other status -> kInvalidArgument, quoting GCS's message.
/// The message reads "<action> <uri>: <reason> (<status>): <fix>", the reason
/// being errors[0].reason of the body, or a name for the bare status.
Status GcsFailureToStatus(const GcsFailure& failure);

}  // namespace cairn::storage::gcs
