// Direct mode on SQLite: every generated event is loaded, schools and users are stored as the
// server stores them, and the data is ready for aggregation (enrolled before the history).

#include <gtest/gtest.h>

#include "datagen/temp_path_support.hpp"
#include "domain/recording.hpp"
#include "domain/time.hpp"
#include "storage/database.hpp"
#include "storage/repositories.hpp"
#include "storage/sql.hpp"
#include "tools/datagen/direct_loader.hpp"

namespace attendance::datagen {
namespace {

GeneratorConfig small_run() {
  GeneratorConfig config;
  config.seed = 9;
  config.schools = 2;
  config.users_per_school = 60;
  config.days = 30;
  config.now = *domain::parse_timestamp("2026-11-24T17:30:00Z");
  return config;
}

TEST(DirectLoader, LoadsEveryGeneratedEventIntoSqlite) {
  testing::TempDatabase file("datagen-direct");
  const Generator generator(small_run());
  const auto report = load_direct(generator, DirectOptions{file.url(), false, 500, false});
  EXPECT_FALSE(report.skipped);
  EXPECT_EQ(report.schools, 2u);
  EXPECT_EQ(report.users, 120u);
  EXPECT_EQ(report.events, generator.count_events());
  EXPECT_GT(report.rows_per_second(), 0);

  storage::DatabaseOptions options;
  options.url = file.url();
  storage::Database db(options);
  const auto rows = db.read_now([](storage::Session& s) {
    return storage::sql::fetch_integer(s, "SELECT COUNT(*) FROM attendances", {});
  });
  EXPECT_EQ(static_cast<std::uint64_t>(rows), report.events);
  std::uint64_t stored = 0;
  for (const auto& spec : generator.schools()) {
    const auto users = db.read_now([&spec](storage::Session& s) {
      storage::UserFilter filter;
      filter.school_id = spec.index + 1;
      return storage::list_users(s, filter, storage::Page{std::nullopt, 1000});
    });
    ASSERT_EQ(users.size(), 60u);
    const auto school = db.read_now([&spec](storage::Session& s) { return storage::find_school(s, spec.index + 1); });
    ASSERT_TRUE(school.has_value());
    EXPECT_EQ(school->timezone, spec.timezone);
    EXPECT_EQ(school->school_days, spec.school_days);
    const auto* zone = generator.zone(spec.index);
    for (const auto& user : users) {
      EXPECT_GE(user.enrolled_on, generator.first_day(spec.index));
      // The stored timeline, day by day, replays through the recording rules without a conflict.
      for (auto day : generator.school_days(spec.index)) {
        const auto bounds = domain::local_day_bounds(zone, day);
        const auto events = db.read_now([&user, bounds](storage::Session& s) {
          return storage::attendances_of_user_between(s, user.id, bounds.begin, bounds.end);
        });
        std::vector<domain::Attendance> replayed;
        for (const auto& event : events) {
          ASSERT_FALSE(domain::check_insert(replayed, domain::Candidate{event.timestamp, event.type}).has_value());
          replayed.push_back(event);
        }
        stored += events.size();
      }
    }
  }
  EXPECT_EQ(stored, report.events);
}

TEST(DirectLoader, IfEmptyLeavesAFilledDatabaseAlone) {
  testing::TempDatabase file("datagen-if-empty");
  const Generator generator(small_run());
  const auto first = load_direct(generator, DirectOptions{file.url(), true, 10000, false});
  ASSERT_FALSE(first.skipped);
  const auto second = load_direct(generator, DirectOptions{file.url(), true, 10000, false});
  EXPECT_TRUE(second.skipped);
  EXPECT_EQ(second.events, 0u);
}

}  // namespace
}  // namespace attendance::datagen
