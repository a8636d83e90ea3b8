// SPDX-License-Identifier: Apache-2.0
#include "cairn/transfer/parallel.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::transfer {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ParallelForTest, RunsEveryIndexExactlyOnce) {
  constexpr std::int64_t kCount = 1000;
  std::vector<std::atomic<int>> calls(kCount);

  const ParallelResult result =
      ParallelFor(kCount, {.parallelism = 4}, [&](std::int64_t i) {
        calls[static_cast<std::size_t>(i)].fetch_add(1);
        return Status::Ok();
      });

  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.started, kCount);
  EXPECT_FALSE(result.stopped_early);
  for (std::int64_t i = 0; i < kCount; ++i) {
    EXPECT_EQ(calls[static_cast<std::size_t>(i)].load(), 1) << "index " << i;
  }
}

TEST(ParallelForTest, ZeroItemsStartsNothing) {
  const ParallelResult result = ParallelFor(0, {}, [](std::int64_t) {
    ADD_FAILURE() << "called with no items";
    return Status::Ok();
  });
  EXPECT_TRUE(result.statuses.empty());
  EXPECT_TRUE(result.ok());
}

TEST(ParallelForTest, UsesSeveralThreadsAtOnce) {
  // Four items that each wait until all four are running prove four workers.
  std::mutex mutex;
  std::condition_variable all_in;
  int running = 0;
  std::set<std::thread::id> threads;

  const ParallelResult result = ParallelFor(4, {.parallelism = 4}, [&](std::int64_t) {
    std::unique_lock lock(mutex);
    threads.insert(std::this_thread::get_id());
    ++running;
    all_in.notify_all();
    all_in.wait(lock, [&] { return running == 4; });
    return Status::Ok();
  });

  EXPECT_TRUE(result.ok());
  EXPECT_EQ(threads.size(), 4U);
}

TEST(ParallelForTest, KeepsEveryItemsStatusWhenRunningAll) {
  const ParallelResult result =
      ParallelFor(6, {.parallelism = 3, .stop = StopRule::kRunAll}, [](std::int64_t i) {
        return i % 2 == 1 ? NotFoundError("item " + std::to_string(i)) : Status::Ok();
      });

  ASSERT_EQ(result.statuses.size(), 6U);
  EXPECT_OK(result.statuses[0]);
  EXPECT_THAT(result.statuses[1], StatusIs(StatusCode::kNotFound, "item 1"));
  EXPECT_OK(result.statuses[2]);
  EXPECT_THAT(result.statuses[5], StatusIs(StatusCode::kNotFound, "item 5"));
  EXPECT_THAT(result.FirstError(), StatusIs(StatusCode::kNotFound, "item 1"));
  EXPECT_FALSE(result.stopped_early);
}

TEST(ParallelForTest, StopsHandingOutWorkAfterFatalError) {
  // One worker makes the order deterministic: item 2 fails fatally, 3.. never run.
  std::atomic<int> calls{0};
  const ParallelResult result = ParallelFor(10, {.parallelism = 1}, [&](std::int64_t i) {
    calls.fetch_add(1);
    return i == 2 ? PermissionDeniedError("denied") : Status::Ok();
  });

  EXPECT_EQ(calls.load(), 3);
  EXPECT_TRUE(result.stopped_early);
  EXPECT_EQ(result.started, 3);
  EXPECT_THAT(result.FirstError(), StatusIs(StatusCode::kPermissionDenied, "denied"));
  EXPECT_THAT(result.statuses[9],
              StatusIs(StatusCode::kAborted, HasSubstr("not started")));
}

TEST(ParallelForTest, NonFatalErrorsDoNotStopTheDefaultRule) {
  std::atomic<int> calls{0};
  const ParallelResult result = ParallelFor(10, {.parallelism = 1}, [&](std::int64_t i) {
    calls.fetch_add(1);
    return i == 2 ? FailedPreconditionError("changed") : Status::Ok();
  });

  EXPECT_EQ(calls.load(), 10);
  EXPECT_FALSE(result.stopped_early);
  EXPECT_THAT(result.FirstError(), StatusIs(StatusCode::kFailedPrecondition, "changed"));
}

TEST(ParallelForTest, StopOnAnyErrorStopsAtTheFirst) {
  const ParallelResult result = ParallelFor(
      10, {.parallelism = 1, .stop = StopRule::kStopOnAnyError},
      [](std::int64_t i) { return i == 0 ? UnavailableError("down") : Status::Ok(); });

  EXPECT_EQ(result.started, 1);
  EXPECT_TRUE(result.stopped_early);
}

TEST(ParallelForTest, ProgressCallbackCountsUpWithoutOverlap) {
  std::vector<std::int64_t> seen;
  std::atomic<int> inside{0};
  bool overlapped = false;

  const ParallelResult result =
      ParallelFor(50,
                  {.parallelism = 4,
                   .on_done =
                       [&](std::int64_t done, std::int64_t, const Status&) {
                         overlapped = overlapped || inside.fetch_add(1) != 0;
                         seen.push_back(done);
                         inside.fetch_sub(1);
                       }},
                  [](std::int64_t) { return Status::Ok(); });

  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(overlapped);
  ASSERT_EQ(seen.size(), 50U);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i], static_cast<std::int64_t>(i + 1));
  }
}

TEST(ParallelForTest, HashParallelismIsAtLeastTwo) {
  EXPECT_GE(HashParallelism(), 2);
}

}  // namespace
}  // namespace cairn::transfer
