// Every generated timeline obeys the recording rules (DESIGN.md section 4), checked with the
// service's own domain::check_insert, over many seeds, schools (time zones, school weeks) and a
// clock that cuts today at every hour.

#include <algorithm>

#include <gtest/gtest.h>

#include "domain/recording.hpp"
#include "domain/time.hpp"
#include "tools/datagen/generator.hpp"

namespace attendance::datagen {
namespace {

domain::Timestamp at(const char* text) { return *domain::parse_timestamp(text); }

GeneratorConfig config_of(std::uint64_t seed, domain::Timestamp now, int schools = 14, int users = 40, int days = 60) {
  GeneratorConfig config;
  config.seed = seed;
  config.schools = schools;
  config.users_per_school = users;
  config.days = days;
  config.now = now;
  return config;
}

// Feeds one user's events of one local day through check_insert in order, as the server would.
void expect_day_is_recordable(const std::vector<Event>& events, const UserSpec& user, domain::LocalDate day) {
  std::vector<domain::Attendance> stored;
  for (const auto& event : events) {
    auto conflict = domain::check_insert(stored, domain::Candidate{event.timestamp, event.type});
    ASSERT_FALSE(conflict.has_value()) << "user " << user.index << " of school " << user.school_index << " on "
                                       << domain::format_date(day) << " at "
                                       << domain::format_timestamp(event.timestamp) << ": "
                                       << conflict->fields.begin()->second.front();
    domain::Attendance row;
    row.id = static_cast<domain::Id>(stored.size() + 1);
    row.user_id = user.index + 1;
    row.timestamp = event.timestamp;
    row.type = event.type;
    row.temperature = event.temperature;
    stored.push_back(row);
  }
}

TEST(GeneratedTimelines, ObeyTheRecordingRulesOverManySeedsAndZones) {
  // Clocks spread over a year (DST changes in both hemispheres) and over the hours of a day,
  // so "today" is cut before, during and after school.
  const std::vector<domain::Timestamp> clocks{at("2026-03-09T13:17:00Z"), at("2026-04-06T02:00:00Z"),
                                              at("2026-10-27T09:45:30Z"), at("2026-11-02T16:00:00Z"),
                                              at("2026-12-31T23:59:59Z")};
  std::uint64_t checked_events = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    for (const auto now : clocks) {
      const Generator generator(config_of(seed, now));
      std::vector<Event> events;
      for (const auto& school : generator.schools()) {
        const auto* zone = generator.zone(school.index);
        for (int u = 0; u < generator.config().users_per_school; ++u) {
          const auto user = generator.user(school.index, u);
          // Enrolled on the history's first day or inside it: no school day before the history
          // counts the user absent.
          ASSERT_GE(user.enrolled_on, generator.first_day(school.index));
          ASSERT_LE(user.enrolled_on, generator.today(school.index));
          for (auto day = generator.first_day(school.index) - date::days(3);
               day <= generator.today(school.index) + date::days(3); day += date::days(1)) {
            events.clear();
            generator.day_events(user, day, events);
            if (events.empty()) continue;
            ASSERT_GE(day, user.enrolled_on) << "events before enrolment";
            const bool school_day = std::count(school.school_days.begin(), school.school_days.end(),
                                               domain::iso_weekday(day)) == 1;
            ASSERT_TRUE(school_day) << school.timezone << " " << domain::format_date(day);
            const auto bounds = domain::local_day_bounds(zone, day);
            for (const auto& event : events) {
              ASSERT_LE(event.timestamp, now);
              ASSERT_GE(event.timestamp, bounds.begin);
              ASSERT_LT(event.timestamp, bounds.end);
              ASSERT_EQ(domain::local_date_of(zone, event.timestamp), day);
              ASSERT_GE(event.temperature, 36.0);
              ASSERT_LE(event.temperature, 39.5);
            }
            expect_day_is_recordable(events, user, day);
            if (HasFatalFailure()) return;
            checked_events += events.size();
          }
        }
      }
    }
  }
  EXPECT_GT(checked_events, 500000u);
}

TEST(GeneratedTimelines, MostUsersAreEnrolledOnTheFirstDayAndAFewJoinLater) {
  const Generator generator(config_of(7, at("2026-11-24T15:00:00Z"), 1, 2000, 120));
  int on_first_day = 0, later = 0;
  for (int u = 0; u < 2000; ++u) {
    const auto enrolled_on = generator.user(0, u).enrolled_on;
    if (enrolled_on == generator.first_day(0)) ++on_first_day;
    else if (enrolled_on > generator.first_day(0) && enrolled_on <= generator.today(0)) ++later;
  }
  EXPECT_EQ(on_first_day + later, 2000);
  EXPECT_GT(later, 20);   // kLateJoinerShare of 2,000 is 60
  EXPECT_LT(later, 120);
}

TEST(GeneratedTimelines, TodayStopsAtNowAndMayEndCheckedIn) {
  // 10:00 in New York on a Tuesday: arrivals are in, departures are not.
  GeneratorConfig config = config_of(3, at("2026-11-24T15:00:00Z"), 1, 200, 5);
  config.timezone = "America/New_York";
  const Generator generator(config);
  const auto today = generator.today(0);
  ASSERT_EQ(domain::format_date(today), "2026-11-24");
  int checked_in_now = 0;
  std::vector<Event> events;
  for (int u = 0; u < 200; ++u) {
    events.clear();
    generator.day_events(generator.user(0, u), today, events);
    for (const auto& e : events) EXPECT_LE(e.timestamp, config.now);
    if (!events.empty() && events.back().type == domain::EventType::checkin) ++checked_in_now;
  }
  EXPECT_GT(checked_in_now, 150);  // most students are in school at 10:00
}

TEST(GeneratedTimelines, OnlyOnTheSchoolsOwnWeek) {
  // Jerusalem's week is Sunday-Thursday: nothing on Fridays and Saturdays.
  GeneratorConfig config = config_of(5, at("2026-11-28T20:00:00Z"), 1, 50, 28);
  config.timezone = "Asia/Jerusalem";
  const Generator generator(config);
  const auto days = generator.school_days(0);
  EXPECT_EQ(days.size(), 20u);
  for (auto day : days) {
    EXPECT_NE(domain::iso_weekday(day), 5);
    EXPECT_NE(domain::iso_weekday(day), 6);
  }
}

}  // namespace
}  // namespace attendance::datagen
