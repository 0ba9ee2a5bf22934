#include <map>
#include <vector>

#include <gtest/gtest.h>

#include "domain/result.hpp"
#include "storage/sql.hpp"
#include "storage/storage_support.hpp"

namespace attendance::storage {
namespace {

using domain::Attendance;
using domain::Done;
using domain::EventType;
using testing::StorageTest;

// An instant with an odd microsecond part, to catch any rounding on the way through SQL.
constexpr long long kBase = 1'780'000'000'123'457;
constexpr long long kMinute = 60'000'000;

class AttendancesRepository : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    school_ = make_school("A");
    other_school_ = make_school("B");
    ada_ = make_user(school_.id, "Ada");
    bob_ = make_user(school_.id, "Bob");
    eve_ = make_user(other_school_.id, "Eve");
  }

  Attendance event(const domain::User& user, long long micros, EventType type,
                   std::optional<std::string> client_id = {}, std::optional<std::string> image = {}) {
    Attendance a;
    a.user_id = user.id;
    a.school_id = user.school_id;
    a.timestamp = sql::timestamp_of_micros(micros);
    a.type = type;
    a.temperature = 36.65;
    a.client_id = std::move(client_id);
    a.image_hash = std::move(image);
    return write([a](Session& s) { return insert_attendance(s, a); });
  }

  domain::School school_, other_school_;
  domain::User ada_, bob_, eve_;
};

TEST_P(AttendancesRepository, InsertRoundTripsEveryFieldToTheMicrosecond) {
  const auto before = sql::now();
  auto stored = event(ada_, kBase, EventType::checkout, "client-1", "abc123");
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.user_id, ada_.id);
  EXPECT_EQ(stored.school_id, school_.id);
  EXPECT_EQ(sql::micros_of(stored.timestamp), kBase);
  EXPECT_EQ(stored.type, EventType::checkout);
  EXPECT_DOUBLE_EQ(stored.temperature, 36.65);
  EXPECT_EQ(stored.client_id, std::optional<std::string>("client-1"));
  EXPECT_EQ(stored.image_hash, std::optional<std::string>("abc123"));
  EXPECT_GE(stored.inserted_at, before);

  auto plain = event(bob_, kBase, EventType::checkin);
  EXPECT_FALSE(plain.client_id);
  EXPECT_FALSE(plain.image_hash);
  auto found = read([id = plain.id](Session& s) { return find_attendance(s, id); });
  ASSERT_TRUE(found);
  EXPECT_EQ(sql::micros_of(found->timestamp), kBase);
  EXPECT_FALSE(read([](Session& s) { return find_attendance(s, 987654); }));
}

TEST_P(AttendancesRepository, InstantsBeforeTheEpochAndFarAheadSurvive) {
  EXPECT_EQ(sql::micros_of(event(ada_, -1'234'567, EventType::checkin).timestamp), -1'234'567);
  const long long far = 4'102'444'799'999'999;  // 2099-12-31T23:59:59.999999Z
  EXPECT_EQ(sql::micros_of(event(bob_, far, EventType::checkin).timestamp), far);
}

TEST_P(AttendancesRepository, ClientIdFindsTheEventAndIsUniquePerUser) {
  auto first = event(ada_, kBase, EventType::checkin, "retry-me");
  // A window that holds none of the events: the client_id match comes on its own.
  const auto far_from = sql::timestamp_of_micros(kBase + 100 * kMinute);
  const auto far_to = sql::timestamp_of_micros(kBase + 200 * kMinute);
  auto match_of = [&](const domain::User& user) {
    auto rows = read([&](Session& s) { return events_around(s, {{user.id, far_from, far_to, std::string("retry-me")}}); });
    return recent_events_among(rows, far_from, far_to, std::string("retry-me")).same_client_id;
  };
  auto found = match_of(ada_);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, first.id);
  EXPECT_FALSE(match_of(bob_));
  EXPECT_ANY_THROW(event(ada_, kBase + kMinute, EventType::checkout, "retry-me"));
  event(bob_, kBase, EventType::checkin, "retry-me");  // another user may use the same client id
  event(ada_, kBase + 2 * kMinute, EventType::checkout);  // and null client ids never collide
  event(ada_, kBase + 3 * kMinute, EventType::checkin);
}

TEST_P(AttendancesRepository, LatestIsByTimestampNotByInsertOrder) {
  const auto from = sql::timestamp_of_micros(kBase + 100 * kMinute);
  const auto to = sql::timestamp_of_micros(kBase + 200 * kMinute);
  auto latest_of_ada = [&] {
    auto rows = read([&](Session& s) { return events_around(s, {{ada_.id, from, to, std::nullopt}}); });
    return recent_events_among(rows, from, to, std::nullopt).latest;
  };
  EXPECT_FALSE(latest_of_ada());
  auto late = event(ada_, kBase + 10 * kMinute, EventType::checkout);
  event(ada_, kBase, EventType::checkin);  // sent later by an offline client
  event(bob_, kBase + 20 * kMinute, EventType::checkin);
  auto latest = latest_of_ada();
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->id, late.id);
}

