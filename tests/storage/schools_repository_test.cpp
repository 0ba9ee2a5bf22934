#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "domain/result.hpp"
#include "storage/sql.hpp"
#include "storage/storage_support.hpp"

namespace attendance::storage {
namespace {

using domain::Done;
using testing::StorageTest;
using namespace std::chrono_literals;

class SchoolsRepository : public StorageTest {};

date::local_days day(int y, unsigned m, unsigned d) { return date::local_days{date::year{y} / m / d}; }

TEST_P(SchoolsRepository, InsertStoresEveryFieldAndStampsTimes) {
  domain::School school;
  school.name = "Hill School";
  school.timezone = "Europe/Lisbon";
  school.school_days = {1, 3, 7};
  school.min_daily_hours = 3.5;
  school.min_period_ratio = 0.75;
  school.fever_threshold = 37.8;
  const auto before = sql::now();
  auto stored = write([school](Session& s) { return insert_school(s, school); });
  const auto after = sql::now();

  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.name, "Hill School");
  EXPECT_EQ(stored.timezone, "Europe/Lisbon");
  EXPECT_EQ(stored.school_days, (std::vector<int>{1, 3, 7}));
  EXPECT_DOUBLE_EQ(stored.min_daily_hours, 3.5);
  EXPECT_DOUBLE_EQ(stored.min_period_ratio, 0.75);
  EXPECT_DOUBLE_EQ(stored.fever_threshold, 37.8);
  EXPECT_GE(stored.inserted_at, before);
  EXPECT_LE(stored.inserted_at, after);
  EXPECT_EQ(stored.updated_at, stored.inserted_at);

  auto found = read([id = stored.id](Session& s) { return find_school(s, id); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, stored.name);
  EXPECT_EQ(found->inserted_at, stored.inserted_at);  // microseconds survive the round trip
}

TEST_P(SchoolsRepository, FindMissingSchoolIsEmpty) {
  EXPECT_FALSE(read([](Session& s) { return find_school(s, 4242); }));
}

TEST_P(SchoolsRepository, UpdateOverwritesFieldsAndBumpsUpdatedAt) {
  auto school = make_school("Old name");
  std::this_thread::sleep_for(2ms);
  school.name = "New name";
  school.school_days = {2, 4};
  school.fever_threshold = 38.5;
  auto updated = write([school](Session& s) { return update_school(s, school); });
  EXPECT_EQ(updated.name, "New name");
  EXPECT_EQ(updated.school_days, (std::vector<int>{2, 4}));
  EXPECT_DOUBLE_EQ(updated.fever_threshold, 38.5);
  EXPECT_EQ(updated.inserted_at, school.inserted_at);
  EXPECT_GT(updated.updated_at, school.updated_at);
}

TEST_P(SchoolsRepository, UpdateOfMissingSchoolThrows) {
  domain::School ghost;
  ghost.id = 999;
  ghost.name = "ghost";
  EXPECT_ANY_THROW(write([ghost](Session& s) { return update_school(s, ghost); }));
}

TEST_P(SchoolsRepository, ListPagesByIdAndFiltersToOneSchool) {
  std::vector<Id> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(make_school("S" + std::to_string(i)).id);

  auto first = read([](Session& s) { return list_schools(s, std::nullopt, Page{std::nullopt, 2}); });
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].id, ids[0]);
  EXPECT_EQ(first[1].id, ids[1]);
  auto rest = read([after = first.back().id](Session& s) { return list_schools(s, std::nullopt, Page{after, 10}); });
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].id, ids[2]);
  EXPECT_EQ(rest[2].id, ids[4]);

  auto only = read([id = ids[3]](Session& s) { return list_schools(s, id, Page{}); });
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].id, ids[3]);
  auto only_after = read([id = ids[3]](Session& s) { return list_schools(s, id, Page{id, 10}); });
  EXPECT_TRUE(only_after.empty());
}

TEST_P(SchoolsRepository, IdsAreNeverReusedAfterDelete) {
  make_school("first");
  auto second = make_school("second");
  write([id = second.id](Session& s) {
    delete_school(s, id);
    return Done{};
  });
  auto third = make_school("third");
  EXPECT_GT(third.id, second.id);
}

