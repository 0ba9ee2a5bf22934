#pragma once
// The aggregation subsystem (the original's `Aggregate` supervisor): owns the task pool, the
// cache, the worker, the supervisor and the service, starts them in that order and stops them in
// reverse. The composition root (src/app) builds one and hands service() to the HTTP handlers.
//
//   aggregate::Aggregation aggregation(options, std::make_unique<aggregate::StorageLoader>(database));
//   ... co_await aggregation.service().aggregate(request) ...
//   aggregation.stop();  // at shutdown, after the HTTP server stopped and before the Database goes

#include <cstddef>
#include <memory>

#include "aggregate/counters.hpp"
#include "aggregate/day_cache.hpp"
#include "aggregate/loader.hpp"
#include "aggregate/service.hpp"
#include "aggregate/supervisor.hpp"
#include "aggregate/task_pool.hpp"
#include "aggregate/worker.hpp"

namespace attendance::aggregate {

struct AggregationOptions {
  std::size_t threads = 2;                         // task pool threads (ATTENDANCE_AGGREGATE_THREADS)
  std::size_t cache_bytes = std::size_t{256} << 20;  // cache bound (ATTENDANCE_AGGREGATE_CACHE_MB)
  SupervisorOptions supervisor;                    // max_running, max_waiting, deadline, retry_after
  WorkerHooks hooks;                               // tests only
};

class Aggregation {
 public:
  Aggregation(AggregationOptions options, std::unique_ptr<Loader> loader, Service::Clock clock);
  Aggregation(AggregationOptions options, std::unique_ptr<Loader> loader);  // clock: domain::now
  ~Aggregation();
  Aggregation(const Aggregation&) = delete;
  Aggregation& operator=(const Aggregation&) = delete;

  Service& service() { return service_; }
  Supervisor& supervisor() { return supervisor_; }
  DayCache& cache() { return cache_; }
  TaskPool& pool() { return pool_; }

  // Drains: refuses new computations, cancels running ones and waits for them. Idempotent.
  void stop();

 private:
  std::unique_ptr<Loader> loader_;
  Counters counters_;
  TaskPool pool_;
  DayCache cache_;
  Worker worker_;
  Supervisor supervisor_;
  Service service_;
};

}  // namespace attendance::aggregate
