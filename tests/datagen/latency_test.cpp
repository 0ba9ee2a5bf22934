// The latency histogram's percentiles are within its bucket width (1.5 %) of the exact ones.

#include <gtest/gtest.h>

#include "tools/datagen/http_client.hpp"
#include "tools/datagen/latency.hpp"

namespace attendance::datagen {
namespace {

TEST(LatencyHistogram, PercentilesAreWithinOneBucketOfTheTruth) {
  LatencyHistogram histogram;
  for (int us = 1; us <= 10000; ++us) histogram.record(std::chrono::microseconds(us));
  EXPECT_EQ(histogram.count(), 10000u);
  const auto p50 = static_cast<double>(histogram.percentile(0.50).count()) / 1000.0;
  const auto p99 = static_cast<double>(histogram.percentile(0.99).count()) / 1000.0;
  EXPECT_NEAR(p50, 5000, 5000 * 0.016);
  EXPECT_NEAR(p99, 9900, 9900 * 0.016);
}

TEST(LatencyHistogram, EmptyGivesZero) {
  EXPECT_EQ(LatencyHistogram().percentile(0.99).count(), 0);
}

TEST(Endpoint, ParsesHostPortAndPrefix) {
  const auto e = parse_endpoint("http://127.0.0.1:4000/");
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, "4000");
  EXPECT_EQ(e.base_path, "");
  EXPECT_EQ(parse_endpoint("http://example.org/prefix").base_path, "/prefix");
  EXPECT_EQ(parse_endpoint("http://example.org").port, "80");
  EXPECT_THROW(parse_endpoint("https://example.org"), std::invalid_argument);
  EXPECT_THROW(parse_endpoint("not a url"), std::invalid_argument);
}

}  // namespace
}  // namespace attendance::datagen
