#pragma once
// "Checked in now" for live dashboards: recounted from the database after a school's events
// change, and published as an `occupancy` event to each stream that last heard another number
// (Hub::publish_occupancy). Bursts of check-ins (the
// morning rush) coalesce into one recount at a time per school, and schools nobody watches are
// never counted. A watched school is counted again at its local midnight too: check-ins left open
// don't carry over (DESIGN.md section 4), so the count drops with no event to say so.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include "domain/time.hpp"
#include "domain/types.hpp"
#include "http/live/hub.hpp"

namespace attendance::storage {
class Database;
}

namespace attendance::http::live {

class Occupancy {
 public:
  using Clock = std::function<domain::Timestamp()>;

  // `clock`: what "now" is, for the count and for each school's next midnight (tests move it).
  // The recounts and midnight timers it starts hold `this`: it goes only once the executor
  // runs no more (after the server's run()).
  Occupancy(storage::Database& db, Hub& hub, boost::asio::any_io_executor executor, Clock clock = domain::now);

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
    std::unique_ptr<boost::asio::steady_timer> midnight;  // armed for the local day counted last
    domain::Timestamp midnight_at{};
    bool armed = false;  // the timer waits for midnight_at
  };
  static boost::asio::awaitable<void> recount(Occupancy* self, domain::Id school_id);
  // Arms the school's timer for the end of its local day as of `counted_at` (once per day).
  void recount_at_midnight(domain::Id school_id, const std::string& timezone, domain::Timestamp counted_at);

  storage::Database& db_;
  Hub& hub_;
  boost::asio::any_io_executor executor_;
  Clock clock_;
  std::mutex mutex_;
  std::map<domain::Id, State> schools_;
};

}  // namespace attendance::http::live
