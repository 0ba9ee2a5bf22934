// Hand-written boundary cases of the presence rules (DESIGN.md section 5). The randomized
// comparison with a reference implementation lives in tests/aggregate/engine_vs_reference_test.cpp.
#include "domain/presence.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "domain/time.hpp"

namespace attendance::domain {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

Timestamp at(const char* text) { return parse_timestamp(text).value(); }
LocalDate day(const char* text) { return parse_date(text).value(); }

School school_with(const char* zone_name, double hours_needed = 4.0, double ratio = 0.8) {
  School school;
  school.timezone = zone_name;
  school.min_daily_hours = hours_needed;
  school.min_period_ratio = ratio;
  return school;
}

PresenceRules rules_of(const School& school, std::vector<LocalDate> closures = {}) {
  return PresenceRules::of(school, find_time_zone(school.timezone), std::move(closures));
}

PresenceEvent in(Id user, Timestamp when) { return {user, when, EventType::checkin}; }
PresenceEvent out(Id user, Timestamp when) { return {user, when, EventType::checkout}; }

// The events of `day` (by the school's local date), ordered as compute_day wants them.
std::vector<PresenceEvent> events_of_day(const PresenceRules& rules, LocalDate date, std::vector<PresenceEvent> events) {
  std::erase_if(events, [&](const PresenceEvent& e) { return local_date_of(rules.zone, e.at) != date; });
  std::sort(events.begin(), events.end(), [](const PresenceEvent& a, const PresenceEvent& b) {
    return a.user_id != b.user_id ? a.user_id < b.user_id : a.at < b.at;
  });
  return events;
}

DayResult one_day(const PresenceRules& rules, LocalDate date, const std::vector<PresenceUser>& users,
                  const std::vector<PresenceEvent>& events, Timestamp now) {
  return compute_day(rules, date, users, events_of_day(rules, date, events), now);
}

const UserDay* find_user(const DayResult& result, Id id) {
  for (const auto& user : result.users) {
    if (user.user_id == id) return &user;
  }
  return nullptr;
}

PeriodSummary period_of(const PresenceRules& rules, PeriodKind kind, LocalDate date, const std::vector<PresenceUser>& users,
                        const std::vector<PresenceEvent>& events, Timestamp now) {
  const LocalDate today = local_date_of(rules.zone, now);
  const Period period = period_containing(kind, date);
  std::vector<DayResult> results;
  for (LocalDate d = period.from; d <= std::min(period.to, today); d += date::days(1)) {
    results.push_back(one_day(rules, d, users, events, now));
  }
  std::vector<const DayResult*> pointers;
  for (const auto& r : results) pointers.push_back(&r);
  return reduce_period(rules, kind, period, today, users, pointers, true);
}

const std::vector<PresenceUser> kOneUser{{1, day("2020-01-01")}};
const Timestamp kLater = at("2030-01-01T00:00:00Z");

TEST(PresenceRules, ExactlyFourHoursIsNotPresent) {
  const auto rules = rules_of(school_with("UTC"));
  const auto result = one_day(rules, day("2024-03-04"), kOneUser,
                              {in(1, at("2024-03-04T08:00:00Z")), out(1, at("2024-03-04T12:00:00Z"))}, kLater);
  ASSERT_NE(find_user(result, 1), nullptr);
  EXPECT_EQ(find_user(result, 1)->seconds, 4U * 3600U);
  EXPECT_FALSE(find_user(result, 1)->present);
}

TEST(PresenceRules, FourHoursAndOneSecondIsPresent) {
  const auto rules = rules_of(school_with("UTC"));
  const auto result = one_day(rules, day("2024-03-04"), kOneUser,
                              {in(1, at("2024-03-04T08:00:00Z")), out(1, at("2024-03-04T12:00:01Z"))}, kLater);
  EXPECT_TRUE(find_user(result, 1)->present);
}

TEST(PresenceRules, FourHoursAndOneMicrosecondIsPresent) {
  const auto rules = rules_of(school_with("UTC"));
  const auto result = one_day(rules, day("2024-03-04"), kOneUser,
                              {in(1, at("2024-03-04T08:00:00Z")), out(1, at("2024-03-04T12:00:00.000001Z"))}, kLater);
  EXPECT_EQ(find_user(result, 1)->seconds, 4U * 3600U);
  EXPECT_TRUE(find_user(result, 1)->present);
}

TEST(PresenceRules, SeveralIntervalsOfADayAddUp) {
  const auto rules = rules_of(school_with("UTC"));
  const auto result = one_day(rules, day("2024-03-04"), kOneUser,
                              {in(1, at("2024-03-04T08:00:00Z")), out(1, at("2024-03-04T10:00:00Z")),
                               in(1, at("2024-03-04T11:00:00Z")), out(1, at("2024-03-04T13:00:01Z"))},
                              kLater);
  EXPECT_EQ(find_user(result, 1)->seconds, 4U * 3600U + 1U);
  EXPECT_TRUE(find_user(result, 1)->present);
}

TEST(PresenceRules, PerSchoolMinimumHoursApply) {
  const auto rules = rules_of(school_with("UTC", 2.5));
  const auto result = one_day(rules, day("2024-03-04"), kOneUser,
                              {in(1, at("2024-03-04T08:00:00Z")), out(1, at("2024-03-04T10:30:00Z"))}, kLater);
  EXPECT_FALSE(find_user(result, 1)->present);
  const auto more = one_day(rules, day("2024-03-04"), kOneUser,
                            {in(1, at("2024-03-04T08:00:00Z")), out(1, at("2024-03-04T10:30:01Z"))}, kLater);
  EXPECT_TRUE(find_user(more, 1)->present);
}

TEST(PresenceRules, OpenIntervalOfAPastDayCountsToTheEndOfTheDayAndFlagsMissingCheckout) {
  const auto rules = rules_of(school_with("UTC"));
  const auto exactly = one_day(rules, day("2024-03-04"), kOneUser, {in(1, at("2024-03-04T20:00:00Z"))}, kLater);
  EXPECT_EQ(find_user(exactly, 1)->seconds, 4U * 3600U);
  EXPECT_TRUE(find_user(exactly, 1)->missing_checkout);
  EXPECT_FALSE(find_user(exactly, 1)->present);
  EXPECT_FALSE(find_user(exactly, 1)->checked_in_now);
  const auto more = one_day(rules, day("2024-03-04"), kOneUser, {in(1, at("2024-03-04T19:59:59Z"))}, kLater);
  EXPECT_TRUE(find_user(more, 1)->present);
}

TEST(PresenceRules, IntervalAcrossLocalMidnightIsCutAtTheDayBoundary) {
  // Berlin in winter is UTC+1: 22:00 local is 21:00Z; the next local day starts at 23:00Z.
  const auto rules = rules_of(school_with("Europe/Berlin", 1.0));
  const std::vector<PresenceEvent> events{in(1, at("2024-01-15T21:00:00Z")), out(1, at("2024-01-16T00:00:00Z"))};
  const auto first = one_day(rules, day("2024-01-15"), kOneUser, events, kLater);
  EXPECT_EQ(find_user(first, 1)->seconds, 2U * 3600U);
  EXPECT_TRUE(find_user(first, 1)->missing_checkout);
  EXPECT_TRUE(find_user(first, 1)->present);
  // The next day starts fresh: its lone check-out closes nothing.
  const auto second = one_day(rules, day("2024-01-16"), kOneUser, events, kLater);
  EXPECT_EQ(find_user(second, 1), nullptr);
}

TEST(PresenceRules, UtcMidnightIsNotTheSchoolsMidnight) {
  // Kolkata is UTC+5:30: 20:00Z..23:00Z is 01:30..04:30 of the next local day.
  const auto rules = rules_of(school_with("Asia/Kolkata", 2.0));
  const std::vector<PresenceEvent> events{in(1, at("2024-03-04T20:00:00Z")), out(1, at("2024-03-04T23:00:00Z"))};
  EXPECT_EQ(find_user(one_day(rules, day("2024-03-04"), kOneUser, events, kLater), 1), nullptr);
  EXPECT_EQ(find_user(one_day(rules, day("2024-03-05"), kOneUser, events, kLater), 1)->seconds, 3U * 3600U);
}

struct DstCase {
  const char* zone;
  const char* date;
  const char* local_midnight_utc;
  std::uint32_t hours;
};

TEST(PresenceRules, DaylightSavingDaysLast23Or25Hours) {
  const DstCase cases[] = {
      {"Europe/Berlin", "2024-03-31", "2024-03-30T23:00:00Z", 23},
      {"Europe/Berlin", "2024-10-27", "2024-10-26T22:00:00Z", 25},
      {"America/New_York", "2024-03-10", "2024-03-10T05:00:00Z", 23},
      {"America/New_York", "2024-11-03", "2024-11-03T04:00:00Z", 25},
      {"Australia/Sydney", "2024-04-07", "2024-04-06T13:00:00Z", 25},
      {"Australia/Sydney", "2024-10-06", "2024-10-05T14:00:00Z", 23},
      {"Pacific/Auckland", "2024-04-07", "2024-04-06T11:00:00Z", 25},
      {"Pacific/Auckland", "2024-09-29", "2024-09-28T12:00:00Z", 23},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.zone) + " " + c.date);
    const auto rules = rules_of(school_with(c.zone));
    // Checked in at the first instant of the day and never out: the whole day counts.
    const auto result = one_day(rules, day(c.date), kOneUser, {in(1, at(c.local_midnight_utc))}, kLater);
    ASSERT_NE(find_user(result, 1), nullptr);
    EXPECT_EQ(find_user(result, 1)->seconds, c.hours * 3600U);
    EXPECT_TRUE(find_user(result, 1)->missing_checkout);
  }
}

