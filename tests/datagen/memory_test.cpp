// "It never runs away with memory at any volume": HTTP mode keeps a bounded window of work (a
// user's timeline at a time per connection, latencies in a fixed histogram), so its peak
// resident memory with twenty times the events (the same users and concurrency, 24 times the
// days) is about what it is for a small run. Measured by the kernel (ru_maxrss) on the binary.

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>

#include "datagen/datagen_process_support.hpp"
#include "datagen/listing_support.hpp"
#include "datagen/server_process_support.hpp"
#include "datagen/temp_path_support.hpp"

namespace attendance::datagen {
namespace {

constexpr const char* kToken = "datagen-memory-admin-token-0123456789abc";
constexpr auto kDeadline = std::chrono::seconds(300);

struct Measured {
  long peak_rss_kib = 0;
  std::uint64_t on_server = 0;  // the server's attendances after the run
};

Measured run_http(const testing::ServerProcess& server, int days, int seed) {
  // Under AddressSanitizer freed memory waits in a quarantine (256 MiB by default) before it is
  // reused, which grows with what was ever allocated, not with what is held: keep it small.
  testing::DatagenProcess datagen({"--target", server.url(), "--token", kToken, "--schools", "1", "--users", "200", "--days",
                                   std::to_string(days), "--seed", std::to_string(seed), "--concurrency", "16", "--no-progress"},
                                  {"ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=4"});
  EXPECT_EQ(datagen.wait_for_exit(kDeadline), 0) << datagen.output() << server.output();
  return {datagen.peak_rss_kib().value_or(0), testing::count_on_server(server.url(), kToken)};
}

TEST(DatagenMemory, HttpModePeakMemoryStaysFlatWithTwentyTimesTheEvents) {
  testing::TempDatabase file("datagen-memory");
  testing::ServerProcess server(file.url(), kToken);
  const Measured small = run_http(server, 5, 1);
  const Measured large = run_http(server, 120, 2);
  const auto small_events = small.on_server;
  const auto large_events = large.on_server - small.on_server;
  std::cout << "HTTP mode peak RSS: " << small_events << " events " << small.peak_rss_kib << " KiB, " << large_events
            << " events " << large.peak_rss_kib << " KiB\n";
  ASSERT_GT(small.peak_rss_kib, 0);
  ASSERT_GE(large_events, 15 * small_events) << "the second run sends an order of magnitude more";
  // 4 MiB of slack for the allocator's own variation (under ASan both runs peak near 75 MiB, at
  // most 2 MiB apart): keeping each request body it sent (about 250 bytes per event) would exceed it.
  EXPECT_LT(large.peak_rss_kib, small.peak_rss_kib + 4 * 1024)
      << small_events << " events: " << small.peak_rss_kib << " KiB; " << large_events << " events: " << large.peak_rss_kib
      << " KiB";
}

}  // namespace
}  // namespace attendance::datagen
