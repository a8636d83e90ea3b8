// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/azure/azure_errors.h"

namespace cairn::storage::azure {
namespace {

constexpr const char* kCredentialVariables =
    "AZURE_STORAGE_CONNECTION_STRING (AccountName=...;AccountKey=...), "
    "AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY, or AZURE_STORAGE_SAS_TOKEN";

std::string DefaultCode(int http_status) {
  switch (http_status) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 409:
      return "Conflict";
    case 412:
      return "ConditionNotMet";
    case 416:
      return "InvalidRange";
    case 429:
      return "TooManyRequests";
    case 503:
      return "ServerBusy";
    default:
      return "HTTP " + std::to_string(http_status);
  }
}

std::string Code(const AzureFailure& failure) {
  return failure.error_code.empty() ? DefaultCode(failure.http_status)
                                    : failure.error_code;
}

std::string Prefix(const AzureFailure& failure) {
  std::string text = failure.action + " " + failure.uri + ": " + Code(failure) + " (" +
                     std::to_string(failure.http_status);
  if (!failure.request_id.empty()) {
    text += ", request " + failure.request_id;
  }
  return text + "): ";
}

std::string AccountNote(const AzureFailure& failure) {
  return failure.account.empty() ? std::string("the storage account")
                                 : "storage account " + failure.account;
}

Status NotFound(const AzureFailure& failure) {
  const std::string code = Code(failure);
  if (code == "ContainerNotFound") {
    return NotFoundError(Prefix(failure) + "the container does not exist in " +
                         AccountNote(failure) + "; check its name and the endpoint");
  }
  if (!failure.version_id.empty()) {
    return NotFoundError(Prefix(failure) + "version " + failure.version_id +
                         " of this blob is gone or never existed; the live blob is "
                         "not read in its place");
  }
  std::string text = Prefix(failure) + "no blob has this name";
  if (failure.anonymous) {
    text += " (the request was anonymous: a private container looks empty to it; set " +
            std::string(kCredentialVariables) + ")";
  }
  return NotFoundError(text);
}

Status Unauthenticated(const AzureFailure& failure) {
  if (failure.anonymous) {
    std::string why = "the request was sent without credentials";
    if (!failure.credentials_account.empty()) {
      why += " (the configured ones are for account " + failure.credentials_account +
             ", not " + failure.account + ")";
    }
    return UnauthenticatedError(Prefix(failure) + why + " and " + AccountNote(failure) +
                                " refused it; set " + kCredentialVariables);
  }
  return UnauthenticatedError(
      Prefix(failure) + AccountNote(failure) + " refused the credentials from " +
      failure.credentials_source +
      " (a wrong or rotated key, an expired SAS, credentials of another account, or a "
      "network rule of the account); check " +
      kCredentialVariables);
}

}  // namespace

Status AzureFailureToStatus(const AzureFailure& failure) {
  const int status = failure.http_status;
  const std::string code = Code(failure);
  if (status == 404) {
    return NotFound(failure);
  }
  const bool needs_credentials =
      code == "NoAuthenticationInformation" || code == "PublicAccessNotPermitted";
  // Azurite answers a wrong signature or an expired SAS with AuthorizationFailure;
  // Azure also uses it when a network rule of the account refuses the caller.
  if (status == 401 || code == "AuthenticationFailed" || code == "AuthorizationFailure" ||
      ((status == 403 || status == 409) && (failure.anonymous || needs_credentials))) {
    return Unauthenticated(failure);
  }
  if (status == 403) {
    return PermissionDeniedError(
        Prefix(failure) + "the credentials from " + failure.credentials_source +
        " are not allowed to do this in " + AccountNote(failure) +
        "; cairn needs read and list: a SAS with sp=rl, or the role Storage Blob Data "
        "Reader");
  }
  if (status == 412) {
    return FailedPreconditionError(
        Prefix(failure) +
        "the blob changed since it was recorded (its ETag differs); re-track the "
        "reference, or pin a version on an account with blob versioning");
  }
  if (status == 408 || code == "OperationTimedOut") {
    return DeadlineExceededError(Prefix(failure) + "Azure timed out; retry");
  }
  if (status == 429 || status >= 500) {
    return UnavailableError(Prefix(failure) +
                            "Azure is busy or failing; retry later or with fewer "
                            "parallel transfers");
  }
  if (status == 416) {
    return InvalidArgumentError(Prefix(failure) +
                                "the requested byte range lies beyond the blob's end");
  }
  return InvalidArgumentError(Prefix(failure) + "Azure refused the request" +
                              (failure.body.message.empty()
                                   ? std::string()
                                   : " (\"" + failure.body.message + "\")"));
}

}  // namespace cairn::storage::azure
