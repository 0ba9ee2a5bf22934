// The pipeline's behaviour under load and faults: merging, the cache and its invalidation, bounds
// (503), the deadline (504), a throwing task (500 for its request only), transient database errors.
#include <chrono>
#include <thread>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <gtest/gtest.h>

#include "aggregate/aggregation.hpp"
#include "domain/time.hpp"
#include "fake_loader.hpp"
#include "run_support.hpp"
#include "support/eventually.hpp"

namespace attendance::aggregate::testing {
namespace {

using domain::LocalDate;
using domain::Timestamp;
using std::chrono::hours;

Timestamp at(const char* text) { return domain::parse_timestamp(text).value(); }
LocalDate day(const char* text) { return domain::parse_date(text).value(); }

const Timestamp kNow = at("2024-03-20T12:00:00Z");  // a Wednesday

// A UTC school `id` with three users, each present (5 h) on every weekday of February 2024.
SchoolRecord school_record(domain::Id id) {
  SchoolRecord record;
  record.school.id = id;
  record.school.name = "school";
  for (int u = 1; u <= 3; ++u) {
    domain::User user;
    user.id = id * 10 + u;
    user.school_id = id;
    user.name = "user " + std::to_string(u);
    user.enrolled_on = day("2024-01-01");
    record.users.push_back(user);
  }
  return record;
}

std::vector<domain::PresenceEvent> february_events(const SchoolRecord& record) {
  std::vector<domain::PresenceEvent> events;
  for (LocalDate d = day("2024-02-01"); d <= day("2024-02-29"); d += date::days(1)) {
    if (date::weekday(d).iso_encoding() > 5) continue;
    const Timestamp start{date::sys_days(d.time_since_epoch()) + hours(8)};
    for (const auto& user : record.users) {
      events.push_back({user.id, start, domain::EventType::checkin});
      events.push_back({user.id, start + hours(5), domain::EventType::checkout});
    }
  }
  return events;
}

AggregateRequest month(domain::Id school_id, const char* date) {
  AggregateRequest request;
  request.school_id = school_id;
  request.period = domain::PeriodKind::month;
  request.date = day(date);
  return request;
}

struct Fixture {
  explicit Fixture(AggregationOptions options = {}) {
    auto owned = std::make_unique<FakeLoader>();
    loader = owned.get();
    for (domain::Id id = 1; id <= 3; ++id) {
      auto record = school_record(id);
      auto events = february_events(record);
      loader->put_school(std::move(record), std::move(events));
    }
    aggregation = std::make_unique<Aggregation>(std::move(options), std::move(owned), [] { return kNow; });
  }
  Service& service() { return aggregation->service(); }
  CounterValues counters() { return aggregation->service().counters(); }

  FakeLoader* loader;
  std::unique_ptr<Aggregation> aggregation;
};

// Runs `request` after `delay_ms` on the caller's executor.
boost::asio::awaitable<AggregateResult> after(int delay_ms, Service* service, AggregateRequest request) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, std::chrono::milliseconds(delay_ms));
  co_await timer.async_wait(boost::asio::use_awaitable);
  co_return co_await service->aggregate(request);
}

TEST(Pipeline, AnswersAMonthReport) {
  Fixture f;
  auto result = run_now(f.service().aggregate(month(1, "2024-02-10")));
  ASSERT_TRUE(result.report.ok());
  const auto& period = (*result.report)->periods.at(0);
  EXPECT_EQ(period.school_days, 21);
  EXPECT_EQ(period.total, 3);
  EXPECT_EQ(period.present, 3);
  EXPECT_FALSE(period.checked_in_now.has_value());
}

TEST(Pipeline, UnknownSchoolIsNotFound) {
  Fixture f;
  auto result = run_now(f.service().aggregate(month(99, "2024-02-10")));
  ASSERT_FALSE(result.report.ok());
  EXPECT_EQ(result.report.error().kind, domain::ErrorKind::not_found);
}

TEST(Pipeline, IdenticalConcurrentRequestsMergeIntoOneComputation) {
  Fixture f;
  f.loader->delay_ms = 100;
  std::vector<boost::asio::awaitable<AggregateResult>> requests;
  for (int i = 0; i < 5; ++i) requests.push_back(f.service().aggregate(month(1, "2024-02-10")));
  auto results = run_together(std::move(requests));
  ReportPtr first;
  for (auto& result : results) {
    auto value = result.get();
    ASSERT_TRUE(value.report.ok());
    if (!first) first = *value.report;
    EXPECT_EQ(*value.report, first);  // the very same report
  }
  EXPECT_EQ(f.counters().started, 1U);
  EXPECT_EQ(f.counters().merged, 4U);
  EXPECT_EQ(f.loader->event_loads.load(), 1);
}