TEST_P(AttendancesRepository, BetweenIsHalfOpenAndOrdered) {
  auto a3 = event(ada_, kBase + 3 * kMinute, EventType::checkout);
  auto a1 = event(ada_, kBase + 1 * kMinute, EventType::checkin);
  auto b2 = event(bob_, kBase + 2 * kMinute, EventType::checkin);
  auto a5 = event(ada_, kBase + 5 * kMinute, EventType::checkin);  // exactly at `to`: excluded
  event(eve_, kBase + 2 * kMinute, EventType::checkin);           // other school
  const auto from = sql::timestamp_of_micros(kBase + 1 * kMinute);
  const auto to = sql::timestamp_of_micros(kBase + 5 * kMinute);

  auto of_ada = read([&](Session& s) { return attendances_of_user_between(s, ada_.id, from, to); });
  ASSERT_EQ(of_ada.size(), 2u);
  EXPECT_EQ(of_ada[0].id, a1.id);
  EXPECT_EQ(of_ada[1].id, a3.id);

  auto of_school = read([&](Session& s) { return attendances_of_school_between(s, school_.id, from, to); });
  ASSERT_EQ(of_school.size(), 3u);
  // Ordered by user, then time.
  const bool ada_first = ada_.id < bob_.id;
  EXPECT_EQ(of_school[ada_first ? 0 : 1].id, a1.id);
  EXPECT_EQ(of_school[ada_first ? 1 : 2].id, a3.id);
  EXPECT_EQ(of_school[ada_first ? 2 : 0].id, b2.id);
  (void)a5;
}

TEST_P(AttendancesRepository, EventsAroundManyRecordingsComeFromOneQueryOncePerRow) {
  auto a_old = event(ada_, kBase - 60 * kMinute, EventType::checkin, "ada-old");  // before both windows
  auto a1 = event(ada_, kBase + 1 * kMinute, EventType::checkin);
  auto a2 = event(ada_, kBase + 2 * kMinute, EventType::checkout);
  auto b_late = event(bob_, kBase + 90 * kMinute, EventType::checkin);  // after Bob's window: latest
  event(eve_, kBase + 1 * kMinute, EventType::checkin);                 // asked by nobody
  const auto t = [](long long m) { return sql::timestamp_of_micros(kBase + m * kMinute); };

  std::vector<RecentQuery> queries{{ada_.id, t(0), t(10), std::string("ada-old")},
                                   {ada_.id, t(1), t(3), std::nullopt},  // overlaps the first: rows once
                                   {bob_.id, t(0), t(10), std::string("none")}};
  auto rows = read([&](Session& s) { return events_around(s, queries); });
  std::vector<Id> ids;
  for (const auto& row : rows) ids.push_back(row.id);
  const bool ada_first = ada_.id < bob_.id;
  const std::vector<Id> of_ada{a_old.id, a1.id, a2.id}, of_bob{b_late.id};
  std::vector<Id> expected = ada_first ? of_ada : of_bob;
  expected.insert(expected.end(), (ada_first ? of_bob : of_ada).begin(), (ada_first ? of_bob : of_ada).end());
  EXPECT_EQ(ids, expected) << "ordered by user, then time; the client_id match and the latest included";

  std::vector<Attendance> ada_rows(rows.begin() + (ada_first ? 0 : 1), rows.begin() + (ada_first ? 3 : 4));
  auto recent = recent_events_among(ada_rows, t(0), t(10), std::string("ada-old"));
  ASSERT_TRUE(recent.same_client_id);
  EXPECT_EQ(recent.same_client_id->id, a_old.id);
  ASSERT_TRUE(recent.latest);
  EXPECT_EQ(recent.latest->id, a2.id);
  ASSERT_EQ(recent.between.size(), 2u);
  EXPECT_EQ(recent.between[0].id, a1.id);
  EXPECT_TRUE(read([](Session& s) { return events_around(s, {}); }).empty());
}

