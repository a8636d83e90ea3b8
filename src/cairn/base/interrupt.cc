// SPDX-License-Identifier: Apache-2.0
#include "cairn/base/interrupt.h"

#include <atomic>

namespace cairn::interrupt {
namespace {

// Lock-free, so storing to it from a signal handler is safe.
std::atomic<bool> requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

}  // namespace

void Request() noexcept {
  requested.store(true, std::memory_order_relaxed);
}

bool Requested() noexcept {
  return requested.load(std::memory_order_relaxed);
}

}  // namespace cairn::interrupt