TEST(Pipeline, ASecondReadOfAPastMonthIsACacheHit) {
  Fixture f;
  ASSERT_TRUE(run_now(f.service().aggregate(month(1, "2024-02-10"))).report.ok());
  const int loads = f.loader->event_loads + f.loader->school_loads;
  auto again = run_now(f.service().aggregate(month(1, "2024-02-20")));
  ASSERT_TRUE(again.report.ok());
  EXPECT_EQ((*again.report)->periods.at(0).present, 3);
  EXPECT_EQ(f.counters().cache_hits, 1U);
  EXPECT_EQ(f.counters().started, 1U);
  EXPECT_EQ(f.loader->event_loads + f.loader->school_loads, loads);
}

TEST(Pipeline, TheCurrentMonthLoadsOnlyTodayOnceThePastIsCached) {
  Fixture f;
  ASSERT_TRUE(run_now(f.service().aggregate(month(1, "2024-03-01"))).report.ok());
  const auto computed = f.counters().days_computed;
  EXPECT_EQ(computed, 20U);  // March 1..20
  ASSERT_TRUE(run_now(f.service().aggregate(month(1, "2024-03-01"))).report.ok());
  EXPECT_EQ(f.counters().days_computed, computed + 1);  // today only
}

TEST(Pipeline, InvalidateDayMakesTheNextReadSeeTheNewEvent) {
  Fixture f;
  AggregateRequest request = month(1, "2024-02-10");
  request.period = domain::PeriodKind::day;
  request.date = day("2024-02-10");  // a Saturday: no events
  request.include_users = true;
  ASSERT_TRUE(run_now(f.service().aggregate(request)).report.ok());
  request.date = day("2024-02-12");
  auto before = run_now(f.service().aggregate(request));
  EXPECT_EQ((*before.report)->periods.at(0).users.at(0).seconds, 5U * 3600U);

  // A check-in at 14:00 left open: the day now runs to midnight.
  f.loader->add_event(1, {11, at("2024-02-12T14:00:00Z"), domain::EventType::checkin});
  f.service().invalidate_day(1, day("2024-02-12"));
  auto after = run_now(f.service().aggregate(request));
  EXPECT_EQ((*after.report)->periods.at(0).users.at(0).seconds, 15U * 3600U);
  EXPECT_TRUE((*after.report)->periods.at(0).users.at(0).missing_checkout);
}

// A user of school 1 enrolled on 2024-02-26: February then counts 4 users, one of them absent.
void add_late_user(Fixture& f) {
  domain::User user;
  user.id = 19;
  user.school_id = 1;
  user.name = "late";
  user.enrolled_on = day("2024-02-26");
  f.loader->add_user(1, user);
}

TEST(Pipeline, InvalidateSchoolMakesTheNextReadSeeANewUser) {
  Fixture f;
  ASSERT_TRUE(run_now(f.service().aggregate(month(1, "2024-02-10"))).report.ok());
  add_late_user(f);
  f.service().invalidate_school(1);
  auto after = run_now(f.service().aggregate(month(1, "2024-02-10")));
  EXPECT_EQ((*after.report)->periods.at(0).total, 4);
  EXPECT_EQ((*after.report)->periods.at(0).absent, 1);
}

TEST(Pipeline, InvalidateAllMakesEverySchoolAndDayBeReadAgain) {
  Fixture f;
  ASSERT_TRUE(run_now(f.service().aggregate(month(1, "2024-02-10"))).report.ok());
  const int loads = f.loader->event_loads + f.loader->school_loads;
  add_late_user(f);
  f.service().invalidate_all();
  EXPECT_EQ(f.service().cache_stats().days, 0U);
  auto after = run_now(f.service().aggregate(month(1, "2024-02-10")));
  EXPECT_EQ((*after.report)->periods.at(0).total, 4);
  EXPECT_EQ(f.counters().cache_hits, 0U);
  EXPECT_GT(f.loader->event_loads + f.loader->school_loads, loads);
}

TEST(Pipeline, AComputationThatReadOldDataNeitherCachesItNorAnswersLaterRequests) {
  Fixture f;
  AggregateRequest request = month(1, "2024-02-10");
  request.period = domain::PeriodKind::day;
  request.date = day("2024-02-13");
  ASSERT_TRUE(run_now(f.service().aggregate(request)).report.ok());  // caches the school snapshot
  request.date = day("2024-02-12");
  request.include_users = true;
  f.loader->delay_ms = 200;

  // `old` starts reading at once; the write and its invalidation land while it runs; `fresh`
  // arrives after the invalidation and must not merge into `old`.
  struct Write {
    static boost::asio::awaitable<AggregateResult> run(Fixture* f) {
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await timer.async_wait(boost::asio::use_awaitable);
      f->loader->add_event(1, {11, at("2024-02-12T14:00:00Z"), domain::EventType::checkin});
      f->service().invalidate_day(1, day("2024-02-12"));
      co_return AggregateResult{};
    }
  };
  std::vector<boost::asio::awaitable<AggregateResult>> work;
  work.push_back(f.service().aggregate(request));
  work.push_back(Write::run(&f));
  work.push_back(after(100, &f.service(), request));
  auto results = run_together(std::move(work));
  auto old = results[0].get();
  results[1].get();
  auto fresh = results[2].get();
  EXPECT_EQ((*old.report)->periods.at(0).users.at(0).seconds, 5U * 3600U);
  EXPECT_EQ((*fresh.report)->periods.at(0).users.at(0).seconds, 15U * 3600U);
  EXPECT_EQ(f.counters().merged, 0U);

  f.loader->delay_ms = 0;
  auto later = run_now(f.service().aggregate(request));
  EXPECT_EQ((*later.report)->periods.at(0).users.at(0).seconds, 15U * 3600U);
}