TEST_P(SchoolsRepository, DeleteCascadesToEverythingOfThatSchoolOnly) {
  auto doomed = make_school("doomed");
  auto kept = make_school("kept");
  auto doomed_user = make_user(doomed.id, "D");
  auto kept_user = make_user(kept.id, "K");
  write([&](Session& s) {
    for (const auto& user : {doomed_user, kept_user}) {
      domain::Attendance a;
      a.user_id = user.id;
      a.school_id = user.school_id;
      a.timestamp = sql::timestamp_of_micros(1'780'000'000'000'000);
      a.temperature = 36.6;
      insert_attendance(s, a);
      upsert_closure(s, domain::Closure{user.school_id, day(2026, 12, 25), "Christmas"});
      domain::ApiToken token;
      token.name = "kiosk";
      token.role = domain::Role::device;
      token.school_id = user.school_id;
      insert_token(s, token, "hash-" + std::to_string(user.school_id));
    }
    return Done{};
  });
  EXPECT_EQ(read([&](Session& s) { return count_users_of_school(s, doomed.id); }), 1);

  write([id = doomed.id](Session& s) {
    delete_school(s, id);
    return Done{};
  });

  read([&](Session& s) {
    EXPECT_FALSE(find_school(s, doomed.id));
    EXPECT_FALSE(find_user(s, doomed_user.id));
    EXPECT_EQ(count_users_of_school(s, doomed.id), 0);
    EXPECT_EQ(count_attendances_of_user(s, doomed_user.id), 0);
    EXPECT_TRUE(list_closures(s, doomed.id, std::nullopt, std::nullopt).empty());
    EXPECT_FALSE(find_active_token_by_hash(s, "hash-" + std::to_string(doomed.id)));

    EXPECT_TRUE(find_school(s, kept.id));
    EXPECT_EQ(count_attendances_of_user(s, kept_user.id), 1);
    EXPECT_EQ(list_closures(s, kept.id, std::nullopt, std::nullopt).size(), 1u);
    EXPECT_TRUE(find_active_token_by_hash(s, "hash-" + std::to_string(kept.id)));
    return Done{};
  });
}

TEST_P(SchoolsRepository, ClosuresUpsertListByRangeAndDelete) {
  auto school = make_school();
  write([id = school.id](Session& s) {
    upsert_closure(s, domain::Closure{id, day(2026, 12, 24), "Eve"});
    upsert_closure(s, domain::Closure{id, day(2026, 4, 3), "Easter"});
    upsert_closure(s, domain::Closure{id, day(2026, 12, 25), "Xmas"});
    upsert_closure(s, domain::Closure{id, day(2026, 12, 25), "Christmas"});  // replaces the reason
    return Done{};
  });
  auto all = read([id = school.id](Session& s) { return list_closures(s, id, std::nullopt, std::nullopt); });
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].date, day(2026, 4, 3));
  EXPECT_EQ(all[1].date, day(2026, 12, 24));
  EXPECT_EQ(all[2].date, day(2026, 12, 25));
  EXPECT_EQ(all[2].reason, "Christmas");
  EXPECT_EQ(all[2].school_id, school.id);

  auto december = read([id = school.id](Session& s) {
    return list_closures(s, id, day(2026, 12, 1), day(2026, 12, 24));  // both bounds inclusive
  });
  ASSERT_EQ(december.size(), 1u);
  EXPECT_EQ(december[0].reason, "Eve");
  auto from_only = read([id = school.id](Session& s) { return list_closures(s, id, day(2026, 12, 25), std::nullopt); });
  ASSERT_EQ(from_only.size(), 1u);
  auto to_only = read([id = school.id](Session& s) { return list_closures(s, id, std::nullopt, day(2026, 5, 1)); });
  ASSERT_EQ(to_only.size(), 1u);
  EXPECT_EQ(to_only[0].reason, "Easter");

  EXPECT_TRUE(write([id = school.id](Session& s) { return delete_closure(s, id, day(2026, 4, 3)); }));
  EXPECT_FALSE(write([id = school.id](Session& s) { return delete_closure(s, id, day(2026, 4, 3)); }));
  EXPECT_EQ(read([id = school.id](Session& s) { return list_closures(s, id, std::nullopt, std::nullopt); }).size(), 2u);
}

ATTENDANCE_STORAGE_BACKENDS(SchoolsRepository);

}  // namespace
}  // namespace attendance::storage
