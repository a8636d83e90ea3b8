// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/azure/azure_errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::storage::azure {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

AzureFailure Failure(int status, std::string code) {
  AzureFailure failure;
  failure.action = "reading";
  failure.uri = "az://cont/data/x.bin";
  failure.http_status = status;
  failure.error_code = std::move(code);
  failure.request_id = "4f2a";
  failure.account = "acct";
  failure.credentials_source = "AZURE_STORAGE_CONNECTION_STRING";
  return failure;
}

TEST(AzureErrorsTest, EachAnswerMapsToItsCodeAndFix) {
  struct Case {
    AzureFailure failure;
    StatusCode code;
    std::string message;
  };
  AzureFailure pinned = Failure(404, "BlobNotFound");
  pinned.version_id = "2026-12-04T15:34:00.1234567Z";
  AzureFailure anonymous = Failure(404, "ResourceNotFound");
  anonymous.anonymous = true;
  AzureFailure public_off = Failure(409, "PublicAccessNotPermitted");
  public_off.anonymous = true;
  AzureFailure other_account = Failure(403, "");
  other_account.anonymous = true;
  other_account.credentials_account = "mine";
  AzureFailure odd = Failure(400, "InvalidQueryParameterValue");
  odd.body.message =
      "Value for one of the query parameters specified in the request "
      "URI is invalid.";

  const std::vector<Case> cases = {
      {Failure(404, "BlobNotFound"), StatusCode::kNotFound,
       "reading az://cont/data/x.bin: BlobNotFound (404, request 4f2a): no blob has "
       "this name"},
      {Failure(404, "ContainerNotFound"), StatusCode::kNotFound,
       "ContainerNotFound (404, request 4f2a): the container does not exist in storage "
       "account acct; check its name and the endpoint"},
      {pinned, StatusCode::kNotFound,
       "version 2026-12-04T15:34:00.1234567Z of this blob is gone or never existed; the "
       "live blob is not read in its place"},
      {anonymous, StatusCode::kNotFound,
       "no blob has this name (the request was anonymous: a private container looks "
       "empty to it; set AZURE_STORAGE_CONNECTION_STRING"},
      {Failure(403, "AuthenticationFailed"), StatusCode::kUnauthenticated,
       "AuthenticationFailed (403, request 4f2a): storage account acct refused the "
       "credentials from AZURE_STORAGE_CONNECTION_STRING (a wrong or rotated key, an "
       "expired SAS, credentials of another account, or a network rule of the account); "
       "check "
       "AZURE_STORAGE_CONNECTION_STRING (AccountName=...;AccountKey=...), "
       "AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY, or AZURE_STORAGE_SAS_TOKEN"},
      {public_off, StatusCode::kUnauthenticated,
       "PublicAccessNotPermitted (409, request 4f2a): the request was sent without "
       "credentials and storage account acct refused it; set"},
      {other_account, StatusCode::kUnauthenticated,
       "Forbidden (403, request 4f2a): the request was sent without credentials (the "
       "configured ones are for account mine, not acct)"},
      {Failure(403, "AuthorizationFailure"), StatusCode::kUnauthenticated,
       "AuthorizationFailure (403, request 4f2a): storage account acct refused the "
       "credentials from AZURE_STORAGE_CONNECTION_STRING"},
      {Failure(403, "AuthorizationPermissionMismatch"), StatusCode::kPermissionDenied,
       "are not allowed to do this in storage account acct; cairn needs read and list: "
       "a SAS with sp=rl, or the role Storage Blob Data Reader"},
      {Failure(412, "ConditionNotMet"), StatusCode::kFailedPrecondition,
       "ConditionNotMet (412, request 4f2a): the blob changed since it was recorded"},
      {Failure(500, "OperationTimedOut"), StatusCode::kDeadlineExceeded,
       "OperationTimedOut (500, request 4f2a): Azure timed out; retry"},
      {Failure(503, "ServerBusy"), StatusCode::kUnavailable, "Azure is busy or failing"},
      {Failure(429, ""), StatusCode::kUnavailable, "TooManyRequests (429, request 4f2a)"},
      {Failure(416, "InvalidRange"), StatusCode::kInvalidArgument,
       "InvalidRange (416, request 4f2a): the requested byte range lies beyond the "
       "blob's end"},
      {odd, StatusCode::kInvalidArgument,
       "InvalidQueryParameterValue (400, request 4f2a): Azure refused the request "
       "(\"Value for one of the query parameters specified in the request URI is "
       "invalid.\")"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    EXPECT_THAT(AzureFailureToStatus(c.failure), StatusIs(c.code, HasSubstr(c.message)));
  }
}

TEST(AzureErrorsTest, AuthenticationMessagesNeverQuoteAzuresDetail) {
  AzureFailure failure = Failure(403, "AuthenticationFailed");
  failure.body.message = "Server failed to authenticate the request.";

  EXPECT_THAT(AzureFailureToStatus(failure),
              StatusIs(StatusCode::kUnauthenticated,
                       AllOf(HasSubstr("storage account acct refused"),
                             Not(HasSubstr("Server failed")))));
}

}  // namespace
}  // namespace cairn::storage::azure
