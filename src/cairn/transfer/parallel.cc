// SPDX-License-Identifier: Apache-2.0
#include "cairn/transfer/parallel.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace cairn::transfer {

int HashParallelism() {
  const unsigned hardware = std::thread::hardware_concurrency();
  return std::max(2, static_cast<int>(hardware));
}

bool IsFatal(StatusCode code) {
  switch (code) {
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
    case StatusCode::kResourceExhausted:
    case StatusCode::kUnimplemented:
    case StatusCode::kInternal:
      return true;
    default:
      return false;
  }
}

bool ParallelResult::ok() const {
  return std::all_of(statuses.begin(), statuses.end(),
                     [](const Status& status) { return status.ok(); });
}

Status ParallelResult::FirstError() const {
  const Status* not_started = nullptr;
  for (const Status& status : statuses) {
    if (status.ok()) {
      continue;
    }
    if (status.code() == StatusCode::kAborted && stopped_early &&
        status.message().starts_with("not started")) {
      not_started = not_started == nullptr ? &status : not_started;
      continue;
    }
    return status;
  }
  return not_started == nullptr ? Status::Ok() : *not_started;
}

ParallelResult ParallelFor(std::int64_t count, const ParallelOptions& options,
                           const std::function<Status(std::int64_t index)>& fn) {
  ParallelResult result;
  if (count <= 0) {
    return result;
  }
  result.statuses.assign(static_cast<std::size_t>(count),
                         AbortedError("not started: an earlier item failed"));

  std::atomic<std::int64_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex done_mutex;
  std::int64_t done = 0;

  auto worker = [&] {
    while (!stop.load(std::memory_order_relaxed)) {
      const std::int64_t index = next.fetch_add(1);
      if (index >= count) {
        return;
      }
      Status status = fn(index);
      const bool stops =
          !status.ok() &&
          (options.stop == StopRule::kStopOnAnyError ||
           (options.stop == StopRule::kStopOnFatal && IsFatal(status.code())));
      if (stops) {
        stop.store(true);
      }

      // The callback runs under the lock so a front end never sees two at once.
      const std::lock_guard lock(done_mutex);
      result.statuses[static_cast<std::size_t>(index)] = std::move(status);
      ++done;
      if (options.on_done) {
        options.on_done(done, index, result.statuses[static_cast<std::size_t>(index)]);
      }
    }
  };

  const int parallelism =
      options.parallelism > 0 ? options.parallelism : HashParallelism();
  const auto threads = static_cast<int>(std::min<std::int64_t>(parallelism, count));
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back(worker);
  }
  for (std::thread& thread : pool) {
    thread.join();
  }

  result.started = std::min(next.load(), count);
  result.stopped_early = result.started < count;
  return result;
}

}  // namespace cairn::transfer
