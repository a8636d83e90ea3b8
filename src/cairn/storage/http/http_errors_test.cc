// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/http/http_errors.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cairn::storage::http {
namespace {

TEST(HttpErrorsTest, EachStatusMapsToItsCodeAndMessage) {
  struct Case {
    int http_status;
    bool sent_credentials;
    StatusCode code;
    std::string message;
  };
  const std::string at = "stating https://h/f?sig=REDACTED: ";
  const std::vector<Case> cases = {
      {404, false, StatusCode::kNotFound,
       at + "not found (404): the server has no file at this URL; check the URL"},
      {410, false, StatusCode::kNotFound,
       at + "gone (410): the server has no file at this URL; check the URL"},
      {401, false, StatusCode::kUnauthenticated,
       at + "unauthorized (401): the server wants credentials; set "
            "CAIRN_HTTP_BEARER_TOKEN and list this host in CAIRN_HTTP_BEARER_HOSTS, or "
            "use a signed URL"},
      {401, true, StatusCode::kUnauthenticated,
       at + "unauthorized (401): the server refused the token of "
            "CAIRN_HTTP_BEARER_TOKEN; check or renew it"},
      {403, false, StatusCode::kPermissionDenied,
       at + "forbidden (403): the server refuses this URL to these credentials; check "
            "the token (CAIRN_HTTP_BEARER_TOKEN) or, for a signed URL, whether it has "
            "expired"},
      {412, false, StatusCode::kFailedPrecondition,
       at + "precondition failed (412): the file changed since it was recorded (its "
            "ETag no longer matches)"},
      {408, false, StatusCode::kDeadlineExceeded,
       at + "request timeout (408): try again later"},
      {503, false, StatusCode::kUnavailable,
       at + "server error (503): the server is failing or busy; try again later"},
      {429, false, StatusCode::kUnavailable,
       at + "too many requests (429): the server is failing or busy; try again later"},
      {416, false, StatusCode::kInvalidArgument,
       at + "range not satisfiable (416): the requested range is past the file's end"},
      {400, false, StatusCode::kInvalidArgument,
       at + "bad request (400): the server does not serve this URL as a file"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.http_status);
    const Status status = HttpFailureToStatus({.action = "stating",
                                               .url = "https://h/f?sig=REDACTED",
                                               .http_status = c.http_status,
                                               .sent_credentials = c.sent_credentials});
    EXPECT_EQ(status.code(), c.code);
    EXPECT_EQ(status.message(), c.message);
  }
}

TEST(HttpErrorsTest, MessageNamesTheRedirectTargetAndTheAttempts) {
  const Status status = HttpFailureToStatus({.action = "reading",
                                             .url = "http://a:1/f",
                                             .redirected_to = "http://b:2/f",
                                             .http_status = 502,
                                             .attempts = 5});

  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(),
            "reading http://a:1/f (redirected to http://b:2/f): server error (502) after "
            "5 attempts: the server is failing or busy; try again later");
}

}  // namespace
}  // namespace cairn::storage::http
