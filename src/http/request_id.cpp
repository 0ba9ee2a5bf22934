#include "http/request_id.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>

namespace attendance::http {

std::string new_request_id() {
  // A random per-process prefix plus a counter: unique, cheap, and no lock on the hot path.
  static const std::uint32_t prefix = std::random_device{}();
  static std::atomic<std::uint32_t> counter{0};
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%08x%08x", prefix, counter.fetch_add(1, std::memory_order_relaxed));
  return buffer;
}

}  // namespace attendance::http
