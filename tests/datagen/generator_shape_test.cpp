// Determinism (a seed names the data) and realism (the drawn rates land where the generator
// says they aim).

#include <gtest/gtest.h>

#include "domain/time.hpp"
#include "tools/datagen/generator.hpp"

namespace attendance::datagen {
namespace {

GeneratorConfig config_of(std::uint64_t seed) {
  GeneratorConfig config;
  config.seed = seed;
  config.schools = 4;
  config.users_per_school = 120;
  config.days = 90;
  config.now = *domain::parse_timestamp("2026-06-12T18:30:00Z");
  return config;
}

// Every event of a run, flattened in (school, user, day) order.
std::vector<std::tuple<int, int, std::string, int, double, std::string>> everything(const Generator& generator) {
  std::vector<std::tuple<int, int, std::string, int, double, std::string>> out;
  std::vector<Event> events;
  for (const auto& school : generator.schools()) {
    for (int u = 0; u < generator.config().users_per_school; ++u) {
      const auto user = generator.user(school.index, u);
      for (auto day : generator.school_days(school.index)) {
        events.clear();
        generator.day_events(user, day, events);
        for (const auto& e : events) {
          out.emplace_back(school.index, u, domain::format_timestamp(e.timestamp), static_cast<int>(e.type),
                           e.temperature, client_id_of(generator.config().seed, user, day, e.sequence));
        }
      }
    }
  }
  return out;
}

TEST(GeneratorDeterminism, SameSeedSameEvents) {
  const auto first = everything(Generator(config_of(42)));
  const auto second = everything(Generator(config_of(42)));
  ASSERT_GT(first.size(), 10000u);
  EXPECT_EQ(first, second);
  EXPECT_EQ(Generator(config_of(42)).count_events(), first.size());
}

TEST(GeneratorDeterminism, AnotherSeedOtherEvents) {
  EXPECT_NE(everything(Generator(config_of(42))), everything(Generator(config_of(43))));
}

TEST(GeneratorDeterminism, ClientIdsAreUniquePerUser) {
  const auto all = everything(Generator(config_of(7)));
  std::set<std::tuple<int, int, std::string>> ids;
  for (const auto& e : all) ids.emplace(std::get<0>(e), std::get<1>(e), std::get<5>(e));
  EXPECT_EQ(ids.size(), all.size());
}

TEST(GeneratorRealism, RatesLandNearTheirTargets) {
  const Generator generator(config_of(11));
  double user_days = 0, absent = 0, present = 0, lunch = 0, fever = 0, missing = 0, late = 0;
  double arrivals = 0, arrivals_in_window = 0;
  std::vector<Event> events;
  for (const auto& school : generator.schools()) {
    const auto* zone = generator.zone(school.index);
    for (int u = 0; u < generator.config().users_per_school; ++u) {
      const auto user = generator.user(school.index, u);
      for (auto day : generator.school_days(school.index)) {
        if (day == generator.today(school.index)) continue;  // a full day only
        if (day < user.enrolled_on) continue;                // not at this school yet
        DayShape shape;
        events.clear();
        generator.day_events(user, day, events, &shape);
        ++user_days;
        if (shape.absent) {
          ++absent;
          EXPECT_TRUE(events.empty());
          continue;
        }
        ++present;
        lunch += shape.lunch;
        fever += shape.fever;
        missing += shape.missing_checkout;
        late += shape.late;
        EXPECT_EQ(events.size(), 2u + (shape.lunch ? 2u : 0u) - (shape.missing_checkout ? 1u : 0u));
        for (const auto& e : events) EXPECT_EQ(e.temperature >= 38.0, shape.fever);
        if (user.role == Role::student && !shape.late) {
          const auto local = zone->to_local(events.front().timestamp);
          const auto minute = std::chrono::duration_cast<std::chrono::minutes>(local - date::local_days{day}).count();
          ++arrivals;
          arrivals_in_window += minute >= 7 * 60 + 20 && minute < 8 * 60 + 30;
        }
      }
    }
  }
  EXPECT_NEAR(absent / user_days, 0.06, 0.02);
  EXPECT_NEAR(lunch / present, 0.10, 0.04);
  EXPECT_NEAR(missing / present, kMissingCheckoutRate, 0.01);
  EXPECT_NEAR(fever / present, kFeverRate, 0.003);
  EXPECT_GT(fever, 0);
  EXPECT_NEAR(late / present, 0.045, 0.02);
  EXPECT_EQ(arrivals_in_window, arrivals);
}

TEST(GeneratorRealism, SchoolsGetVariedTimeZones) {
  auto config = config_of(1);
  config.schools = 14;
  const Generator generator(config);
  std::set<std::string> zones;
  for (const auto& s : generator.schools()) zones.insert(s.timezone);
  EXPECT_EQ(zones.size(), 14u);
}

TEST(GeneratorRealism, LiveZoneIsOnASchoolDay) {
  // Saturday 01:47 UTC: Mumbai (Monday-Saturday) is at 07:17 on a school day.
  const auto zone = resolve_live_zone(*domain::parse_timestamp("2026-11-28T01:47:00Z"));
  ASSERT_TRUE(zone.has_value());
  EXPECT_EQ(*zone, "Asia/Kolkata");
}

}  // namespace
}  // namespace attendance::datagen
