#include "aggregate/service.hpp"

#include <climits>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "domain/time.hpp"

namespace attendance::aggregate {

namespace {
std::int64_t number_of(const std::optional<domain::LocalDate>& day) {
  return day ? day->time_since_epoch().count() : INT64_MIN;
}
}  // namespace

Service::Service(DayCache& cache, Supervisor& supervisor, Worker& worker, TaskPool& pool, Counters& counters,
                 Clock clock)
    : cache_(cache), supervisor_(supervisor), worker_(worker), pool_(pool), counters_(counters),
      clock_(std::move(clock)) {}

Service::Key Service::key_of(const AggregateRequest& request) {
  return Key{request.school_id, static_cast<int>(request.period), number_of(request.date),
             number_of(request.from), number_of(request.to), request.include_users, request.user_id.value_or(0)};
}

void Service::stop() { stopped_.store(true); }

void Service::invalidate_day(domain::Id school_id, domain::LocalDate day) { cache_.invalidate_day(school_id, day); }

void Service::invalidate_school(domain::Id school_id) { cache_.invalidate_school(school_id); }

void Service::invalidate_all() { cache_.invalidate_all(); }

boost::asio::awaitable<std::optional<ReportPtr>> Service::from_cache(AggregateRequest request, domain::Timestamp now) {
  auto school = cache_.find_school(request.school_id);
  if (!school) co_return std::nullopt;
  Plan plan = plan_request(request, domain::local_date_of(school->rules.zone, now));
  // Today is never cached: a plan that reaches today needs a worker.
  if (plan.day_count() > 0 && plan.last >= plan.today) co_return std::nullopt;
  std::vector<std::shared_ptr<const domain::DayResult>> days;
  days.reserve(plan.day_count());
  for (auto day = plan.first; day <= plan.last; day += date::days(1)) {
    auto cached = cache_.find_day(request.school_id, day);
    if (!cached) co_return std::nullopt;
    days.push_back(std::move(cached));
  }
  counters_.days_from_cache.fetch_add(days.size());
  auto assembly = Worker::assemble(pool_, std::move(school), std::move(request), std::move(plan), std::move(days));
  ReportPtr report = co_await boost::asio::co_spawn(pool_.executor(), std::move(assembly), boost::asio::use_awaitable);
  co_return report;
}

boost::asio::awaitable<void> Service::lead(Service* self, Key key, std::shared_ptr<Completion<Outcome>> outcome,
                                           AggregateRequest request, domain::Timestamp now) {
  Worker* worker = &self->worker_;
  Supervisor::Job job = [worker, request, now](std::shared_ptr<const CancelToken> cancel) {
    return worker->run(request, now, std::move(cancel));
  };
  Outcome result = co_await self->supervisor_.run(std::move(job));
  {
    // Leave the map first: a request arriving from now on starts afresh rather than joining an
    // answer that is already complete (and computed at an earlier `now`).
    std::lock_guard lock(self->mutex_);
    if (const auto it = self->flights_.find(key); it != self->flights_.end() && it->second.outcome == outcome) {
      self->flights_.erase(it);
    }
  }
  outcome->set(std::move(result));
}

boost::asio::awaitable<AggregateResult> Service::aggregate(AggregateRequest request) {
  counters_.requests.fetch_add(1);
  if (stopped_.load()) {
    counters_.rejected.fetch_add(1);
    co_return AggregateResult{domain::Error::of(domain::ErrorKind::unavailable), 1};
  }
  const domain::Timestamp now = clock_();

  if (auto cached = co_await from_cache(request, now)) {
    counters_.cache_hits.fetch_add(1);
    co_return AggregateResult{std::move(*cached), 0};
  }

  const Key key = key_of(request);
  const auto utc_today = date::floor<date::days>(now);
  const domain::Period span = request_span(request, domain::LocalDate{utc_today.time_since_epoch()});
  std::shared_ptr<Completion<Outcome>> outcome;
  bool leader = false;
  {
    std::lock_guard lock(mutex_);
    const auto it = flights_.find(key);
    if (it != flights_.end() && cache_.unchanged_since(request.school_id, span.from, span.to, it->second.started_at)) {
      outcome = it->second.outcome;
    } else {
      outcome = std::make_shared<Completion<Outcome>>();
      flights_[key] = Flight{outcome, cache_.stamp()};
      leader = true;
    }
  }
  if (leader) {
    // The computation lives on the pool, independent of this request's coroutine: requests that
    // merged into it are answered even if this one goes away.
    boost::asio::co_spawn(pool_.executor(), lead(this, key, outcome, request, now), boost::asio::detached);
  } else {
    counters_.merged.fetch_add(1);
  }

  Outcome result = co_await Completion<Outcome>::wait(std::move(outcome));
  if (result.failure) std::rethrow_exception(result.failure);
  if (result.error) co_return AggregateResult{*result.error, result.retry_after_seconds};
  co_return AggregateResult{result.report, 0};
}

}  // namespace attendance::aggregate