TEST(PresenceRules, DaylightSavingDayCountsRealElapsedTime) {
  // Berlin 2024-03-31: 01:00 local (00:00Z) to 05:00 local (03:00Z) is 3 real hours, not 4.
  const auto rules = rules_of(school_with("Europe/Berlin", 3.0));
  const auto result = one_day(rules, day("2024-03-31"), kOneUser,
                              {in(1, at("2024-03-31T00:00:00Z")), out(1, at("2024-03-31T03:00:00Z"))}, kLater);
  EXPECT_EQ(find_user(result, 1)->seconds, 3U * 3600U);
  EXPECT_FALSE(find_user(result, 1)->present);
}

TEST(PresenceRules, CheckedInNowTodayIsPresentAndCountsToNow) {
  const auto rules = rules_of(school_with("UTC"));
  const Timestamp now = at("2024-03-04T08:10:00Z");
  const auto result = one_day(rules, day("2024-03-04"), kOneUser, {in(1, at("2024-03-04T08:00:00Z"))}, now);
  EXPECT_TRUE(result.today);
  EXPECT_EQ(find_user(result, 1)->seconds, 600U);
  EXPECT_TRUE(find_user(result, 1)->checked_in_now);
  EXPECT_TRUE(find_user(result, 1)->present);
  EXPECT_FALSE(find_user(result, 1)->missing_checkout);
  EXPECT_EQ(result.checked_in_now, 1);
}

