#include "http/rate_limit.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace attendance::http {
namespace {

using namespace std::chrono_literals;

// A clock the test moves by hand.
struct FakeClock {
  std::chrono::steady_clock::time_point now{std::chrono::steady_clock::duration{0}};
  RateLimiter::Clock fn() {
    return [this] { return now; };
  }
};

TEST(RateLimiter, AFreshTokenMaySendItsBurstAtOnceAndNoMore) {
  FakeClock clock;
  RateLimiter limiter({.rate = 5, .burst = 5}, clock.fn());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.acquire(1), 0) << i;
  EXPECT_GT(limiter.acquire(1), 0);
}

TEST(RateLimiter, TheBucketRefillsAtTheRateUpToTheBurst) {
  FakeClock clock;
  RateLimiter limiter({.rate = 10, .burst = 2}, clock.fn());
  EXPECT_EQ(limiter.acquire(7), 0);
  EXPECT_EQ(limiter.acquire(7), 0);
  EXPECT_GT(limiter.acquire(7), 0);
  clock.now += 100ms;  // one request's worth at 10/s
  EXPECT_EQ(limiter.acquire(7), 0);
  EXPECT_GT(limiter.acquire(7), 0);
  clock.now += 1h;  // refills to the burst, not beyond
  EXPECT_EQ(limiter.acquire(7), 0);
  EXPECT_EQ(limiter.acquire(7), 0);
  EXPECT_GT(limiter.acquire(7), 0);
}

TEST(RateLimiter, RetryAfterIsTheWaitForOneRequestRoundedUpToWholeSeconds) {
  FakeClock clock;
  RateLimiter slow({.rate = 0.25, .burst = 1}, clock.fn());  // one request per 4 s
  EXPECT_EQ(slow.acquire(1), 0);
  EXPECT_EQ(slow.acquire(1), 4);
  clock.now += 1500ms;
  EXPECT_EQ(slow.acquire(1), 3);  // 2.5 s left
  RateLimiter fast({.rate = 100, .burst = 1}, clock.fn());
  EXPECT_EQ(fast.acquire(1), 0);
  EXPECT_EQ(fast.acquire(1), 1);  // 10 ms, never 0
}

TEST(RateLimiter, OneTokensFloodDoesNotTouchAnothersBucket) {
  FakeClock clock;
  RateLimiter limiter({.rate = 1, .burst = 3}, clock.fn());
  for (int i = 0; i < 100; ++i) limiter.acquire(1);
  EXPECT_GT(limiter.acquire(1), 0);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.acquire(2), 0) << i;
}

TEST(RateLimiter, ARateOfZeroDisablesTheLimits) {
  RateLimiter limiter({.rate = 0, .burst = 1});
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.acquire(1), 0);
  EXPECT_EQ(limiter.size(), 0U);
}

TEST(RateLimiter, BucketsStayBoundedAndIdleOnesAreEvictedFirst) {
  FakeClock clock;
  // 16 shards of 2 buckets each.
  RateLimiter limiter({.rate = 1, .burst = 10, .max_buckets = 32}, clock.fn());
  for (domain::Id id = 1; id <= 1000; ++id) limiter.acquire(id);
  EXPECT_LE(limiter.size(), 32U);

  // Token 16 keeps using its bucket while the other tokens of its shard go idle long enough to
  // refill; new tokens then replace the idle ones and 16 keeps its (drained) bucket.
  RateLimiter kept({.rate = 1, .burst = 2, .max_buckets = 32}, clock.fn());
  EXPECT_EQ(kept.acquire(16), 0);
  EXPECT_EQ(kept.acquire(32), 0);
  clock.now += 10s;
  EXPECT_EQ(kept.acquire(16), 0);
  EXPECT_EQ(kept.acquire(16), 0);
  EXPECT_GT(kept.acquire(16), 0);  // drained
  EXPECT_EQ(kept.acquire(48), 0);  // same shard: evicts idle 32, not 16
  EXPECT_GT(kept.acquire(16), 0);  // still drained: its bucket was kept
  EXPECT_EQ(kept.size(), 2U);
}

}  // namespace
}  // namespace attendance::http
