#pragma once
// Request metrics in the Prometheus text exposition format (0.0.4).
//
// Recording is lock-free and allocation-free: one relaxed atomic increment per counter, in arrays
// sized once from the route table. Rendering reads them and the gauges of the other subsystems
// (passed in as MetricsSources) into one text body.
//
//   Metrics metrics(router.routes());
//   metrics.record(route_index, Verb::get, 200, took);   // by the dispatcher, after each response
//   std::string body = metrics.render(sources);          // GET /metrics

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/router.hpp"

namespace attendance::http {

// Figures of the other subsystems at rendering time; absent ones are not written.
struct MetricsSources {
  struct Database {
    std::uint64_t reads = 0, writes = 0, commits = 0, read_queue = 0, write_queue = 0;
  };
  struct Aggregation {
    std::uint64_t requests = 0, cache_hits = 0, merged = 0, started = 0, completed = 0, rejected = 0,
                  timed_out = 0, failed = 0, retried = 0;
    std::uint64_t cache_bytes = 0, cache_days = 0, cache_schools = 0, cache_evictions = 0;
  };
  struct Streams {
    std::uint64_t open = 0, dropped_slow_readers = 0;
  };
  struct Cluster {  // notices between processes on one PostgreSQL (http/cluster.hpp)
    std::uint64_t sent = 0, from_peers = 0, from_self = 0, unreadable = 0, reconnects = 0, dropped = 0;
    bool listening = false;
  };
  struct Connections {  // http/server.hpp's ConnectionStats
    std::uint64_t open = 0, refused = 0, timed_out_header = 0, timed_out_body = 0, timed_out_write = 0;
  };
  std::optional<Connections> connections;
  std::optional<Database> database;
  std::optional<Aggregation> aggregation;
  std::optional<Streams> streams;
  std::optional<std::uint64_t> rate_limit_buckets;
  std::optional<Cluster> cluster;
};

class Metrics {
 public:
  // Upper bounds of the latency histogram's buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kBuckets{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  // The route label of a request that matched no route.
  static constexpr std::string_view kUnmatched = "unmatched";

  // One series per route of `routes`, labelled by its pattern, plus "unmatched" (index routes.size()).
  explicit Metrics(const std::vector<Route>& routes);

  std::size_t unmatched() const { return slot_of_route_.size() - 1; }

  // Counts one response. `route` is Router::Found::index, or unmatched().
  void record(std::size_t route, Verb method, unsigned status, std::chrono::steady_clock::duration took);

  // attendance_events_recorded_total: events stored, by the single and the batch endpoint alike
  // (a retry or a double scan stores nothing and is not counted).
  void count_event_recorded() { events_.fetch_add(1, std::memory_order_relaxed); }
  std::uint64_t events_recorded() const { return events_.load(std::memory_order_relaxed); }

  std::string render(const MetricsSources& sources = {}) const;

 private:
  static constexpr std::array<Verb, 7> kMethods{Verb::get, Verb::head, Verb::post, Verb::put, Verb::patch, Verb::delete_, Verb::options};
  static constexpr std::size_t kMethodSlots = kMethods.size() + 1;  // + other
  static constexpr std::array<unsigned, 28> kStatuses{200, 201, 202, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 406,
                                                      408, 409, 411, 412, 413, 414, 415, 416, 422, 429, 431, 500, 503, 504};
  static constexpr std::size_t kStatusSlots = kStatuses.size() + 1;  // + other
  static constexpr std::size_t kBucketSlots = kBuckets.size() + 1;  // + +Inf

  static std::size_t method_slot(Verb method);
  static std::size_t status_slot(unsigned status);

  std::vector<std::string> patterns_;        // distinct route patterns, then "unmatched"
  std::vector<std::size_t> slot_of_route_;   // route index -> its pattern's index in patterns_
  std::unique_ptr<std::atomic<std::uint64_t>[]> requests_;  // [pattern][method][status]
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;   // [pattern][bucket], not cumulative
  std::unique_ptr<std::atomic<std::uint64_t>[]> nanos_;     // [pattern]: sum of durations
  std::atomic<std::uint64_t> events_{0};
};

}  // namespace attendance::http