TEST(PresenceRules, CheckedOutTodayNeedsTheHours) {
  const auto rules = rules_of(school_with("UTC"));
  const Timestamp now = at("2024-03-04T12:00:00Z");
  const auto result = one_day(rules, day("2024-03-04"), kOneUser,
                              {in(1, at("2024-03-04T08:00:00Z")), out(1, at("2024-03-04T09:00:00Z"))}, now);
  EXPECT_FALSE(find_user(result, 1)->present);
  EXPECT_EQ(result.checked_in_now, 0);
}

TEST(PresenceRules, EventsAfterNowHaveNotHappenedYet) {
  const auto rules = rules_of(school_with("UTC"));
  const Timestamp now = at("2024-03-04T08:00:00Z");
  const auto result = one_day(rules, day("2024-03-04"), kOneUser, {in(1, at("2024-03-04T08:03:00Z"))}, now);
  EXPECT_EQ(find_user(result, 1), nullptr);
  EXPECT_EQ(result.checked_in_now, 0);
}

TEST(PresenceRules, UsersCountOnlyFromEnrolledOn) {
  const auto rules = rules_of(school_with("UTC"));
  const std::vector<PresenceUser> users{{1, day("2024-03-05")}};
  const auto before = one_day(rules, day("2024-03-04"), users,
                              {in(1, at("2024-03-04T08:00:00Z")), out(1, at("2024-03-04T13:00:00Z"))}, kLater);
  EXPECT_TRUE(before.users.empty());
}

