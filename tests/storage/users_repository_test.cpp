#include <gtest/gtest.h>

#include "domain/result.hpp"
#include "storage/sql.hpp"
#include "storage/storage_support.hpp"

namespace attendance::storage {
namespace {

using domain::Done;
using testing::StorageTest;

class UsersRepository : public StorageTest {};

TEST_P(UsersRepository, InsertRoundTripsEveryField) {
  auto school = make_school();
  domain::User user;
  user.school_id = school.id;
  user.name = "Grace Hopper";
  user.external_id = "CARD-0042";
  user.enrolled_on = date::local_days{date::year{2025} / 9 / 1};
  auto stored = write([user](Session& s) { return insert_user(s, user); });
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.school_id, school.id);
  EXPECT_EQ(stored.name, "Grace Hopper");
  EXPECT_EQ(stored.external_id, std::optional<std::string>("CARD-0042"));
  EXPECT_EQ(stored.enrolled_on, user.enrolled_on);
  EXPECT_GT(stored.inserted_at.time_since_epoch().count(), 0);

  auto by_card = read([&](Session& s) { return find_user_by_external_id(s, school.id, "CARD-0042"); });
  ASSERT_TRUE(by_card);
  EXPECT_EQ(by_card->id, stored.id);
  EXPECT_FALSE(read([&](Session& s) { return find_user_by_external_id(s, school.id + 1, "CARD-0042"); }));
}

TEST_P(UsersRepository, ExternalIdIsOptionalAndUniqueWithinASchool) {
  auto a = make_school("A");
  auto b = make_school("B");
  auto no_card_1 = make_user(a.id, "one");
  auto no_card_2 = make_user(a.id, "two");  // several users without a card are fine
  EXPECT_FALSE(no_card_1.external_id);
  EXPECT_NE(no_card_1.id, no_card_2.id);
  make_user(a.id, "carded", "X1");
  make_user(b.id, "same card, other school", "X1");
  EXPECT_ANY_THROW(make_user(a.id, "duplicate", "X1"));
  EXPECT_EQ(read([&](Session& s) { return count_users_of_school(s, a.id); }), 3);
}

TEST_P(UsersRepository, UnknownSchoolIsRefusedByForeignKey) {
  EXPECT_ANY_THROW(make_user(777, "orphan"));
}

TEST_P(UsersRepository, ListFiltersBySchoolAndPagesById) {
  auto a = make_school("A");
  auto b = make_school("B");
  std::vector<Id> of_a;
  for (int i = 0; i < 4; ++i) {
    of_a.push_back(make_user(a.id, "a" + std::to_string(i)).id);
    make_user(b.id, "b" + std::to_string(i));
  }
  auto everyone = read([](Session& s) { return list_users(s, UserFilter{}, Page{}); });
  EXPECT_EQ(everyone.size(), 8u);
  auto page1 = read([&](Session& s) { return list_users(s, UserFilter{a.id}, Page{std::nullopt, 3}); });
  ASSERT_EQ(page1.size(), 3u);
  EXPECT_EQ(page1[0].id, of_a[0]);
  EXPECT_EQ(page1[2].id, of_a[2]);
  auto page2 = read([&](Session& s) { return list_users(s, UserFilter{a.id}, Page{page1.back().id, 3}); });
  ASSERT_EQ(page2.size(), 1u);
  EXPECT_EQ(page2[0].id, of_a[3]);
  for (const auto& user : page1) EXPECT_EQ(user.school_id, a.id);
}

TEST_P(UsersRepository, UpdateOverwritesAndCanClearExternalId) {
  auto school = make_school();
  auto user = make_user(school.id, "Before", "C1");
  user.name = "After";
  user.external_id.reset();
  user.enrolled_on = date::local_days{date::year{2026} / 2 / 1};
  auto updated = write([user](Session& s) { return update_user(s, user); });
  EXPECT_EQ(updated.name, "After");
  EXPECT_FALSE(updated.external_id);
  EXPECT_EQ(updated.enrolled_on, user.enrolled_on);
  EXPECT_GE(updated.updated_at, user.updated_at);
  EXPECT_EQ(updated.inserted_at, user.inserted_at);
}

TEST_P(UsersRepository, FindForUpdateReturnsTheUserInsideAWrite) {
  auto school = make_school();
  auto user = make_user(school.id);
  auto locked = write([id = user.id](Session& s) { return find_user_for_update(s, id); });
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->name, user.name);
  EXPECT_FALSE(write([](Session& s) { return find_user_for_update(s, 31337); }));
}

TEST_P(UsersRepository, DeleteTakesTheUsersAttendancesAlong) {
  auto school = make_school();
  auto gone = make_user(school.id, "gone");
  auto stays = make_user(school.id, "stays");
  write([&](Session& s) {
    for (const auto& user : {gone, stays}) {
      for (int i = 0; i < 2; ++i) {
        domain::Attendance a;
        a.user_id = user.id;
        a.school_id = school.id;
        a.timestamp = sql::timestamp_of_micros(1'780'000'000'000'000 + i * 1'000'000);
        a.type = i == 0 ? domain::EventType::checkin : domain::EventType::checkout;
        a.temperature = 36.6;
        insert_attendance(s, a);
      }
    }
    return Done{};
  });
  EXPECT_EQ(read([&](Session& s) { return count_attendances_of_user(s, gone.id); }), 2);
  write([&](Session& s) {
    delete_user(s, gone.id);
    return Done{};
  });
  EXPECT_FALSE(read([&](Session& s) { return find_user(s, gone.id); }));
  EXPECT_EQ(read([&](Session& s) { return count_attendances_of_user(s, gone.id); }), 0);
  EXPECT_EQ(read([&](Session& s) { return count_attendances_of_user(s, stays.id); }), 2);
}

ATTENDANCE_STORAGE_BACKENDS(UsersRepository);

}  // namespace
}  // namespace attendance::storage
