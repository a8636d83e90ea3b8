// SPDX-License-Identifier: Apache-2.0
// The one place where a failed Azure Blob request (HTTP status, x-ms-error-code,
// error body) becomes a cairn Status: the code tells callers whether to retry, the
// message says what was tried, on what, what Azure answered and how to fix it.
// See https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes.
#pragma once

#include <string>

#include "cairn/base/status.h"
#include "cairn/storage/azure/azure_xml.h"

namespace cairn::storage::azure {

/// Everything known about one failed Azure request.
struct AzureFailure {
  // What was tried, as a gerund phrase: "reading", "listing", "stating".
  std::string action;
  // The URI acted on, without query string (never a signed or SAS URL).
  std::string uri;
  // The version the request was pinned to; empty when it read the live blob.
  std::string version_id;
  int http_status = 0;
  // x-ms-error-code, else the body's <Code> (HEAD answers carry no body).
  std::string error_code;
  AzureErrorBody body;
  std::string request_id;  // x-ms-request-id
  std::string account;     // the storage account addressed, for messages
  // Where the credentials came from ("AZURE_STORAGE_CONNECTION_STRING",
  // "none (anonymous)"), so an authentication message can say which ones were used.
  std::string credentials_source;
  bool anonymous = false;  // the request carried neither a signature nor a SAS
  // Set when credentials were configured for another account than the one
  // addressed, which is why the request went out anonymously.
  std::string credentials_account;
};

/// Maps `failure` to a Status:
/// - 404 (BlobNotFound, ContainerNotFound, ResourceNotFound, ...) -> kNotFound;
///   with a version: that version is gone or never was, and the live blob is not
///   read in its place
/// - 403 AuthenticationFailed or AuthorizationFailure (Azurite's answer to a wrong
///   signature or an expired SAS), 401, and any 403 or 409 to an anonymous request
///   (NoAuthenticationInformation, PublicAccessNotPermitted) -> kUnauthenticated
///   naming the account and the variables that set credentials
/// - other 403 (AuthorizationPermissionMismatch, AuthorizationFailure, ...) ->
///   kPermissionDenied naming the permissions cairn needs
/// - 412 ConditionNotMet -> kFailedPrecondition (the blob changed)
/// - 408, OperationTimedOut -> kDeadlineExceeded; 429, 5xx, ServerBusy ->
///   kUnavailable
/// - 416 and anything else -> kInvalidArgument, quoting Azure's first message line.
/// The message reads "<action> <uri>: <code> (<status>, request <id>): <fix>".
Status AzureFailureToStatus(const AzureFailure& failure);

}  // namespace cairn::storage::azure