TEST(PresenceRules, ClosuresAndNonSchoolWeekdaysAreNotSchoolDays) {
  School school = school_with("UTC");
  school.school_days = {1, 2, 3, 4, 6};
  const auto rules = rules_of(school, {day("2024-03-06")});
  EXPECT_TRUE(rules.is_school_day(day("2024-03-04")));   // Monday
  EXPECT_FALSE(rules.is_school_day(day("2024-03-06")));  // Wednesday, closed
  EXPECT_FALSE(rules.is_school_day(day("2024-03-08")));  // Friday
  EXPECT_TRUE(rules.is_school_day(day("2024-03-09")));   // Saturday
  EXPECT_FALSE(rules.is_school_day(day("2024-03-10")));  // Sunday
}

// Five school days Mon 2024-03-04 .. Fri 2024-03-08; present (5 h) on the first `n` of them.
std::vector<PresenceEvent> present_on_first_days(int n) {
  std::vector<PresenceEvent> events;
  for (int i = 0; i < n; ++i) {
    const auto start = date::sys_days(day("2024-03-04").time_since_epoch()) + date::days(i) + hours(8);
    events.push_back(in(1, Timestamp(start)));
    events.push_back(out(1, Timestamp(start + hours(5))));
  }
  return events;
}

TEST(PresenceRules, ExactlyEightyPercentOfTheWeekIsNotPresent) {
  const auto rules = rules_of(school_with("UTC"));
  const auto week = period_of(rules, PeriodKind::week, day("2024-03-06"), kOneUser, present_on_first_days(4), kLater);
  EXPECT_EQ(week.school_days, 5);
  EXPECT_EQ(week.total, 1);
  EXPECT_EQ(week.present, 0);
  EXPECT_EQ(week.absent, 1);
  EXPECT_EQ(week.users.at(0).present_days, 4);
  const auto all = period_of(rules, PeriodKind::week, day("2024-03-06"), kOneUser, present_on_first_days(5), kLater);
  EXPECT_EQ(all.present, 1);
}

TEST(PresenceRules, PerSchoolRatioApplies) {
  const auto rules = rules_of(school_with("UTC", 4.0, 0.75));
  const auto week = period_of(rules, PeriodKind::week, day("2024-03-06"), kOneUser, present_on_first_days(4), kLater);
  EXPECT_EQ(week.present, 1);  // 4/5 = 0.8 > 0.75
}

TEST(PresenceRules, CurrentPeriodCountsDaysUpToAndIncludingToday) {
  const auto rules = rules_of(school_with("UTC"));
  // Wednesday 09:00: present Monday and Tuesday, checked in now on Wednesday.
  auto events = present_on_first_days(2);
  events.push_back(in(1, at("2024-03-06T08:00:00Z")));
  const auto week = period_of(rules, PeriodKind::week, day("2024-03-06"), kOneUser, events, at("2024-03-06T09:00:00Z"));
  EXPECT_EQ(week.school_days, 3);
  EXPECT_EQ(week.present, 1);
  EXPECT_EQ(week.checked_in_now, 1);
}

