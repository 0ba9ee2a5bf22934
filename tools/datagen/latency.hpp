#pragma once
// Latency percentiles in constant memory: a log-scale histogram with ~1.5 % wide buckets, so
// p50/p99 are exact to within 1.5 % however many requests are recorded.

#include <chrono>
#include <cstdint>
#include <vector>

namespace attendance::datagen {

class LatencyHistogram {
 public:
  LatencyHistogram();
  void record(std::chrono::nanoseconds latency);
  std::uint64_t count() const { return count_; }
  // The latency below which fraction p (0..1) of the recorded ones fall; 0 when empty.
  std::chrono::nanoseconds percentile(double p) const;

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
};

}  // namespace attendance::datagen