TEST_P(AttendancesRepository, InsertsOfOneJobKeepTheirOrderAndEveryFieldAsAnswered) {
  std::vector<Attendance> rows;
  for (int i = 0; i < 5; ++i) {
    Attendance a;
    a.user_id = (i % 2 ? bob_ : ada_).id;
    a.school_id = school_.id;
    a.timestamp = sql::timestamp_of_micros(kBase + i * kMinute);
    a.type = i % 2 ? EventType::checkout : EventType::checkin;
    a.temperature = 36.0 + i * 0.25;
    if (i != 3) a.client_id = "many-" + std::to_string(i);  // one without, to store a null
    rows.push_back(a);
  }
  auto stored = write([rows](Session& s) {
    AttendanceInserts inserts(s, rows.size() + 2);  // two announced but never added: a gap, no harm
    std::vector<Attendance> answered;
    for (const auto& row : rows) answered.push_back(inserts.add(row));
    inserts.flush();
    return answered;
  });
  ASSERT_EQ(stored.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i) {
      EXPECT_GT(stored[i].id, stored[i - 1].id) << "ids follow the order of the rows";
    }
    auto found = read([id = stored[i].id](Session& s) { return find_attendance(s, id); });
    ASSERT_TRUE(found) << i;
    EXPECT_EQ(found->user_id, rows[i].user_id);
    EXPECT_EQ(found->timestamp, rows[i].timestamp);
    EXPECT_EQ(found->type, rows[i].type);
    EXPECT_DOUBLE_EQ(found->temperature, rows[i].temperature);
    EXPECT_EQ(found->client_id, rows[i].client_id);
    EXPECT_FALSE(found->image_hash);
    EXPECT_EQ(found->inserted_at, stored[i].inserted_at);
  }
  EXPECT_ANY_THROW(write([&](Session& s) {
    AttendanceInserts inserts(s, 1);
    inserts.add(rows[0]);
    return inserts.add(rows[1]);  // more rows than announced
  }));
  auto after = event(ada_, kBase + 10 * kMinute, EventType::checkin);
  EXPECT_GT(after.id, stored.back().id) << "a single insert after them continues the sequence";
}

TEST_P(AttendancesRepository, LookupsOfManyIdsAnswerTheOnesThatExistWithTheirThreshold) {
  auto a = event(ada_, kBase, EventType::checkin);
  auto e = event(eve_, kBase, EventType::checkin);
  auto found = read([&](Session& s) { return find_attendances_with_fever_thresholds(s, {e.id, 987654, a.id}); });
  ASSERT_EQ(found.size(), 2u);
  std::map<Id, double> thresholds;
  for (const auto& [event, threshold] : found) thresholds[event.id] = threshold;
  EXPECT_EQ(thresholds.count(a.id), 1u);
  EXPECT_EQ(thresholds.count(e.id), 1u);
  EXPECT_DOUBLE_EQ(thresholds[a.id], school_.fever_threshold);

  auto users = read([&](Session& s) { return find_users_with_schools_for_update(s, {eve_.id, 987654, ada_.id}); });
  ASSERT_EQ(users.size(), 2u);
  EXPECT_LT(users[0].user.id, users[1].user.id) << "locked in id order";
  for (const auto& [user, school] : users) EXPECT_EQ(school.id, user.school_id);
}

TEST_P(AttendancesRepository, ListAppliesEveryFilterAndPagesById) {
  auto a1 = event(ada_, kBase, EventType::checkin);
  auto b1 = event(bob_, kBase + kMinute, EventType::checkin);
  auto a2 = event(ada_, kBase + 2 * kMinute, EventType::checkout);
  auto e1 = event(eve_, kBase + 3 * kMinute, EventType::checkin);
  auto b2 = event(bob_, kBase + 4 * kMinute, EventType::checkout);

  auto ids = [](const std::vector<Attendance>& list) {
    std::vector<Id> out;
    for (const auto& a : list) out.push_back(a.id);
    return out;
  };
  auto list = [&](AttendanceFilter filter, Page page = {}) {
    return ids(read([filter, page](Session& s) { return list_attendances(s, filter, page); }));
  };

  auto at = [](long long micros) { return std::optional<Timestamp>(sql::timestamp_of_micros(micros)); };
  AttendanceFilter all, of_school, of_other, of_bob, checkouts, in_range, combined;
  of_school.school_id = school_.id;
  of_other.school_id = other_school_.id;
  of_bob.user_id = bob_.id;
  checkouts.type = EventType::checkout;
  in_range.from = at(kBase + kMinute);
  in_range.to = at(kBase + 3 * kMinute);
  combined.school_id = school_.id;
  combined.type = EventType::checkin;
  combined.from = at(kBase + 1);

  EXPECT_EQ(list(all), (std::vector<Id>{a1.id, b1.id, a2.id, e1.id, b2.id}));
  EXPECT_EQ(list(of_school), (std::vector<Id>{a1.id, b1.id, a2.id, b2.id}));
  EXPECT_EQ(list(of_other), (std::vector<Id>{e1.id}));
  EXPECT_EQ(list(of_bob), (std::vector<Id>{b1.id, b2.id}));
  EXPECT_EQ(list(checkouts), (std::vector<Id>{a2.id, b2.id}));
  EXPECT_EQ(list(in_range), (std::vector<Id>{b1.id, a2.id, e1.id}));  // both bounds inclusive
  EXPECT_EQ(list(combined), (std::vector<Id>{b1.id}));
  EXPECT_EQ(list(of_school, Page{std::nullopt, 2}), (std::vector<Id>{a1.id, b1.id}));
  EXPECT_EQ(list(of_school, Page{b1.id, 2}), (std::vector<Id>{a2.id, b2.id}));
  EXPECT_TRUE(list(of_school, Page{b2.id, 2}).empty());
}

