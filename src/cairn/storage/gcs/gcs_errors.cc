// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/gcs/gcs_errors.h"

namespace cairn::storage::gcs {
namespace {

std::string DefaultReason(int http_status) {
  switch (http_status) {
    case 400:
      return "badRequest";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "notFound";
    case 408:
      return "requestTimeout";
    case 412:
      return "conditionNotMet";
    case 416:
      return "requestedRangeNotSatisfiable";
    case 429:
      return "rateLimitExceeded";
    case 503:
      return "backendError";
    default:
      return "HTTP " + std::to_string(http_status);
  }
}

std::string Prefix(const GcsFailure& failure) {
  const std::string& reason = failure.body.reason;
  return failure.action + " " + failure.uri + ": " +
         (reason.empty() ? DefaultReason(failure.http_status) : reason) + " (" +
         std::to_string(failure.http_status) + "): ";
}

std::string CredentialsNote(const GcsFailure& failure) {
  if (failure.credentials_source.empty()) {
    return "";
  }
  return " (from " + failure.credentials_source + ")";
}

Status NotFound(const GcsFailure& failure) {
  if (failure.body.reason == "notFound" &&
      failure.body.message.find("bucket") != std::string::npos) {
    return NotFoundError(Prefix(failure) +
                         "the bucket does not exist; check its name and the endpoint");
  }
  if (!failure.generation.empty()) {
    return NotFoundError(Prefix(failure) + "generation " + failure.generation +
                         " of this object is gone (deleted, or replaced in a bucket "
                         "without versioning) or never existed; the live object is "
                         "not read in its place");
  }
  return NotFoundError(Prefix(failure) +
                       "no object has this name (or the bucket does not exist)");
}

Status AccessError(const GcsFailure& failure) {
  if (failure.anonymous) {
    return UnauthenticatedError(
        Prefix(failure) +
        "no Google credentials were found, so the request was sent anonymously and "
        "refused; set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, "
        "or run `gcloud auth application-default login`");
  }
  return PermissionDeniedError(Prefix(failure) + "the credentials" +
                               CredentialsNote(failure) +
                               " are not allowed to do this; grant them "
                               "storage.objects.get and storage.objects.list on the "
                               "bucket (role Storage Object Viewer)");
}

}  // namespace

Status GcsFailureToStatus(const GcsFailure& failure) {
  const int status = failure.http_status;
  if (status == 404) {
    return NotFound(failure);
  }
  if (status == 401) {
    return UnauthenticatedError(
        Prefix(failure) + "GCS rejected the credentials" + CredentialsNote(failure) +
        "; check GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth "
        "application-default login` again");
  }
  if (status == 403) {
    return AccessError(failure);
  }
  if (status == 412) {
    return FailedPreconditionError(
        Prefix(failure) +
        "the object changed since it was recorded (its etag or generation differs); "
        "re-track the reference or pin a generation");
  }
  if (status == 408) {
    return DeadlineExceededError(Prefix(failure) +
                                 "GCS timed out waiting for the request; retry");
  }
  if (status == 429) {
    return UnavailableError(Prefix(failure) +
                            "GCS is throttling requests; retry later or with fewer "
                            "parallel transfers");
  }
  if (status >= 500) {
    return UnavailableError(Prefix(failure) + "GCS failed; retry later");
  }
  if (status == 416) {
    return InvalidArgumentError(Prefix(failure) +
                                "the requested byte range lies beyond the object's end");
  }
  return InvalidArgumentError(Prefix(failure) + "GCS refused the request" +
                              (failure.body.message.empty()
                                   ? std::string()
                                   : " (\"" + failure.body.message + "\")"));
}

}  // namespace cairn::storage::gcs
