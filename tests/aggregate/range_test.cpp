// period=range (one report over exactly a window of dates) and user_id (one user's row) through
// the whole pipeline, with hand-computed answers; the randomized comparison with the reference
// is in engine_vs_reference_test.cpp.
#include <chrono>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "aggregate/aggregation.hpp"
#include "aggregate/report_json.hpp"
#include "domain/time.hpp"
#include "fake_loader.hpp"
#include "run_support.hpp"

namespace attendance::aggregate::testing {
namespace {

using domain::LocalDate;
using domain::PeriodKind;
using domain::Timestamp;
using std::chrono::hours;

Timestamp at(const char* text) { return domain::parse_timestamp(text).value(); }
LocalDate day(const char* text) { return domain::parse_date(text).value(); }

const Timestamp kNow = at("2024-03-20T12:00:00Z");  // a Wednesday; UTC school, Mon-Fri, 4 h, 80 %

void present_on(std::vector<domain::PresenceEvent>& events, domain::Id user, LocalDate d) {
  const Timestamp start{date::sys_days(d.time_since_epoch()) + hours(8)};
  events.push_back({user, start, domain::EventType::checkin});
  events.push_back({user, start + hours(5), domain::EventType::checkout});
}

bool weekday(LocalDate d) { return date::weekday(d).iso_encoding() <= 5; }

// School 1:
//   user 11 (enrolled 2024-01-01): present every weekday of February 2024; checked in now.
//   user 12 (enrolled 2024-01-01): present Mondays, Wednesdays and Fridays, 2024-02-01 .. 2024-03-19.
//   user 13 (enrolled 2024-02-26): present every weekday 2024-02-26 .. 2024-03-19; checked in now.
// School 2: a copy with ids 21, 22, 23 (a user of another school).
FakeLoader::School school(domain::Id id) {
  FakeLoader::School s;
  s.record.school.id = id;
  s.record.school.name = "school";
  const LocalDate enrolled[] = {day("2024-01-01"), day("2024-01-01"), day("2024-02-26")};
  for (int u = 1; u <= 3; ++u) {
    domain::User user;
    user.id = id * 10 + u;
    user.school_id = id;
    user.name = "user " + std::to_string(u);
    user.enrolled_on = enrolled[u - 1];
    s.record.users.push_back(user);
  }
  for (LocalDate d = day("2024-02-01"); d <= day("2024-03-19"); d += date::days(1)) {
    if (!weekday(d)) continue;
    const auto iso = date::weekday(d).iso_encoding();
    if (d <= day("2024-02-29")) present_on(s.events, id * 10 + 1, d);
    if (iso == 1 || iso == 3 || iso == 5) present_on(s.events, id * 10 + 2, d);
    if (d >= day("2024-02-26")) present_on(s.events, id * 10 + 3, d);
  }
  s.events.push_back({id * 10 + 1, at("2024-03-20T08:00:00Z"), domain::EventType::checkin});
  s.events.push_back({id * 10 + 3, at("2024-03-20T08:00:00Z"), domain::EventType::checkin});
  return s;
}

struct Fixture {
  Fixture() {
    auto owned = std::make_unique<FakeLoader>();
    loader = owned.get();
    for (domain::Id id = 1; id <= 2; ++id) {
      auto s = school(id);
      loader->put_school(std::move(s.record), std::move(s.events));
    }
    aggregation = std::make_unique<Aggregation>(AggregationOptions{}, std::move(owned), [] { return kNow; });
  }
  Service& service() { return aggregation->service(); }
  CounterValues counters() { return aggregation->service().counters(); }

  ReportPtr report(const AggregateRequest& request) {
    auto result = run_now(service().aggregate(request));
    EXPECT_TRUE(result.report.ok());
    return result.report.ok() ? *result.report : nullptr;
  }

