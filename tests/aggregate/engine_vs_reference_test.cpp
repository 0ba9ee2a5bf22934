// The engine (Service -> Supervisor -> Worker -> TaskPool -> presence rules, with its cache)
// against the plain reference implementation over thousands of generated timelines.
#include <algorithm>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "aggregate/aggregation.hpp"
#include "domain/time.hpp"
#include "fake_loader.hpp"
#include "reference_support.hpp"
#include "run_support.hpp"

namespace attendance::aggregate::testing {
namespace {

using domain::LocalDate;
using domain::PeriodKind;
using domain::Timestamp;
using std::chrono::seconds;

constexpr const char* kZones[] = {"Europe/Berlin",   "America/New_York", "Australia/Sydney",
                                  "Asia/Kolkata",    "UTC",              "Pacific/Auckland"};

struct Scenario {
  domain::Id school_id = 0;
  RefSchool school;
  std::vector<RefUser> users;
  std::vector<RefEvent> events;
  LocalDate first{}, last{};  // the days that have events
  Timestamp now{};
};

class Generator {
 public:
  explicit Generator(unsigned seed) : random_(seed) {}

  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(random_); }
  LocalDate date_between(LocalDate low, LocalDate high) {
    return low + date::days(between(0, static_cast<int>((high - low).count())));
  }

