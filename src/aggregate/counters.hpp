#pragma once
// Outcome counters of the aggregation pipeline, for the metrics endpoint. Every request ends in
// exactly one of: cache_hits, merged (shared another request's computation), or a computation it
// led (started, or rejected before starting). A started computation ends as completed, failed,
// or timed_out (timed_out also counts requests that timed out while waiting for a slot).

#include <atomic>
#include <cstdint>

namespace attendance::aggregate {

struct CounterValues {
  std::uint64_t requests = 0;       // calls of Service::aggregate
  std::uint64_t cache_hits = 0;     // answered from the cache alone
  std::uint64_t merged = 0;         // joined an identical computation in flight
  std::uint64_t started = 0;        // workers started by the supervisor
  std::uint64_t completed = 0;      // workers that produced an answer (report or 404)
  std::uint64_t rejected = 0;       // 503: running and waiting bounds full
  std::uint64_t timed_out = 0;      // 504: deadline passed
  std::uint64_t failed = 0;         // 500: a worker or one of its tasks threw
  std::uint64_t retried = 0;        // transient database errors retried once
  std::uint64_t days_computed = 0;  // DayResults computed by tasks
  std::uint64_t days_from_cache = 0;
};

class Counters {
 public:
  std::atomic<std::uint64_t> requests{0}, cache_hits{0}, merged{0}, started{0}, completed{0},
      rejected{0}, timed_out{0}, failed{0}, retried{0}, days_computed{0}, days_from_cache{0};

  CounterValues values() const {
    return CounterValues{requests.load(), cache_hits.load(), merged.load(), started.load(),
                         completed.load(), rejected.load(), timed_out.load(), failed.load(),
                         retried.load(), days_computed.load(), days_from_cache.load()};
  }
};

}  // namespace attendance::aggregate