TEST(PresenceRules, CheckedInNowOnlyWhenThePeriodContainsToday) {
  const auto rules = rules_of(school_with("UTC"));
  const auto week = period_of(rules, PeriodKind::week, day("2024-03-06"), kOneUser, present_on_first_days(5), kLater);
  EXPECT_FALSE(week.checked_in_now.has_value());
}

TEST(PresenceRules, LateEnrollmentCountsOnlyTheDaysFromEnrolledOn) {
  const auto rules = rules_of(school_with("UTC"));
  const std::vector<PresenceUser> users{{1, day("2024-03-07")}, {2, day("2024-03-11")}};
  // User 1 present Thursday and Friday: 2 of 2 counted days.
  std::vector<PresenceEvent> events;
  for (const char* d : {"2024-03-07", "2024-03-08"}) {
    const auto start = date::sys_days(day(d).time_since_epoch()) + hours(8);
    events.push_back(in(1, Timestamp(start)));
    events.push_back(out(1, Timestamp(start + hours(5))));
  }
  const auto week = period_of(rules, PeriodKind::week, day("2024-03-04"), users, events, kLater);
  EXPECT_EQ(week.total, 1);  // user 2 has no counted school day
  EXPECT_EQ(week.present, 1);
  EXPECT_EQ(week.users.at(0).school_days, 2);
}

TEST(PresenceRules, APeriodWithoutSchoolDaysHasAllZeros) {
  const auto rules = rules_of(school_with("UTC"));
  const auto saturday = period_of(rules, PeriodKind::day, day("2024-03-09"), kOneUser,
                                  {in(1, at("2024-03-09T08:00:00Z")), out(1, at("2024-03-09T16:00:00Z"))}, kLater);
  EXPECT_EQ(saturday.school_days, 0);
  EXPECT_EQ(saturday.total, 0);
  EXPECT_EQ(saturday.present, 0);
  EXPECT_EQ(saturday.absent, 0);
  EXPECT_TRUE(saturday.users.empty());
}

TEST(PresenceRules, AFuturePeriodHasAllZeros) {
  const auto rules = rules_of(school_with("UTC"));
  const auto week = period_of(rules, PeriodKind::week, day("2024-03-13"), kOneUser, {}, at("2024-03-06T09:00:00Z"));
  EXPECT_EQ(week.school_days, 0);
  EXPECT_EQ(week.total, 0);
}

TEST(PresenceRules, ADayPeriodIsPresentWhenPresentOnTheDayWhateverTheRatio) {
  const auto rules = rules_of(school_with("UTC", 4.0, 1.0));
  const auto monday = period_of(rules, PeriodKind::day, day("2024-03-04"), kOneUser, present_on_first_days(1), kLater);
  EXPECT_EQ(monday.present, 1);
  EXPECT_EQ(monday.users.at(0).seconds, 5U * 3600U);
}

TEST(Periods, WeeksAreIsoMondayToSunday) {
  EXPECT_EQ(period_containing(PeriodKind::week, day("2025-01-01")), (Period{day("2024-12-30"), day("2025-01-05")}));
  EXPECT_EQ(period_containing(PeriodKind::week, day("2024-03-10")), (Period{day("2024-03-04"), day("2024-03-10")}));
}

TEST(Periods, MonthsAreCalendarMonths) {
  EXPECT_EQ(period_containing(PeriodKind::month, day("2024-02-15")), (Period{day("2024-02-01"), day("2024-02-29")}));
  EXPECT_EQ(period_containing(PeriodKind::month, day("2023-12-31")), (Period{day("2023-12-01"), day("2023-12-31")}));
}

TEST(Periods, SeriesCoverEveryOverlappingPeriodOldestFirst) {
  const auto months = periods_overlapping(PeriodKind::month, day("2023-11-20"), day("2024-02-01"), 400);
  ASSERT_EQ(months.size(), 4U);
  EXPECT_EQ(months.front().from, day("2023-11-01"));
  EXPECT_EQ(months.back().to, day("2024-02-29"));
  EXPECT_EQ(count_periods(PeriodKind::month, day("2023-11-20"), day("2024-02-01")), 4);
  EXPECT_EQ(count_periods(PeriodKind::week, day("2024-12-31"), day("2025-01-06")), 2);
  EXPECT_EQ(count_periods(PeriodKind::day, day("2024-02-28"), day("2024-03-01")), 3);
}

