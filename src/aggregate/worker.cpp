#include "aggregate/worker.hpp"

#include <algorithm>

#include "domain/time.hpp"

namespace attendance::aggregate {

using domain::DayResult;
using domain::LocalDate;
using domain::PresenceEvent;

namespace {

// Chunks per pool thread: enough to balance uneven days, few enough to keep overhead small.
constexpr std::size_t kChunksPerThread = 4;

struct Run {
  std::size_t begin;  // index of the first date in the plan
  std::size_t end;    // one past the last
};

// Runs of consecutive missing dates.
std::vector<Run> runs_of(const std::vector<bool>& missing) {
  std::vector<Run> runs;
  for (std::size_t i = 0; i < missing.size(); ++i) {
    if (!missing[i]) continue;
    if (!runs.empty() && runs.back().end == i) ++runs.back().end;
    else runs.push_back({i, i + 1});
  }
  return runs;
}

}  // namespace

Worker::Worker(Loader& loader, DayCache& cache, TaskPool& pool, Counters& counters, WorkerHooks hooks)
    : loader_(loader), cache_(cache), pool_(pool), counters_(counters), hooks_(std::move(hooks)) {}

boost::asio::awaitable<std::optional<SchoolRecord>> Worker::load_school_once_retried(domain::Id school_id) {
  std::exception_ptr failure;
  try {
    co_return co_await loader_.load_school(school_id);
  } catch (...) {
    failure = std::current_exception();
  }
  if (!loader_.is_transient(failure)) std::rethrow_exception(failure);
  counters_.retried.fetch_add(1);
  co_return co_await loader_.load_school(school_id);
}

boost::asio::awaitable<std::vector<PresenceEvent>> Worker::load_events_once_retried(domain::Id school_id,
                                                                                   domain::Timestamp from,
                                                                                   domain::Timestamp to) {
  std::exception_ptr failure;
  try {
    co_return co_await loader_.load_events(school_id, from, to);
  } catch (...) {
    failure = std::current_exception();
  }
  if (!loader_.is_transient(failure)) std::rethrow_exception(failure);
  counters_.retried.fetch_add(1);
  co_return co_await loader_.load_events(school_id, from, to);
}

boost::asio::awaitable<domain::Result<ReportPtr>> Worker::run(AggregateRequest request, domain::Timestamp now,
                                                              std::shared_ptr<const CancelToken> cancel) {
  // Taken before reading anything: results read before a later invalidation are never cached.
  const DayCache::Stamp read_at = cache_.stamp();

  std::shared_ptr<const SchoolData> school = cache_.find_school(request.school_id);
  if (!school) {
    auto record = co_await load_school_once_retried(request.school_id);
    if (!record) co_return domain::Error::not_found();
    school = make_school_data(std::move(*record));
    cache_.put_school(school, read_at);
  }
  cancel->check();

  const auto* zone = school->rules.zone;
  const Plan plan = plan_request(request, domain::local_date_of(zone, now));
  const std::size_t count = plan.day_count();

  std::vector<std::shared_ptr<const DayResult>> days(count);
  std::vector<bool> missing(count, false);
  for (std::size_t i = 0; i < count; ++i) {
    const LocalDate day = plan.first + date::days(static_cast<int>(i));
    if (day < plan.today) days[i] = cache_.find_day(request.school_id, day);
    if (days[i]) counters_.days_from_cache.fetch_add(1);
    else missing[i] = true;
  }

  // Events of the missing dates, bucketed by local date (index into the plan).
  auto buckets = std::make_shared<std::vector<std::vector<PresenceEvent>>>(count);
  for (const Run& run : runs_of(missing)) {
    std::vector<domain::Timestamp> begins;
    begins.reserve(run.end - run.begin);
    domain::Timestamp end{};
    for (std::size_t i = run.begin; i < run.end; ++i) {
      const auto bounds = domain::local_day_bounds(zone, plan.first + date::days(static_cast<int>(i)));
      begins.push_back(bounds.begin);
      end = bounds.end;
    }
    const auto events = co_await load_events_once_retried(request.school_id, begins.front(), end);
    cancel->check();
    for (const auto& event : events) {
      const auto at = std::upper_bound(begins.begin(), begins.end(), event.at);
      if (at == begins.begin() || event.at >= end) continue;  // outside the run (a loader's slack)
      (*buckets)[run.begin + static_cast<std::size_t>(at - begins.begin()) - 1].push_back(event);
    }
  }

  // Fan out: contiguous chunks of missing dates, each computed by one task.
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < count; ++i) {
    if (missing[i]) todo.push_back(i);
  }
  if (!todo.empty()) {
    const std::size_t chunks = std::min(todo.size(), pool_.size() * kChunksPerThread);
    const std::size_t per_chunk = (todo.size() + chunks - 1) / chunks;
    using Computed = std::vector<std::shared_ptr<const DayResult>>;
    std::vector<std::function<Computed()>> tasks;
    for (std::size_t start = 0; start < todo.size(); start += per_chunk) {
      std::vector<std::size_t> indexes(todo.begin() + static_cast<std::ptrdiff_t>(start),
                                       todo.begin() + static_cast<std::ptrdiff_t>(std::min(todo.size(), start + per_chunk)));
      tasks.emplace_back([school, buckets, indexes, cancel, now, plan_first = plan.first, hooks = hooks_,
                          school_id = request.school_id]() {
        Computed computed;
        computed.reserve(indexes.size());
        for (const std::size_t i : indexes) {
          cancel->check();
          const LocalDate day = plan_first + date::days(static_cast<int>(i));
          if (hooks.before_day) hooks.before_day(school_id, day);
          auto& events = (*buckets)[i];
          std::sort(events.begin(), events.end(), [](const PresenceEvent& a, const PresenceEvent& b) {
            return a.user_id != b.user_id ? a.user_id < b.user_id : a.at < b.at;
          });
          computed.push_back(std::make_shared<const DayResult>(
              domain::compute_day(school->rules, day, school->users, events, now)));
        }
        return computed;
      });
    }
    const auto results = co_await pool_.run_all(std::move(tasks));
    cancel->check();
    for (const auto& chunk : results) {
      for (const auto& day : chunk) {
        const auto i = static_cast<std::size_t>((day->date - plan.first).count());
        days[i] = day;
        counters_.days_computed.fetch_add(1);
        if (day->date < plan.today) cache_.put_day(request.school_id, day, read_at);
      }
    }
  }

