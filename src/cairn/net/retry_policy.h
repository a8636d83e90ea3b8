// SPDX-License-Identifier: Apache-2.0
// RetryPolicy: the one place that decides whether a failed HTTP attempt is tried
// again and how long to wait first. Storage backends never loop on their own.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cairn::net {

/// Why an attempt failed, as far as retrying is concerned.
enum class AttemptFailure {
  kConnection,  // could not connect, connection reset, body cut short
  kTimeout,     // connect or transfer timed out
  kResponse,    // the server answered; see http_status
};

/// Capped exponential backoff with full jitter: before attempt n+1 the client
/// waits a uniformly random time in [0, min(max_delay, base_delay * 2^(n-1))],
/// or the server's Retry-After when that is longer (still capped).
/// See https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
struct RetryPolicy {
  int max_attempts = 5;  // 1 disables retries
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{5000};

  /// True for connection errors, timeouts, 408, 429, every 5xx, and any answer
  /// whose body carries the S3 error code SlowDown. Other 4xx are permanent.
  static bool IsRetryable(AttemptFailure failure, int http_status, std::string_view body);

  /// The wait before the attempt after `attempt` (1-based), given a uniform random
  /// number in [0, 1) and the server's Retry-After in seconds, if it sent one.
  std::chrono::milliseconds Delay(int attempt, double random_unit,
                                  std::optional<std::int64_t> retry_after_s) const;
};

}  // namespace cairn::net