  Scenario scenario(domain::Id school_id) {
    Scenario s;
    s.school_id = school_id;
    s.school.timezone = kZones[between(0, 5)];
    if (chance(0.5)) {
      s.school.school_days = {1, 2, 3, 4, 5};
    } else {
      for (int d = 1; d <= 7; ++d) {
        if (chance(0.6)) s.school.school_days.push_back(d);
      }
    }
    constexpr int kMinutes[] = {0, 60, 150, 240, 360};
    constexpr int kPercents[] = {0, 50, 75, 80, 100};
    s.school.min_daily_minutes = kMinutes[between(0, 4)];
    s.school.ratio_percent = kPercents[between(0, 4)];

    // Around a month end (often a year end, often a DST change month).
    const int year = between(2023, 2025);
    const unsigned month = static_cast<unsigned>(between(1, 12));
    const LocalDate month_end{date::year(year) / date::month(month) / date::last};
    const LocalDate center = month_end + date::days(between(-3, 3));
    s.first = center - date::days(between(0, 45));
    s.last = center + date::days(between(0, 20));
    for (int i = between(0, 4); i > 0; --i) s.school.closures.push_back(date_between(s.first, s.last));

    const int user_count = between(1, 5);
    for (int u = 1; u <= user_count; ++u) {
      RefUser user;
      user.id = school_id * 100 + u;
      user.name = "user " + std::to_string(u);
      user.enrolled_on = date_between(s.first - date::days(10), s.last);
      s.users.push_back(user);
    }

    for (const auto& user : s.users) {
      for (LocalDate d = s.first; d <= s.last; d += date::days(1)) {
        if (!chance(0.7)) continue;
        add_day(s, user.id, d);
      }
    }
    // The recording rules never store two events of a user at one instant (their order would be
    // arbitrary): drop such repeats.
    std::sort(s.events.begin(), s.events.end(), [](const RefEvent& a, const RefEvent& b) {
      return a.user_id != b.user_id ? a.user_id < b.user_id : a.at < b.at;
    });
    s.events.erase(std::unique(s.events.begin(), s.events.end(),
                               [](const RefEvent& a, const RefEvent& b) { return a.user_id == b.user_id && a.at == b.at; }),
                   s.events.end());
    // Now: somewhere in the range or after it, any time of day.
    const LocalDate today = date_between(s.first, s.last + date::days(3));
    s.now = reference_day_start(s.school.timezone, today) + seconds(between(0, 86'399));
    return s;
  }

  // One day of one user's events; some patterns break the alternation on purpose.
  void add_day(Scenario& s, domain::Id user, LocalDate d) {
    const Timestamp start = reference_day_start(s.school.timezone, d);
    Timestamp cursor = start + seconds(between(0, 12 * 3600));
    const int intervals = between(1, 3);
    for (int i = 0; i < intervals; ++i) {
      s.events.push_back({user, cursor, true});
      if (i == intervals - 1 && chance(0.15)) return;  // left open
      if (chance(0.05)) s.events.push_back({user, cursor + seconds(between(1, 600)), true});  // double check-in
      int length = between(60, 6 * 3600);
      if (chance(0.2)) length = std::max(1, s.school.min_daily_minutes * 60 + between(-1, 1));  // at the threshold
      cursor += seconds(length);
      s.events.push_back({user, cursor, false});
      if (chance(0.05)) s.events.push_back({user, cursor + seconds(between(1, 600)), false});  // stray check-out
      cursor += seconds(between(60, 3 * 3600));
    }
  }

  AggregateRequest request(const Scenario& s) {
    AggregateRequest request;
    request.school_id = s.school_id;
    request.period = static_cast<PeriodKind>(between(0, 2));
    request.include_users = true;
    if (chance(0.5)) {
      request.date = date_between(s.first - date::days(3), s.last + date::days(3));
    } else {
      request.from = date_between(s.first - date::days(5), s.last);
      request.to = date_between(*request.from, s.last + date::days(5));
    }
    maybe_one_user(s, request);
    return request;
  }

  // period=range over a random window: often one day, often across the month end the scenario
  // sits on, sometimes reaching today or the future.
  AggregateRequest range_request(const Scenario& s) {
    AggregateRequest request;
    request.school_id = s.school_id;
    request.period = PeriodKind::range;
    request.include_users = true;
    if (chance(0.2)) {
      request.from = request.to = date_between(s.first - date::days(3), s.last + date::days(3));
    } else {
      request.from = date_between(s.first - date::days(5), s.last);
      request.to = date_between(*request.from, std::min(*request.from + date::days(between(0, 60)), s.last + date::days(5)));
    }
    maybe_one_user(s, request);
    return request;
  }

  // Sometimes only one user's row: a user of the school, or an id that is not one.
  void maybe_one_user(const Scenario& s, AggregateRequest& request) {
    if (chance(0.2)) request.user_id = s.users[static_cast<std::size_t>(between(0, static_cast<int>(s.users.size()) - 1))].id;
    else if (chance(0.03)) request.user_id = s.school_id * 100 + 99;
  }

 private:
  std::mt19937 random_;
};

SchoolRecord record_of(const Scenario& s) {
  SchoolRecord record;
  record.school.id = s.school_id;
  record.school.timezone = s.school.timezone;
  record.school.school_days = s.school.school_days;
  record.school.min_daily_hours = s.school.min_daily_minutes / 60.0;
  record.school.min_period_ratio = s.school.ratio_percent / 100.0;
  for (const auto& day : s.school.closures) record.closures.push_back({s.school_id, day, "holiday"});
  for (const auto& user : s.users) {
    domain::User u;
    u.id = user.id;
    u.school_id = s.school_id;
    u.name = user.name;
    u.enrolled_on = user.enrolled_on;
    record.users.push_back(u);
  }
  return record;
}

std::vector<domain::PresenceEvent> events_of(const Scenario& s) {
  std::vector<domain::PresenceEvent> events;
  for (const auto& e : s.events) {
    events.push_back({e.user_id, e.at, e.checkin ? domain::EventType::checkin : domain::EventType::checkout});
  }
  return events;
}

std::vector<RefPeriod> expected_all_users(const Scenario& s, const AggregateRequest& request) {
  if (request.period == PeriodKind::range) {
    return {reference_range(s.school, s.users, s.events, *request.from, *request.to, s.now)};
  }
  if (request.from) {
    return reference_periods(s.school, s.users, s.events, request.period, *request.from, *request.to, s.now);
  }
  const LocalDate day = request.date.value_or(reference_local_date(s.school.timezone, s.now));
  return reference_periods(s.school, s.users, s.events, request.period, day, day, s.now);
}

// With user_id, the rows keep only that user's; the counts stay the school's.
std::vector<RefPeriod> expected(const Scenario& s, const AggregateRequest& request) {
  auto periods = expected_all_users(s, request);
  if (request.user_id) {
    for (auto& period : periods) {
      std::erase_if(period.users, [&](const RefUserRow& row) { return row.user_id != *request.user_id; });
    }
  }
  return periods;
}

// Empty when equal; else what differs.
std::string compare(const std::vector<RefPeriod>& want, const Report& got) {
  std::ostringstream diff;
  if (want.size() != got.periods.size()) {
    diff << "periods: want " << want.size() << " got " << got.periods.size();
    return diff.str();
  }
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& w = want[i];
    const auto& g = got.periods[i];
    const auto where = domain::format_date(w.from) + ".." + domain::format_date(w.to) + ": ";
    if (w.from != g.from || w.to != g.to) diff << where << "bounds got " << domain::format_date(g.from) << "\n";
    if (w.school_days != g.school_days) diff << where << "school_days " << w.school_days << " vs " << g.school_days << "\n";
    if (w.total != g.total) diff << where << "total " << w.total << " vs " << g.total << "\n";
    if (w.present != g.present) diff << where << "present " << w.present << " vs " << g.present << "\n";
    if (w.absent != g.absent) diff << where << "absent " << w.absent << " vs " << g.absent << "\n";
    if (w.checked_in_now != g.checked_in_now) diff << where << "checked_in_now differs\n";
    if (w.users.size() != g.users.size()) {
      diff << where << "users " << w.users.size() << " vs " << g.users.size() << "\n";
      continue;
    }
    for (std::size_t u = 0; u < w.users.size(); ++u) {
      const auto& wu = w.users[u];
      const auto& gu = g.users[u];
      if (wu.user_id != gu.user_id || wu.present != gu.present || wu.present_days != gu.present_days ||
          wu.school_days != gu.school_days || wu.seconds != gu.seconds || wu.missing_checkout != gu.missing_checkout) {
        diff << where << "user " << wu.user_id << ": want present=" << wu.present << " days=" << wu.present_days << "/"
             << wu.school_days << " s=" << wu.seconds << " mc=" << wu.missing_checkout << "; got user " << gu.user_id
             << " present=" << gu.present << " days=" << gu.present_days << "/" << gu.school_days << " s=" << gu.seconds
             << " mc=" << gu.missing_checkout << "\n";
      }
    }
  }
  return diff.str();
}

std::string describe(const Scenario& s, const AggregateRequest& r) {
  std::ostringstream out;
  out << "school " << s.school_id << " " << s.school.timezone << " min=" << s.school.min_daily_minutes
      << " pct=" << s.school.ratio_percent << " now=" << domain::format_timestamp(s.now) << " period="
      << to_string(r.period);
  if (r.date) out << " date=" << domain::format_date(*r.date);
  if (r.from) out << " from=" << domain::format_date(*r.from) << " to=" << domain::format_date(*r.to);
  if (r.user_id) out << " user_id=" << *r.user_id;
  return out.str();
}

class EngineVsReference : public ::testing::TestWithParam<std::size_t> {};

TEST_P(EngineVsReference, EveryGeneratedTimelineMatchesTheReference) {
  constexpr int kScenarios = 1000;
  // A clock the test sets per scenario (each scenario has its own "now").
  auto now = std::make_shared<std::atomic<std::int64_t>>(0);
  auto loader = std::make_unique<FakeLoader>();
  FakeLoader& fake = *loader;
  AggregationOptions options;
  options.cache_bytes = GetParam();
  Aggregation aggregation(options, std::move(loader),
                          [now] { return Timestamp(std::chrono::microseconds(now->load())); });
  Service& service = aggregation.service();

  Generator generate(static_cast<unsigned>(GetParam()));
  int compared = 0;
  int ranges = 0;
  for (int i = 1; i <= kScenarios; ++i) {
    Scenario s = generate.scenario(i);
    fake.put_school(record_of(s), events_of(s));
    now->store(s.now.time_since_epoch().count());

    // Cold, warm, another shape of request over the same (now partly cached) days; then two
    // period=range windows over the same days.
    for (int round = 0; round < 5; ++round) {
      const AggregateRequest request = round < 3 ? generate.request(s) : generate.range_request(s);
      if (request.period == PeriodKind::range) ++ranges;
      for (int repeat = 0; repeat < 2; ++repeat) {
        auto result = run_now(service.aggregate(request));
        ASSERT_TRUE(result.report.ok()) << describe(s, request);
        const auto diff = compare(expected(s, request), **result.report);
        ASSERT_TRUE(diff.empty()) << describe(s, request) << "\n" << diff;
        ++compared;
      }
    }

    // A late event in the past, announced by invalidate_day: the next read must see it.
    const auto& user = s.users.front();
    const LocalDate late_day = generate.date_between(s.first, reference_local_date(s.school.timezone, s.now));
    const Timestamp late_at = reference_day_start(s.school.timezone, late_day) + seconds(generate.between(0, 20'000));
    const bool collides = std::any_of(s.events.begin(), s.events.end(),
                                      [&](const RefEvent& e) { return e.user_id == user.id && e.at == late_at; });
    if (late_at < s.now && !collides) {
      AggregateRequest request;
      request.school_id = s.school_id;
      request.period = PeriodKind::month;
      request.date = late_day;
      request.include_users = true;
      (void)run_now(service.aggregate(request));  // caches the month's past days
      s.events.push_back({user.id, late_at, true});
      fake.add_event(s.school_id, {user.id, late_at, domain::EventType::checkin});
      service.invalidate_day(s.school_id, reference_local_date(s.school.timezone, late_at));
      auto result = run_now(service.aggregate(request));
      ASSERT_TRUE(result.report.ok());
      const auto diff = compare(expected(s, request), **result.report);
      ASSERT_TRUE(diff.empty()) << "after invalidate_day: " << describe(s, request) << "\n" << diff;
      ++compared;
      // A range over the late day, served from the days the month request cached again.
      AggregateRequest window;
      window.school_id = s.school_id;
      window.period = PeriodKind::range;
      window.from = late_day - date::days(generate.between(0, 10));
      window.to = late_day + date::days(generate.between(0, 10));
      window.include_users = true;
      auto ranged = run_now(service.aggregate(window));
      ASSERT_TRUE(ranged.report.ok());
      const auto range_diff = compare(expected(s, window), **ranged.report);
      ASSERT_TRUE(range_diff.empty()) << "range after invalidate_day: " << describe(s, window) << "\n" << range_diff;
      ++compared;
      ++ranges;
    }
  }
  const auto counters = service.counters();
  EXPECT_GT(counters.cache_hits + counters.days_from_cache, 0U);
  RecordProperty("compared", compared);
  std::cout << "compared " << compared << " reports (" << ranges << " of period=range); cache hits " << counters.cache_hits << ", days computed "
            << counters.days_computed << ", days from cache " << counters.days_from_cache << ", evictions "
            << service.cache_stats().evictions << "\n";
}

// A roomy cache, and one so small that it evicts all the time.
INSTANTIATE_TEST_SUITE_P(CacheSizes, EngineVsReference, ::testing::Values(std::size_t{64} << 20, std::size_t{16} << 10));

}  // namespace
}  // namespace attendance::aggregate::testing