  co_return co_await assemble(pool_, school, request, plan, std::move(days));
}

boost::asio::awaitable<ReportPtr> Worker::assemble(TaskPool& pool, std::shared_ptr<const SchoolData> school,
                                                   AggregateRequest request, Plan plan,
                                                   std::vector<std::shared_ptr<const DayResult>> days) {
  auto pointers = std::make_shared<std::vector<const DayResult*>>();
  pointers->reserve(days.size());
  for (const auto& day : days) pointers->push_back(day.get());

  auto report = std::make_shared<Report>();
  report->school_id = request.school_id;
  report->timezone = school->school.timezone;
  report->period = request.period;
  report->series = request.series();
  report->include_users = request.include_users;

  const std::size_t periods = plan.periods.size();
  const std::size_t chunks = std::min(periods, pool.size() * 2);
  if (chunks <= 1) {
    report->periods = reduce_periods(*school, request, plan, *pointers, 0, periods);
  } else {
    auto shared_plan = std::make_shared<const Plan>(std::move(plan));
    const std::size_t per_chunk = (periods + chunks - 1) / chunks;
    std::vector<std::function<std::vector<PeriodReport>()>> tasks;
    for (std::size_t start = 0; start < periods; start += per_chunk) {
      const std::size_t end = std::min(periods, start + per_chunk);
      // `days` keeps the DayResults alive until the join; pointers only borrow them.
      tasks.emplace_back([school, request, shared_plan, pointers, start, end]() {
        return reduce_periods(*school, request, *shared_plan, *pointers, start, end);
      });
    }
    auto parts = co_await pool.run_all(std::move(tasks));
    for (auto& part : parts) {
      for (auto& period : part) report->periods.push_back(std::move(period));
    }
  }
  co_return report;
}

}  // namespace attendance::aggregate
