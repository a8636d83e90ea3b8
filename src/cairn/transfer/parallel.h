// SPDX-License-Identifier: Apache-2.0
// ParallelFor: a bounded pool of worker threads that runs one function over the
// indexes 0..count-1, keeps every item's Status, reports progress, and stops
// handing out work once an error makes the rest pointless. Hashing and downloads
// share it; a store call never runs its own threads.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "cairn/base/status.h"

namespace cairn::transfer {

/// Workers for CPU-bound work such as hashing: the machine's hardware threads,
/// at least 2.
int HashParallelism();

/// Workers for network transfers, where threads mostly wait on the peer.
inline constexpr int kNetworkParallelism = 8;

/// When ParallelFor stops handing out new items.
enum class StopRule {
  kRunAll,          // every item runs, whatever the others return
  kStopOnFatal,     // stop after an error for which IsFatal() is true
  kStopOnAnyError,  // stop after the first error
};

/// True for codes after which further items would fail the same way: bad or
/// insufficient credentials, a limit such as a full disk, a backend that is not
/// built, and cairn bugs.
bool IsFatal(StatusCode code);

struct ParallelOptions {
  int parallelism = 0;  // worker threads; 0 means HashParallelism()
  StopRule stop = StopRule::kStopOnFatal;
  // Called after each item finishes with the number of items finished so far, the
  // item's index and its Status. Calls are serialised (never concurrent), but come
  // from worker threads.
  std::function<void(std::int64_t done, std::int64_t index, const Status& status)>
      on_done = nullptr;
};

/// The outcome of every item.
struct ParallelResult {
  // One Status per index. Items never started because the pool stopped early hold
  // kAborted "not started: ...".
  std::vector<Status> statuses;
  std::int64_t started = 0;
  bool stopped_early = false;

  bool ok() const;
  /// The error of the lowest failed index that actually ran, else OK.
  Status FirstError() const;
};

/// Runs `fn(i)` for every i in [0, count) on min(parallelism, count) threads and
/// returns when all started items have finished. Items are handed out in index
/// order. `fn` must be safe to call concurrently for different indexes and must
/// not throw. With count == 0 no thread is started.
ParallelResult ParallelFor(std::int64_t count, const ParallelOptions& options,
                           const std::function<Status(std::int64_t index)>& fn);

}  // namespace cairn::transfer
