#include "tools/datagen/latency.hpp"

#include <algorithm>
#include <cmath>

namespace attendance::datagen {

namespace {
constexpr double kGrowth = 1.015;
// Buckets cover 1 microsecond to beyond 10 minutes; longer latencies land in the last one.
constexpr std::size_t kBuckets = 1400;

std::size_t bucket_of(double micros) {
  if (micros < 1.0) return 0;
  return std::min(kBuckets - 1, static_cast<std::size_t>(std::log(micros) / std::log(kGrowth)) + 1);
}

double upper_micros(std::size_t bucket) { return bucket == 0 ? 1.0 : std::pow(kGrowth, static_cast<double>(bucket)); }
}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBuckets, 0) {}

void LatencyHistogram::record(std::chrono::nanoseconds latency) {
  ++buckets_[bucket_of(static_cast<double>(latency.count()) / 1000.0)];
  ++count_;
}

std::chrono::nanoseconds LatencyHistogram::percentile(double p) const {
  if (count_ == 0) return std::chrono::nanoseconds(0);
  const auto rank = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= std::max<std::uint64_t>(rank, 1)) {
      return std::chrono::nanoseconds(static_cast<long long>(upper_micros(b) * 1000.0));
    }
  }
  return std::chrono::nanoseconds(static_cast<long long>(upper_micros(buckets_.size() - 1) * 1000.0));
}

}  // namespace attendance::datagen
