#pragma once
// "Checked in now" for live dashboards: recounted from the database after a school's events
// change, and published as an `occupancy` event to each stream that last heard another number
// (Hub::publish_occupancy). Bursts of check-ins (the
// morning rush) coalesce into one recount at a time per school, and schools nobody watches are
// never counted.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "domain/types.hpp"
#include "http/live/hub.hpp"

namespace attendance::storage {
class Database;
}

namespace attendance::http::live {

class Occupancy {
 public:
  Occupancy(storage::Database& db, Hub& hub, boost::asio::any_io_executor executor)
      : db_(db), hub_(hub), executor_(std::move(executor)) {}

  // Schedules a recount of the school (if anyone watches it); returns at once.
  void refresh(const domain::School& school) { refresh(school.id, school.timezone); }
  // The same, from what a notice of another process says of the school.
  void refresh(domain::Id school_id, const std::string& timezone);
  // Recounts every school refreshed before that someone still watches (after notices may have
  // been missed).
  void refresh_all();


  // The count right now, straight from the database.
  boost::asio::awaitable<std::int64_t> count(domain::School school);

 private:
  struct State {
    bool running = false;
    bool dirty = false;
    std::string timezone;  // as of the last refresh: "today" is counted in it
  };
  static boost::asio::awaitable<void> recount(Occupancy* self, domain::Id school_id);

  storage::Database& db_;
  Hub& hub_;
  boost::asio::any_io_executor executor_;
  std::mutex mutex_;
  std::map<domain::Id, State> schools_;
};

}  // namespace attendance::http::live
