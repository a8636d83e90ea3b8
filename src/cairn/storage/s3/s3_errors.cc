// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/s3/s3_errors.h"

#include <string_view>

namespace cairn::storage::s3 {
namespace {

std::string DefaultCode(int http_status) {
  switch (http_status) {
    case 301:
      return "PermanentRedirect";
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 412:
      return "PreconditionFailed";
    case 429:
      return "TooManyRequests";
    case 503:
      return "ServiceUnavailable";
    default:
      return "HTTP " + std::to_string(http_status);
  }
}

std::string Prefix(const S3Failure& failure) {
  std::string text = failure.action + " " + failure.uri + ": ";
  text +=
      failure.body.code.empty() ? DefaultCode(failure.http_status) : failure.body.code;
  text += " (" + std::to_string(failure.http_status);
  const std::string& request_id =
      failure.body.request_id.empty() ? failure.request_id : failure.body.request_id;
  if (!request_id.empty()) {
    text += ", request " + request_id;
  }
  return text + "): ";
}

std::string CredentialsNote(const S3Failure& failure) {
  if (failure.credentials_source.empty()) {
    return "";
  }
  return " (from " + failure.credentials_source + ")";
}

Status RegionError(const S3Failure& failure) {
  const std::string region = RegionFromFailure(failure);
  std::string fix;
  if (!region.empty()) {
    fix = "the bucket lives in region " + region + ", not " +
          (failure.signed_region.empty() ? "the configured one" : failure.signed_region) +
          "; set AWS_REGION=" + region;
  } else {
    fix = "the bucket lives in another region than " +
          (failure.signed_region.empty() ? "the configured one" : failure.signed_region) +
          " and S3 did not say which; set AWS_REGION to the bucket's region";
    if (!failure.body.endpoint.empty()) {
      fix += " (S3 points at endpoint " + failure.body.endpoint + ")";
    }
  }
  return InvalidArgumentError(Prefix(failure) + fix);
}

Status AuthenticationError(const S3Failure& failure) {
  const std::string& code = failure.body.code;
  std::string fix;
  if (code == "InvalidAccessKeyId") {
    fix = "the endpoint does not know this access key id" + CredentialsNote(failure) +
          "; check AWS_ACCESS_KEY_ID or the profile, and the endpoint";
  } else if (code == "SignatureDoesNotMatch") {
    fix = "the secret access key does not match the key id" + CredentialsNote(failure) +
          "; check AWS_SECRET_ACCESS_KEY or the profile";
  } else if (code == "ExpiredToken" || code == "TokenRefreshRequired") {
    fix = "the session token has expired" + CredentialsNote(failure) +
          "; refresh the temporary credentials";
  } else {
    fix = "the store rejected the credentials" + CredentialsNote(failure) +
          "; check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN";
  }
  return UnauthenticatedError(Prefix(failure) + fix);
}

Status AccessError(const S3Failure& failure) {
  if (failure.anonymous) {
    return UnauthenticatedError(
        Prefix(failure) +
        "no AWS credentials were found, so the request was sent anonymously and "
        "refused; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE");
  }
  std::string fix = "the credentials" + CredentialsNote(failure) + " are not allowed";
  fix += failure.permission.empty() ? " to do this" : " " + failure.permission;
  if (failure.body.code.empty()) {
    fix +=
        ", or they are wrong, or the object does not exist and they lack "
        "s3:ListBucket (a HEAD answer carries no error code to tell which)";
  }
  return PermissionDeniedError(Prefix(failure) + fix);
}

Status NotFound(const S3Failure& failure) {
  const std::string& code = failure.body.code;
  if (code == "NoSuchBucket") {
    return NotFoundError(Prefix(failure) +
                         "the bucket does not exist; check its name and the endpoint");
  }
  if (code == "NoSuchVersion") {
    return NotFoundError(Prefix(failure) +
                         "the pinned version no longer exists (it was deleted) or "
                         "never did");
  }
  return NotFoundError(Prefix(failure) + "no object has this key" +
                       (failure.anonymous || code == "NoSuchKey"
                            ? std::string()
                            : " (or the bucket or version does not exist)"));
}

}  // namespace

std::string RegionFromFailure(const S3Failure& failure) {
  std::string region = failure.bucket_region;
  if (region.empty() && failure.body.code == "AuthorizationHeaderMalformed") {
    region = failure.body.region;
  }
  return region == failure.signed_region ? std::string() : region;
}

Status S3FailureToStatus(const S3Failure& failure) {
  const std::string& code = failure.body.code;
  const int status = failure.http_status;
  if (code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" ||
      code == "IllegalLocationConstraintException" || status == 301 ||
      (status == 400 && !RegionFromFailure(failure).empty())) {
    return RegionError(failure);
  }
  if (code == "NoSuchKey" || code == "NoSuchVersion" || code == "NoSuchBucket" ||
      status == 404) {
    return NotFound(failure);
  }
  if (code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" ||
      code == "ExpiredToken" || code == "InvalidToken" ||
      code == "TokenRefreshRequired" || status == 401) {
    return AuthenticationError(failure);
  }
  if (code == "AccessDenied" || status == 403) {
    return AccessError(failure);
  }
  if (code == "PreconditionFailed" || status == 412) {
    return FailedPreconditionError(
        Prefix(failure) +
        "the object's ETag differs from the recorded one, so it changed since it was "
        "recorded; re-track the reference or pin a version");
  }
  if (code == "RequestTimeout" || status == 408) {
    return DeadlineExceededError(Prefix(failure) +
                                 "the store timed out waiting for the request; retry");
  }
  if (code == "SlowDown" || status == 429) {
    return UnavailableError(Prefix(failure) +
                            "the store is throttling requests; retry later or with "
                            "fewer parallel transfers");
  }
  if (code == "NotImplemented" || status == 501) {
    return UnimplementedError(Prefix(failure) +
                              "the store does not implement this request");
  }
  if (status >= 500) {
    return UnavailableError(Prefix(failure) + "the store failed; retry later");
  }
  if (code == "InvalidRange" || status == 416) {
    return InvalidArgumentError(Prefix(failure) +
                                "the requested byte range lies beyond the object's end");
  }
  return InvalidArgumentError(Prefix(failure) + "the store refused the request" +
                              (failure.body.message.empty()
                                   ? std::string()
                                   : " (\"" + failure.body.message + "\")"));
}

}  // namespace cairn::storage::s3
