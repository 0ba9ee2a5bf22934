#pragma once
// aggregate::Service: the one entry point of HTTP handlers into the aggregation pipeline.
//   1. Cache: when the school snapshot and every needed (past) day are cached, the report is
//      reduced on the task pool straight away (no worker, no database).
//   2. Merge: an identical request already in flight, started after the last invalidation that
//      concerns it, is joined instead of computed again.
//   3. Otherwise the Supervisor runs a Worker for it.
// Nothing here blocks the calling (HTTP) thread: every wait is a coroutine suspension.
//
//   auto result = co_await service.aggregate(request);
//   if (!result.report) -> error response (503: add Retry-After: result.retry_after_seconds)
//   else -> render report_to_json(**result.report)

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include <boost/asio/awaitable.hpp>

#include "aggregate/counters.hpp"
#include "aggregate/day_cache.hpp"
#include "aggregate/report.hpp"
#include "aggregate/request.hpp"
#include "aggregate/supervisor.hpp"
#include "aggregate/task_pool.hpp"
#include "aggregate/worker.hpp"

namespace attendance::aggregate {

// A report, or an Error: 404 (no such school), 503 (ErrorKind::unavailable: too busy, with
// retry_after_seconds for the Retry-After header), 504 (ErrorKind::timeout: past the deadline).
struct AggregateResult {
  domain::Result<ReportPtr> report = ReportPtr{};
  int retry_after_seconds = 0;
};

class Service {
 public:
  using Clock = std::function<domain::Timestamp()>;

  Service(DayCache& cache, Supervisor& supervisor, Worker& worker, TaskPool& pool, Counters& counters, Clock clock);

  // Validated requests only (parse_aggregate_query). When the computation failed (a database
  // that stays down, a bug in a task), rethrows its exception: the handler answers an opaque 500.
  boost::asio::awaitable<AggregateResult> aggregate(AggregateRequest request);

  // Call after the write has committed and before replying to it.
  // An event was written or deleted: the school-local date of its timestamp.
  void invalidate_day(domain::Id school_id, domain::LocalDate day);
  // A user created/deleted/changed enrolled_on (or name), a closure created/deleted, the school's
  // settings updated, or the school deleted.
  void invalidate_school(domain::Id school_id);
  // Anything may have changed: notices of other processes were missed (http/cluster.hpp).
  void invalidate_all();

  // From now on every request answers 503 (shutdown). The supervisor drains what runs.
  void stop();

  CounterValues counters() const { return counters_.values(); }
  DayCache::Stats cache_stats() const { return cache_.stats(); }

 private:
  // school, period kind, date, from, to, include_users, user_id (0: none): every field of the
  // request, so that only requests with the very same answer merge.
  using Key = std::tuple<domain::Id, int, std::int64_t, std::int64_t, std::int64_t, bool, domain::Id>;
  struct Flight {
    std::shared_ptr<Completion<Outcome>> outcome;
    DayCache::Stamp started_at;
  };

  static Key key_of(const AggregateRequest& request);
  static boost::asio::awaitable<void> lead(Service* self, Key key, std::shared_ptr<Completion<Outcome>> outcome,
                                           AggregateRequest request, domain::Timestamp now);
  boost::asio::awaitable<std::optional<ReportPtr>> from_cache(AggregateRequest request, domain::Timestamp now);

  DayCache& cache_;
  Supervisor& supervisor_;
  Worker& worker_;
  TaskPool& pool_;
  Counters& counters_;
  Clock clock_;

  std::atomic<bool> stopped_{false};
  std::mutex mutex_;
  std::map<Key, Flight> flights_;
};

}  // namespace attendance::aggregate