  FakeLoader* loader;
  std::unique_ptr<Aggregation> aggregation;
};

AggregateRequest range(const char* from, const char* to, bool users = true) {
  AggregateRequest request;
  request.school_id = 1;
  request.period = PeriodKind::range;
  request.from = day(from);
  request.to = day(to);
  request.include_users = users;
  return request;
}

AggregateRequest one(PeriodKind kind, const char* date, bool users = true) {
  AggregateRequest request;
  request.school_id = 1;
  request.period = kind;
  request.date = day(date);
  request.include_users = users;
  return request;
}

void expect_same_counts(const PeriodReport& a, const PeriodReport& b) {
  EXPECT_EQ(a.school_days, b.school_days);
  EXPECT_EQ(a.total, b.total);
  EXPECT_EQ(a.present, b.present);
  EXPECT_EQ(a.absent, b.absent);
  EXPECT_EQ(a.checked_in_now, b.checked_in_now);
  ASSERT_EQ(a.users.size(), b.users.size());
  for (std::size_t i = 0; i < a.users.size(); ++i) {
    EXPECT_EQ(a.users[i].user_id, b.users[i].user_id);
    EXPECT_EQ(a.users[i].present, b.users[i].present);
    EXPECT_EQ(a.users[i].present_days, b.users[i].present_days);
    EXPECT_EQ(a.users[i].school_days, b.users[i].school_days);
  }
}

TEST(Range, OnePastDayEqualsTheDayReport) {
  Fixture f;
  for (const char* d : {"2024-02-12", "2024-02-13", "2024-02-17", "2024-02-26", "2024-03-19"}) {
    SCOPED_TRACE(d);
    const auto ranged = f.report(range(d, d));
    const auto daily = f.report(one(PeriodKind::day, d));
    ASSERT_TRUE(ranged && daily);
    ASSERT_EQ(ranged->periods.size(), 1U);
    EXPECT_FALSE(ranged->series);
    EXPECT_EQ(ranged->period, PeriodKind::range);
    EXPECT_EQ(ranged->periods[0].from, day(d));
    EXPECT_EQ(ranged->periods[0].to, day(d));
    expect_same_counts(ranged->periods[0], daily->periods[0]);
  }
  // By hand: Monday 2024-02-12 both enrolled users present; Tuesday only user 11.
  const auto monday = f.report(range("2024-02-12", "2024-02-12"));
  EXPECT_EQ(monday->periods[0].school_days, 1);
  EXPECT_EQ(monday->periods[0].total, 2);
  EXPECT_EQ(monday->periods[0].present, 2);
  const auto tuesday = f.report(range("2024-02-13", "2024-02-13"));
  EXPECT_EQ(tuesday->periods[0].present, 1);
  EXPECT_EQ(tuesday->periods[0].absent, 1);
}

TEST(Range, TodayAloneEqualsTheDayReportWithCheckedInNow) {
  Fixture f;
  const auto ranged = f.report(range("2024-03-20", "2024-03-20"));
  const auto daily = f.report(one(PeriodKind::day, "2024-03-20"));
  expect_same_counts(ranged->periods[0], daily->periods[0]);
  EXPECT_EQ(ranged->periods[0].checked_in_now, 2);
  EXPECT_EQ(ranged->periods[0].present, 2);  // checked in now is present on the day
}

TEST(Range, AWindowAcrossTheMonthEnd) {
  Fixture f;
  // School days: Feb 26, 27, 28, 29, Mar 1, 4, 5 = 7.
  // 11: Feb 26..29 = 4/7; 12: Feb 26, 28, Mar 1, 4 = 4/7; 13: 7/7 (enrolled Feb 26).
  const auto report = f.report(range("2024-02-26", "2024-03-05"));
  const auto& p = report->periods.at(0);
  EXPECT_EQ(p.from, day("2024-02-26"));
  EXPECT_EQ(p.to, day("2024-03-05"));
  EXPECT_EQ(p.school_days, 7);
  EXPECT_EQ(p.total, 3);
  EXPECT_EQ(p.present, 1);
  EXPECT_EQ(p.absent, 2);
  EXPECT_FALSE(p.checked_in_now.has_value());
  ASSERT_EQ(p.users.size(), 3U);
  EXPECT_EQ(p.users[0].present_days, 4);
  EXPECT_EQ(p.users[0].school_days, 7);
  EXPECT_FALSE(p.users[0].present);
  EXPECT_EQ(p.users[1].present_days, 4);
  EXPECT_EQ(p.users[2].present_days, 7);
  EXPECT_EQ(p.users[2].school_days, 7);
  EXPECT_TRUE(p.users[2].present);

  // The same window starting a day later: 13 enrolled before it, 11 has 3/6.
  const auto later = f.report(range("2024-02-27", "2024-03-05"));
  EXPECT_EQ(later->periods.at(0).school_days, 6);
  EXPECT_EQ(later->periods.at(0).users.at(0).present_days, 3);
}

TEST(Range, AWholeMonthEqualsTheMonthReport) {
  Fixture f;
  const auto month = f.report(one(PeriodKind::month, "2024-02-10"));
  const auto ranged = f.report(range("2024-02-01", "2024-02-29"));
  expect_same_counts(ranged->periods[0], month->periods[0]);
  EXPECT_EQ(ranged->periods[0].school_days, 21);
  // 11: 21/21 present; 12: 12/21 (Mon/Wed/Fri) absent; 13: 4/4 present.
  EXPECT_EQ(ranged->periods[0].present, 2);
  EXPECT_EQ(f.counters().cache_hits, 1U);  // the range was served by the month's cached days
}

TEST(Range, AWindowReachingTodayCountsDaysUpToTodayAndCheckedInNow) {
  Fixture f;
  // Begun school days Mar 18, 19, 20. 11: checked in now only (1/3); 12: Mar 18 (1/3);
  // 13: Mar 18, 19 and checked in now (3/3).
  const auto report = f.report(range("2024-03-18", "2024-03-22"));
  const auto& p = report->periods.at(0);
  EXPECT_EQ(p.school_days, 3);
  EXPECT_EQ(p.total, 3);
  EXPECT_EQ(p.present, 1);
  EXPECT_EQ(p.absent, 2);
  EXPECT_EQ(p.checked_in_now, 2);
  EXPECT_EQ(p.users.at(2).present_days, 3);
}

TEST(Range, AFutureWindowHasAllZeros) {
  Fixture f;
  const auto report = f.report(range("2024-04-01", "2024-04-05"));
  const auto& p = report->periods.at(0);
  EXPECT_EQ(p.school_days, 0);
  EXPECT_EQ(p.total, 0);
  EXPECT_EQ(p.present + p.absent, 0);
  EXPECT_FALSE(p.checked_in_now.has_value());
  EXPECT_TRUE(p.users.empty());
}

TEST(Range, TheCacheOfPastDaysServesIt) {
  Fixture f;
  ASSERT_TRUE(f.report(one(PeriodKind::month, "2024-02-10", false)));
  const int loads = f.loader->event_loads + f.loader->school_loads;
  // Inside the cached month: no worker, no load.
  ASSERT_TRUE(f.report(range("2024-02-05", "2024-02-16")));
  EXPECT_EQ(f.counters().cache_hits, 1U);
  EXPECT_EQ(f.loader->event_loads + f.loader->school_loads, loads);
  // Reaching into March: only March 1..5 are computed, in one query.
  const auto computed = f.counters().days_computed;
  ASSERT_TRUE(f.report(range("2024-02-20", "2024-03-05")));
  EXPECT_EQ(f.counters().days_computed, computed + 5);
  EXPECT_EQ(f.loader->event_loads.load(), 2);
  // And now the whole window is cached.
  ASSERT_TRUE(f.report(range("2024-02-20", "2024-03-05")));
  EXPECT_EQ(f.counters().cache_hits, 2U);
}

TEST(Range, InvalidateDayInsideTheWindowIsSeen) {
  Fixture f;
  const auto before = f.report(range("2024-02-26", "2024-03-05"));
  EXPECT_EQ(before->periods[0].users.at(1).present_days, 4);
  // User 12 present on Tuesday Feb 27 too.
  f.loader->add_event(1, {12, at("2024-02-27T08:00:00Z"), domain::EventType::checkin});
  f.loader->add_event(1, {12, at("2024-02-27T13:00:00Z"), domain::EventType::checkout});
  f.service().invalidate_day(1, day("2024-02-27"));
  const auto after = f.report(range("2024-02-26", "2024-03-05"));
  EXPECT_EQ(after->periods[0].users.at(1).present_days, 5);
}

TEST(UserId, OnlyThatUsersRowAndTheSchoolsCounts) {
  Fixture f;
  auto request = range("2024-02-26", "2024-03-05");
  request.user_id = 13;
  const auto report = f.report(request);
  const auto& p = report->periods.at(0);
  EXPECT_EQ(p.total, 3);
  EXPECT_EQ(p.present, 1);
  EXPECT_EQ(p.absent, 2);
  ASSERT_EQ(p.users.size(), 1U);
  EXPECT_EQ(p.users[0].user_id, 13);
  EXPECT_EQ(p.users[0].name, "user 3");
  EXPECT_EQ(p.users[0].present_days, 7);
  EXPECT_EQ(p.users[0].school_days, 7);

  // A day report keeps the day's fields of the row.
  auto day_request = one(PeriodKind::day, "2024-02-12");
  day_request.user_id = 12;
  const auto daily = f.report(day_request);
  ASSERT_EQ(daily->periods.at(0).users.size(), 1U);
  EXPECT_EQ(daily->periods.at(0).users[0].seconds, 5U * 3600U);
  EXPECT_EQ(daily->periods.at(0).total, 2);

  // A series filters every period.
  AggregateRequest series;
  series.school_id = 1;
  series.period = PeriodKind::week;
  series.from = day("2024-02-19");
  series.to = day("2024-03-03");
  series.include_users = true;
  series.user_id = 11;
  const auto weeks = f.report(series);
  ASSERT_EQ(weeks->periods.size(), 2U);
  for (const auto& week : weeks->periods) {
    ASSERT_EQ(week.users.size(), 1U);
    EXPECT_EQ(week.users[0].user_id, 11);
  }
}

TEST(UserId, NotAUserOfTheSchoolGivesNoRows) {
  Fixture f;
  for (const domain::Id id : {domain::Id{99}, domain::Id{21}}) {  // no such user; a user of school 2
    auto request = range("2024-02-26", "2024-03-05");
    request.user_id = id;
    const auto report = f.report(request);
    EXPECT_TRUE(report->periods.at(0).users.empty());
    EXPECT_EQ(report->periods.at(0).total, 3);
    EXPECT_EQ(boost::json::serialize(report_to_json(*report)).find("\"users\":[]") != std::string::npos, true);
  }
  // A user not yet enrolled in the window has no counted day, hence no row.
  auto early = range("2024-02-12", "2024-02-16");
  early.user_id = 13;
  EXPECT_TRUE(f.report(early)->periods.at(0).users.empty());
}

TEST(UserId, AndRangeAreInTheMergeKey) {
  Fixture f;
  f.loader->delay_ms = 100;
  auto all = range("2024-02-26", "2024-03-05");
  auto only_11 = all;
  only_11.user_id = 11;
  auto only_12 = all;
  only_12.user_id = 12;
  AggregateRequest series = all;  // the same from/to as weeks: a different answer
  series.period = PeriodKind::week;
  std::vector<boost::asio::awaitable<AggregateResult>> requests;
  requests.push_back(f.service().aggregate(all));
  requests.push_back(f.service().aggregate(only_11));
  requests.push_back(f.service().aggregate(only_12));
  requests.push_back(f.service().aggregate(series));
  requests.push_back(f.service().aggregate(only_11));  // identical to the second: merges
  auto results = run_together(std::move(requests));
  std::vector<ReportPtr> reports;
  for (auto& result : results) {
    auto value = result.get();
    ASSERT_TRUE(value.report.ok());
    reports.push_back(*value.report);
  }
  EXPECT_EQ(f.counters().started, 4U);
  EXPECT_EQ(f.counters().merged, 1U);
  EXPECT_EQ(reports[0]->periods[0].users.size(), 3U);
  EXPECT_EQ(reports[1]->periods[0].users.at(0).user_id, 11);
  EXPECT_EQ(reports[2]->periods[0].users.at(0).user_id, 12);
  EXPECT_TRUE(reports[3]->series);
  EXPECT_EQ(reports[4], reports[1]);
}

}  // namespace
}  // namespace attendance::aggregate::testing
