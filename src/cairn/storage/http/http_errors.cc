// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/http/http_errors.h"

namespace cairn::storage::http {
namespace {

std::string Reason(int http_status) {
  switch (http_status) {
    case 400:
      return "bad request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not found";
    case 405:
      return "method not allowed";
    case 408:
      return "request timeout";
    case 410:
      return "gone";
    case 412:
      return "precondition failed";
    case 416:
      return "range not satisfiable";
    case 429:
      return "too many requests";
    default:
      return http_status >= 500 ? "server error" : "unexpected answer";
  }
}

std::string Prefix(const HttpFailure& failure) {
  std::string out = failure.action + " " + failure.url;
  if (!failure.redirected_to.empty()) {
    out += " (redirected to " + failure.redirected_to + ")";
  }
  out += ": " + Reason(failure.http_status) + " (" + std::to_string(failure.http_status) +
         ")";
  if (failure.attempts > 1) {
    out += " after " + std::to_string(failure.attempts) + " attempts";
  }
  return out + ": ";
}

}  // namespace

Status HttpFailureToStatus(const HttpFailure& failure) {
  const std::string prefix = Prefix(failure);
  const int status = failure.http_status;
  if (status == 404 || status == 410) {
    return NotFoundError(prefix + "the server has no file at this URL; check the URL");
  }
  if (status == 401) {
    return UnauthenticatedError(
        prefix + (failure.sent_credentials
                      ? "the server refused the token of CAIRN_HTTP_BEARER_TOKEN; "
                        "check or renew it"
                      : "the server wants credentials; set CAIRN_HTTP_BEARER_TOKEN and "
                        "list this host in CAIRN_HTTP_BEARER_HOSTS, or use a signed "
                        "URL"));
  }
  if (status == 403) {
    return PermissionDeniedError(
        prefix +
        "the server refuses this URL to these credentials; check the token "
        "(CAIRN_HTTP_BEARER_TOKEN) or, for a signed URL, whether it has expired");
  }
  if (status == 412) {
    return FailedPreconditionError(
        prefix + "the file changed since it was recorded (its ETag no longer matches)");
  }
  if (status == 408) {
    return DeadlineExceededError(prefix + "try again later");
  }
  if (status == 429 || status >= 500) {
    return UnavailableError(prefix + "the server is failing or busy; try again later");
  }
  if (status == 416) {
    return InvalidArgumentError(prefix + "the requested range is past the file's end");
  }
  return InvalidArgumentError(prefix + "the server does not serve this URL as a file");
}

}  // namespace cairn::storage::http