TEST_P(AttendancesRepository, PagesReadTogetherEachGetTheirOwnRowsAndMayQueryBetween) {
  auto a1 = event(ada_, kBase, EventType::checkin);
  auto e1 = event(eve_, kBase + kMinute, EventType::checkin);
  auto a2 = event(ada_, kBase + 2 * kMinute, EventType::checkout);
  AttendanceFilter of_school, of_other, none;
  of_school.school_id = school_.id;
  of_other.school_id = other_school_.id;
  none.user_id = 987654;
  const std::vector<AttendancePage> pages{{of_school, Page{std::nullopt, kDefaultPageFetch}},
                                          {of_other, Page{std::nullopt, 5}},
                                          {none, Page{std::nullopt, kDefaultPageFetch}},
                                          {AttendanceFilter{}, Page{a1.id, 1}}};
  const auto listed = read([&pages](Session& s) {
    std::vector<std::vector<Id>> out(pages.size());
    std::vector<domain::Attendance> rows;
    fetch_attendance_pages(s, pages, rows, [&](std::size_t page, std::size_t count) {
      for (std::size_t i = 0; i < count; ++i) out[page].push_back(rows[i].id);
      EXPECT_TRUE(find_school(s, rows.empty() ? 1 : rows[0].school_id)) << "a query between pages";
    });
    return out;
  });
  EXPECT_EQ(listed, (std::vector<std::vector<Id>>{{a1.id, a2.id}, {e1.id}, {}, {e1.id}}));
}

TEST_P(AttendancesRepository, DefaultPagesKeepOnePlanOnPostgresql) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "SQLite plans a statement once when it prepares it";
  event(ada_, kBase, EventType::checkin);
  const auto generic_plans = read([](Session& s) {
    const Page page{std::nullopt, kDefaultPageFetch};
    for (int run = 0; run < 8; ++run) {
      list_attendances(s, AttendanceFilter{}, page);
      list_users(s, UserFilter{}, page);  // every list ends its statement the same way
    }
    auto plans_of = [&s](const char* table) {
      return sql::fetch_integer(s,
                                "SELECT CAST(COALESCE(MAX(generic_plans), 0) AS bigint) FROM pg_prepared_statements"
                                " WHERE statement LIKE :pattern",
                                {sql::Param::of("%FROM " + std::string(table) + " WHERE%LIMIT 101")});
    };
    return std::pair(plans_of("attendances"), plans_of("users"));
  });
  // PostgreSQL makes custom plans for a statement's first five runs, then keeps the generic one.
  EXPECT_GE(generic_plans.first, 3);
  EXPECT_GE(generic_plans.second, 3);
}

TEST_P(AttendancesRepository, DeleteRemovesOnlyThatEvent) {
  auto keep = event(ada_, kBase, EventType::checkin);
  auto drop = event(ada_, kBase + kMinute, EventType::checkout);
  write([id = drop.id](Session& s) {
    delete_attendance(s, id);
    return Done{};
  });
  EXPECT_FALSE(read([id = drop.id](Session& s) { return find_attendance(s, id); }));
  EXPECT_TRUE(read([id = keep.id](Session& s) { return find_attendance(s, id); }));
}

TEST_P(AttendancesRepository, TypeOutsideTheEnumIsRefusedByTheSchema) {
  EXPECT_ANY_THROW(write([&](Session& s) {
    sql::execute(s,
                 "INSERT INTO attendances (user_id, school_id, \"timestamp\", type, temperature, inserted_at)"
                 " VALUES (:u, :sc, @at(:t), 'lunch', 36.6, @at(:i))",
                 {sql::Param::of(static_cast<long long>(ada_.id)), sql::Param::of(static_cast<long long>(school_.id)),
                  sql::Param::of(kBase), sql::Param::of(kBase)});
    return Done{};
  }));
}

ATTENDANCE_STORAGE_BACKENDS(AttendancesRepository);

}  // namespace
}  // namespace attendance::storage
