#include "http/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace attendance::http {

RateLimiter::RateLimiter(Options options, Clock clock)
    : rate_(std::max(0.0, options.rate)),
      burst_(std::max(1.0, options.burst)),
      shard_capacity_(std::max<std::size_t>(1, options.max_buckets / kShards)),
      refill_time_(rate_ > 0 ? burst_ / rate_ : 0.0),
      clock_(std::move(clock)) {}

int RateLimiter::acquire(domain::Id token_id) {
  if (!enabled()) return 0;
  auto& shard = shards_[static_cast<std::size_t>(token_id) % kShards];
  auto now = clock_();
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(token_id);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= shard_capacity_) evict(shard, now);
    it = shard.buckets.emplace(token_id, Bucket{burst_, now}).first;
  }
  auto& bucket = it->second;
  std::chrono::duration<double> elapsed = now - bucket.last;
  if (elapsed.count() > 0) {
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed.count() * rate_);
    bucket.last = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  double wait = (1.0 - bucket.tokens) / rate_;
  return std::max(1, static_cast<int>(std::ceil(wait - 1e-9)));
}

void RateLimiter::evict(Shard& shard, std::chrono::steady_clock::time_point now) {
  auto oldest = shard.buckets.end();
  for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
    if (now - it->second.last >= refill_time_) {
      it = shard.buckets.erase(it);
      continue;
    }
    if (oldest == shard.buckets.end() || it->second.last < oldest->second.last) oldest = it;
    ++it;
  }
  if (shard.buckets.size() >= shard_capacity_ && oldest != shard.buckets.end()) shard.buckets.erase(oldest);
}

std::size_t RateLimiter::size() const {
  std::size_t total = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.buckets.size();
  }
  return total;
}

}  // namespace attendance::http
