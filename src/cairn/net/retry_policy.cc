// SPDX-License-Identifier: Apache-2.0
#include "cairn/net/retry_policy.h"

#include <algorithm>

namespace cairn::net {

bool RetryPolicy::IsRetryable(AttemptFailure failure, int http_status,
                              std::string_view body) {
  if (failure != AttemptFailure::kResponse) {
    return true;
  }
  if (http_status == 408 || http_status == 429 || http_status >= 500) {
    return true;
  }
  // S3-compatible stores throttle with SlowDown, usually as 503 but some as 400.
  return body.find("<Code>SlowDown</Code>") != std::string_view::npos;
}

std::chrono::milliseconds RetryPolicy::Delay(
    int attempt, double random_unit, std::optional<std::int64_t> retry_after_s) const {
  const int doublings = std::clamp(attempt - 1, 0, 30);
  const std::int64_t ceiling = std::min<std::int64_t>(
      max_delay.count(), base_delay.count() * (std::int64_t{1} << doublings));
  auto delay = static_cast<std::int64_t>(static_cast<double>(ceiling) *
                                         std::clamp(random_unit, 0.0, 1.0));
  if (retry_after_s.has_value() && *retry_after_s > 0) {
    delay = std::max(delay, *retry_after_s * 1000);
  }
  return std::chrono::milliseconds(std::min(delay, max_delay.count()));
}

}  // namespace cairn::net
