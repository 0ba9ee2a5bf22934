// "Checked in now" at a school's local midnight: a check-in left open doesn't carry over, so a
// watched school is counted again when its day ends, with no event to prompt it. The clock is
// moved to just before a midnight; the wait is the real remainder of that day (a few hundred ms).

#include "http/live/occupancy.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "storage/database.hpp"
#include "storage/repositories.hpp"

namespace attendance::http::live {
namespace {

using namespace std::chrono_literals;
using namespace date::literals;

// The occupancy counts published to the subscription so far.
std::vector<std::int64_t> counts_received(Subscription& subscription) {
  std::vector<std::int64_t> counts;
  for (;;) {
    bool got = subscription.channel().try_receive([&](boost::system::error_code error, std::string message) {
      if (error) return;
      const auto data = message.substr(message.find("data: ") + 6);
      counts.push_back(boost::json::parse(data).at("checked_in_now").as_int64());
    });
    if (!got) return counts;
  }
}

TEST(Occupancy, AWatchedSchoolIsCountedAgainAtItsLocalMidnight) {
  auto& db = testing::scratch_database();
  const domain::LocalDate day{2026_y / 11 / 27};
  const auto midnight = domain::Timestamp{date::sys_days{2026_y / 11 / 28}};
  const auto school = db.write_now([&](storage::Session& s) {
    domain::School fresh;
    fresh.name = "Midnight School";
    fresh.timezone = "UTC";
    auto stored = storage::insert_school(s, fresh);
    domain::User user;
    user.name = "Night Owl";
    user.school_id = stored.id;
    user.enrolled_on = day - date::days{30};
    user = storage::insert_user(s, user);
    domain::Attendance checkin;
    checkin.user_id = user.id;
    checkin.school_id = stored.id;
    checkin.type = domain::EventType::checkin;
    checkin.temperature = 36.6;
    checkin.timestamp = midnight - 16h;  // 08:00, left open
    checkin.inserted_at = checkin.timestamp;
    storage::insert_attendance(s, checkin);
    return stored;
  });

  // "Now" runs at the real pace, starting 300 ms before that midnight.
  const auto offset = (midnight - 300ms) - domain::now();
  boost::asio::io_context io;
  auto keep_running = boost::asio::make_work_guard(io);  // between the database's answers
  Hub hub;
  auto watching = hub.subscribe(io.get_executor(), school.id, 1);
  Occupancy occupancy(db, hub, io.get_executor(), [offset] { return domain::now() + offset; });
  occupancy.refresh(school);

  std::vector<std::int64_t> counts;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (counts.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    io.run_for(20ms);
    auto more = counts_received(*watching);
    counts.insert(counts.end(), more.begin(), more.end());
  }
  EXPECT_EQ(counts, (std::vector<std::int64_t>{1, 0})) << "checked in before midnight, none after";
  hub.unsubscribe(watching);
}

}  // namespace
}  // namespace attendance::http::live