TEST(Pipeline, BeyondTheRunningAndWaitingBoundsIsUnavailableWithRetryAfter) {
  AggregationOptions options;
  options.supervisor.max_running = 1;
  options.supervisor.max_waiting = 1;
  options.supervisor.retry_after_seconds = 3;
  Fixture f(options);
  f.loader->delay_ms = 150;
  std::vector<boost::asio::awaitable<AggregateResult>> requests;
  for (domain::Id id = 1; id <= 3; ++id) requests.push_back(f.service().aggregate(month(id, "2024-02-10")));
  auto results = run_together(std::move(requests));
  int ok = 0;
  int unavailable = 0;
  for (auto& result : results) {
    auto value = result.get();
    if (value.report.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(value.report.error().kind, domain::ErrorKind::unavailable);
      EXPECT_EQ(value.retry_after_seconds, 3);
      ++unavailable;
    }
  }
  EXPECT_EQ(ok, 2);  // one ran, one waited for its slot
  EXPECT_EQ(unavailable, 1);
  EXPECT_EQ(f.counters().rejected, 1U);
  EXPECT_EQ(f.counters().started, 2U);
}

TEST(Pipeline, PastTheDeadlineIsATimeoutAndTheWorkIsCancelled) {
  AggregationOptions options;
  options.supervisor.deadline = std::chrono::milliseconds(100);
  Fixture f(options);
  f.loader->delay_ms = 1500;  // far past the deadline, so a busy machine cannot blur the two
  const auto started = std::chrono::steady_clock::now();
  auto result = run_now(f.service().aggregate(month(1, "2024-02-10")));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1000));
  ASSERT_FALSE(result.report.ok());
  EXPECT_EQ(result.report.error().kind, domain::ErrorKind::timeout);
  EXPECT_EQ(f.counters().timed_out, 1U);

  // The cancelled worker stops after its school load: it never loads events.
  ASSERT_TRUE(test_support::eventually([&] { return f.aggregation->supervisor().running() == 0U; }));
  EXPECT_EQ(f.loader->event_loads.load(), 0);
  f.loader->delay_ms = 0;
  EXPECT_TRUE(run_now(f.service().aggregate(month(1, "2024-02-10"))).report.ok());
}

TEST(Pipeline, AThrowingTaskFailsOnlyItsOwnRequest) {
  AggregationOptions options;
  options.hooks.before_day = [](domain::Id school_id, LocalDate) {
    if (school_id == 2) throw std::runtime_error("bug in a task");
  };
  Fixture f(options);
  std::vector<boost::asio::awaitable<AggregateResult>> requests;
  for (domain::Id id = 1; id <= 3; ++id) requests.push_back(f.service().aggregate(month(id, "2024-02-10")));
  auto results = run_together(std::move(requests));
  EXPECT_TRUE(results[0].get().report.ok());
  EXPECT_THROW(results[1].get(), std::runtime_error);
  EXPECT_TRUE(results[2].get().report.ok());
  EXPECT_EQ(f.counters().failed, 1U);
  EXPECT_EQ(f.counters().completed, 2U);
}

TEST(Pipeline, ATransientDatabaseErrorIsRetriedOnce) {
  Fixture f;
  f.loader->transient_failures = 1;
  EXPECT_TRUE(run_now(f.service().aggregate(month(1, "2024-02-10"))).report.ok());
  EXPECT_EQ(f.counters().retried, 1U);
}

TEST(Pipeline, ADatabaseErrorThatPersistsFailsTheRequest) {
  Fixture f;
  f.loader->transient_failures = 2;
  EXPECT_THROW(run_now(f.service().aggregate(month(1, "2024-02-10"))), TransientLoadError);
  EXPECT_EQ(f.counters().retried, 1U);
  EXPECT_EQ(f.counters().failed, 1U);
}

TEST(Pipeline, ANonTransientErrorIsNotRetried) {
  Fixture f;
  f.loader->broken = true;
  EXPECT_THROW(run_now(f.service().aggregate(month(1, "2024-02-10"))), std::runtime_error);
  EXPECT_EQ(f.counters().retried, 0U);
}

TEST(Pipeline, StopRefusesNewWork) {
  Fixture f;
  f.aggregation->stop();
  auto result = run_now(f.service().aggregate(month(1, "2024-02-10")));
  ASSERT_FALSE(result.report.ok());
  EXPECT_EQ(result.report.error().kind, domain::ErrorKind::unavailable);
}

}  // namespace
}  // namespace attendance::aggregate::testing