TEST(Periods, ARangeIsExactlyItsWindow) {
  EXPECT_EQ(periods_overlapping(PeriodKind::range, day("2024-02-26"), day("2024-03-05"), 400),
            (std::vector<Period>{{day("2024-02-26"), day("2024-03-05")}}));
  EXPECT_TRUE(periods_overlapping(PeriodKind::range, day("2024-03-05"), day("2024-02-26"), 400).empty());
  EXPECT_EQ(count_periods(PeriodKind::range, day("2024-02-26"), day("2025-03-05")), 1);
  EXPECT_EQ(period_containing(PeriodKind::range, day("2024-02-29")), (Period{day("2024-02-29"), day("2024-02-29")}));
}

// reduce_period over an explicit window of the five school days Mon 2024-03-04 .. Fri 2024-03-08.
PeriodSummary range_of(const PresenceRules& rules, LocalDate from, LocalDate to, const std::vector<PresenceEvent>& events,
                       Timestamp now) {
  const LocalDate today = local_date_of(rules.zone, now);
  std::vector<DayResult> results;
  for (LocalDate d = from; d <= std::min(to, today); d += date::days(1)) {
    results.push_back(one_day(rules, d, kOneUser, events, now));
  }
  std::vector<const DayResult*> pointers;
  for (const auto& r : results) pointers.push_back(&r);
  return reduce_period(rules, PeriodKind::range, Period{from, to}, today, kOneUser, pointers, true);
}

TEST(PresenceRules, ARangeAppliesTheRatioToItsOwnSchoolDays) {
  const auto rules = rules_of(school_with("UTC"));
  // Present Mon..Thu: 4 of the 5 days is exactly 80 %: absent.
  const auto week = range_of(rules, day("2024-03-04"), day("2024-03-08"), present_on_first_days(4), kLater);
  EXPECT_EQ(week.school_days, 5);
  EXPECT_EQ(week.present, 0);
  EXPECT_EQ(week.absent, 1);
  // The window Mon..Thu: 4 of 4.
  const auto four = range_of(rules, day("2024-03-04"), day("2024-03-07"), present_on_first_days(4), kLater);
  EXPECT_EQ(four.school_days, 4);
  EXPECT_EQ(four.present, 1);
  EXPECT_EQ(four.users.at(0).present_days, 4);
  EXPECT_EQ(four.users.at(0).seconds, 0U);  // day fields are for day periods only
  // Unlike a day period, one day's window follows the ratio too: with a ratio of 1, present on
  // the day is 1 of 1, not more than 100 %.
  const auto strict = rules_of(school_with("UTC", 4.0, 1.0));
  const auto monday = range_of(strict, day("2024-03-04"), day("2024-03-04"), present_on_first_days(1), kLater);
  EXPECT_EQ(monday.present, 0);
  EXPECT_EQ(monday.users.at(0).present_days, 1);
}

TEST(PresenceRules, ARangeReachingTodayCountsItsBegunDaysAndCheckedInNow) {
  const auto rules = rules_of(school_with("UTC"));
  auto events = present_on_first_days(2);
  events.push_back(in(1, at("2024-03-06T08:00:00Z")));
  const auto window = range_of(rules, day("2024-03-01"), day("2024-03-15"), events, at("2024-03-06T09:00:00Z"));
  EXPECT_EQ(window.school_days, 4);  // Fri 1, Mon 4, Tue 5, Wed 6
  EXPECT_EQ(window.users.at(0).present_days, 3);
  EXPECT_EQ(window.present, 0);      // 3/4
  EXPECT_EQ(window.checked_in_now, 1);
}

}  // namespace
}  // namespace attendance::domain
