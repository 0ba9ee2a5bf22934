// The engine over a real SQLite database through StorageLoader (no fakes).
#include <filesystem>

#include <gtest/gtest.h>

#include "aggregate/aggregation.hpp"
#include "aggregate/storage_loader.hpp"
#include "domain/time.hpp"
#include "run_support.hpp"
#include "storage/repositories.hpp"

namespace attendance::aggregate {
namespace {

using domain::Timestamp;

Timestamp at(const char* text) { return domain::parse_timestamp(text).value(); }
domain::LocalDate day(const char* text) { return domain::parse_date(text).value(); }

TEST(StorageIntegration, AggregatesEventsStoredInSqlite) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("aggregate_integration_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    storage::DatabaseOptions options;
    options.url = "sqlite:" + path.string();
    options.readers = 2;
    storage::Database database(options);

    const auto ids = database.write_now([](storage::Session& s) {
      domain::School school;
      school.name = "Berlin school";
      school.timezone = "Europe/Berlin";
      school = storage::insert_school(s, school);
      std::vector<domain::Id> users;
      for (const char* name : {"Ada", "Bob"}) {
        domain::User user;
        user.school_id = school.id;
        user.name = name;
        user.enrolled_on = day("2024-01-01");
        users.push_back(storage::insert_user(s, user).id);
      }
      storage::upsert_closure(s, domain::Closure{school.id, day("2024-03-08"), "holiday"});
      // Monday to Thursday (Friday is closed): Ada 08:00-13:00 local, Bob 08:00-11:00 local.
      for (const char* d : {"2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07"}) {
        const auto local_eight = at((std::string(d) + "T07:00:00Z").c_str());
        for (std::size_t i = 0; i < users.size(); ++i) {
          domain::Attendance a;
          a.user_id = users[i];
          a.school_id = school.id;
          a.temperature = 36.6;
          a.timestamp = local_eight;
          a.type = domain::EventType::checkin;
          storage::insert_attendance(s, a);
          a.timestamp = local_eight + std::chrono::hours(i == 0 ? 5 : 3);
          a.type = domain::EventType::checkout;
          storage::insert_attendance(s, a);
        }
      }
      return std::vector<domain::Id>{school.id, users[0], users[1]};
    });

    Aggregation aggregation(AggregationOptions{}, std::make_unique<StorageLoader>(database),
                            [] { return at("2024-03-20T12:00:00Z"); });
    AggregateRequest request;
    request.school_id = ids[0];
    request.period = domain::PeriodKind::week;
    request.date = day("2024-03-06");
    request.include_users = true;
    auto result = testing::run_now(aggregation.service().aggregate(request));
    ASSERT_TRUE(result.report.ok());
    const auto& week = (*result.report)->periods.at(0);
    EXPECT_EQ(week.school_days, 4);
    EXPECT_EQ(week.total, 2);
    EXPECT_EQ(week.present, 1);
    EXPECT_EQ(week.users.at(0).name, "Ada");
    EXPECT_EQ(week.users.at(0).present_days, 4);
    EXPECT_EQ(week.users.at(1).present_days, 0);

    request.school_id = ids[0] + 1000;
    auto missing = testing::run_now(aggregation.service().aggregate(request));
    ASSERT_FALSE(missing.report.ok());
    EXPECT_EQ(missing.report.error().kind, domain::ErrorKind::not_found);
    aggregation.stop();
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace attendance::aggregate
