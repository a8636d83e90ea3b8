// SPDX-License-Identifier: Apache-2.0
// HttpClient: HTTP/1.1 requests on libcurl with connection reuse, bounded retries
// (net/retry_policy.h), resumable streamed downloads, per-attempt signing and one
// debug log line per attempt.
//
// Connection reuse. The client keeps a pool of libcurl easy handles. A request
// takes a handle (the most recently returned first, whose connections are the
// warmest), runs every attempt on it, and gives it back; each handle keeps its
// own cache of open connections, so consecutive requests to one host reuse a
// connection. A share object (CURLSH) additionally shares the DNS cache and TLS
// sessions between handles. The connection cache itself is deliberately not
// shared: libcurl's shared connection cache is not safe across threads
// (https://github.com/curl/curl/issues/4915, still open in libcurl 7.88), and
// per-handle caches reach the same reuse once every thread has its handle.
#pragma once

#include <cstddef>
#include <memory>

#include "cairn/base/result.h"
#include "cairn/net/http_message.h"
#include "cairn/net/retry_policy.h"

namespace cairn::net {

struct HttpClientOptions {
  RetryPolicy retry;
  int connect_timeout_ms = 10'000;
  // Upper bound for one attempt, connection included; 0 means none (the stall
  // guard below still ends a transfer that stops moving).
  int attempt_timeout_ms = 0;
  // An attempt that moves fewer than one byte per second for this long fails as a
  // timeout and is retried.
  int stall_timeout_s = 30;
  // Handles kept when idle; more are made while more threads need one at once.
  std::size_t max_idle_handles = 32;
  // A streamed request keeps at most this much of a non-2xx body (an error page).
  std::size_t max_error_body_bytes = 1 << 20;
};

/// Performs HTTP requests. Safe for concurrent use from many threads; cheap to
/// share (one client per process or per store is the intent).
class HttpClient {
 public:
  explicit HttpClient(const HttpClientOptions& options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Performs `request`, retrying as the RetryPolicy says, and returns the last
  /// answer. Any HTTP status is a successful Response (the caller maps 4xx and
  /// 5xx, e.g. through s3_errors.h); an answer still retryable after the last
  /// attempt is returned as it came.
  ///
  /// With `sink`, a 2xx body streams into it instead of Response::body. When an
  /// attempt dies after N body bytes, the next one asks for the rest
  /// ("Range: bytes=<offset+N>-<end>", plus If-Match with the first answer's ETag
  /// so a changed object is refused), calls sink->Restart(N), and checks that the
  /// 206 answer starts at that byte.
  ///
  /// Errors: kUnavailable (could not connect, connection dropped) or
  /// kDeadlineExceeded (timed out) after the last attempt, naming the method, the
  /// redacted URL and the attempts; kDataLoss when a resumed answer does not
  /// continue where the previous one stopped; the sink's or signer's own Status,
  /// unretried; kInvalidArgument for a URL libcurl cannot use.
  /// Round trips: one per attempt.
  Result<Response> Perform(const Request& request, BodySink* sink = nullptr);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::net
