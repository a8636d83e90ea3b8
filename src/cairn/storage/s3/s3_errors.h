// SPDX-License-Identifier: Apache-2.0
// The one place where an S3 failure (HTTP status, error code, headers) becomes a
// cairn Status: the code tells callers whether to retry, the message says what was
// tried, on what, what S3 answered and how to fix it.
#pragma once

#include <string>

#include "cairn/base/status.h"
#include "cairn/storage/s3/s3_xml.h"

namespace cairn::storage::s3 {

/// Everything known about one failed S3 request.
struct S3Failure {
  // What was tried, as a gerund phrase: "reading", "listing", "stating".
  std::string action;
  // The URI acted on, without query string (never a signed URL).
  std::string uri;
  // The IAM permission the request needs, named in AccessDenied messages
  // ("s3:GetObject"); empty to leave it out.
  std::string permission;
  int http_status = 0;
  ErrorBody body;             // parsed from the response, empty for HEAD
  std::string request_id;     // x-amz-request-id, used when the body has none
  std::string bucket_region;  // x-amz-bucket-region, when S3 sent it
  std::string signed_region;  // the region the request was signed for
  // Where the credentials came from ("environment", "none (anonymous)"), so an
  // authentication message can say which ones were used. Never a key.
  std::string credentials_source;
  bool anonymous = false;  // the request was sent unsigned
};

/// Maps `failure` to a Status:
/// - NoSuchKey, NoSuchVersion, NoSuchBucket, a bare 404 -> kNotFound
/// - AccessDenied, a bare 403 -> kPermissionDenied (kUnauthenticated when the
///   request was anonymous: the fix is to configure credentials)
/// - InvalidAccessKeyId, SignatureDoesNotMatch, ExpiredToken, InvalidToken, 401
///   -> kUnauthenticated
/// - PreconditionFailed, 412 -> kFailedPrecondition
/// - SlowDown, 429, 5xx -> kUnavailable; 408, RequestTimeout -> kDeadlineExceeded
/// - PermanentRedirect, AuthorizationHeaderMalformed, 301 -> kInvalidArgument whose
///   message names the bucket's region when S3 reveals it
/// - NotImplemented, 501 -> kUnimplemented; anything else -> kInvalidArgument.
/// The message reads "<action> <uri>: <code> (<status>, request <id>): <fix>".
Status S3FailureToStatus(const S3Failure& failure);

/// The region a failed response names for the bucket, from x-amz-bucket-region or
/// an AuthorizationHeaderMalformed body; empty when it names none, or when it is
/// the region that was signed for.
std::string RegionFromFailure(const S3Failure& failure);

}  // namespace cairn::storage::s3
