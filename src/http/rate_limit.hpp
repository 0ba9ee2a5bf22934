#pragma once
// Per-token rate limits: a token bucket per API token, refilled at `rate` requests per second up
// to `burst`. Buckets are per token, so one token's flood never slows another token down.
//
//   RateLimiter limiter({.rate = 200, .burst = 400});
//   if (auto wait = limiter.acquire(caller.token_id); wait > 0) { /* 429, Retry-After: wait */ }
//
// Memory is bounded: at most `max_buckets` buckets are kept. A bucket idle long enough to have
// refilled completely is equivalent to a fresh one and is dropped when room is needed; when every
// bucket is active the least recently used is dropped (its token starts over with a full burst).

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "domain/types.hpp"

namespace attendance::http {

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  struct Options {
    double rate = 200;                  // requests per second per token; 0 disables the limits
    double burst = 400;                 // bucket capacity (at least 1)
    std::size_t max_buckets = 100'000;  // tokens tracked at most
  };

  explicit RateLimiter(Options options, Clock clock = &std::chrono::steady_clock::now);

  bool enabled() const { return rate_ > 0; }

  // Takes one request from the token's bucket. 0 when the request may proceed; otherwise the
  // whole seconds (at least 1, rounded up) until the bucket holds a request again.
  int acquire(domain::Id token_id);

  // Buckets currently kept (for tests and metrics).
  std::size_t size() const;

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<domain::Id, Bucket> buckets;
  };
  static constexpr std::size_t kShards = 16;

  // Makes room for one more bucket in a full shard (called with the shard locked).
  void evict(Shard& shard, std::chrono::steady_clock::time_point now);

  double rate_;
  double burst_;
  std::size_t shard_capacity_;
  std::chrono::duration<double> refill_time_;  // empty to full
  Clock clock_;
  std::array<Shard, kShards> shards_;
};

}  // namespace attendance::http
