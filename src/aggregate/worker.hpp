#pragma once
// aggregate::Worker: one computation. Loads what the cache lacks (the school snapshot; the events
// of the missing dates, one query per contiguous run of missing dates), buckets events by local
// date, fans the dates out to the TaskPool in chunks (compute_day per date), caches the past days,
// and reduces the periods (also fanned out when there are many).

#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "aggregate/cancel.hpp"
#include "aggregate/counters.hpp"
#include "aggregate/day_cache.hpp"
#include "aggregate/loader.hpp"
#include "aggregate/report.hpp"
#include "aggregate/request.hpp"
#include "aggregate/task_pool.hpp"
#include "domain/result.hpp"

namespace attendance::aggregate {

// Fault injection for tests: called in the task, before computing each day.
struct WorkerHooks {
  std::function<void(domain::Id school_id, domain::LocalDate day)> before_day;
};

class Worker {
 public:
  Worker(Loader& loader, DayCache& cache, TaskPool& pool, Counters& counters, WorkerHooks hooks = {});

  // The report of `request` as of `now`; a 404 Error when the school doesn't exist.
  // Throws: a database failure (a transient one is retried once first), a task's exception,
  // Cancelled once `cancel` is requested (checked between steps and before each chunk).
  boost::asio::awaitable<domain::Result<ReportPtr>> run(AggregateRequest request, domain::Timestamp now,
                                                        std::shared_ptr<const CancelToken> cancel);

  // The report from DayResults already at hand (one per date plan.first .. plan.last), reducing
  // many periods in parallel on the pool.
  static boost::asio::awaitable<ReportPtr> assemble(TaskPool& pool, std::shared_ptr<const SchoolData> school,
                                                    AggregateRequest request, Plan plan,
                                                    std::vector<std::shared_ptr<const domain::DayResult>> days);

 private:
  boost::asio::awaitable<std::optional<SchoolRecord>> load_school_once_retried(domain::Id school_id);
  boost::asio::awaitable<std::vector<domain::PresenceEvent>> load_events_once_retried(domain::Id school_id,
                                                                                      domain::Timestamp from,
                                                                                      domain::Timestamp to);

  Loader& loader_;
  DayCache& cache_;
  TaskPool& pool_;
  Counters& counters_;
  WorkerHooks hooks_;
};

}  // namespace attendance::aggregate
