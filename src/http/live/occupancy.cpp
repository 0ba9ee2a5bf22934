#include "http/live/occupancy.hpp"

#include <string>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include "domain/time.hpp"
#include "storage/database.hpp"
#include "storage/repositories.hpp"

namespace attendance::http::live {

Occupancy::Occupancy(storage::Database& db, Hub& hub, boost::asio::any_io_executor executor, Clock clock)
    : db_(db), hub_(hub), executor_(std::move(executor)), clock_(std::move(clock)) {}

void Occupancy::refresh(domain::Id school_id, const std::string& timezone) {
  if (!hub_.has_subscribers(school_id)) return;
  {
    std::lock_guard lock(mutex_);
    auto& state = schools_[school_id];
    state.timezone = timezone;
    state.dirty = true;
    if (state.running) return;  // the running recount will go round once more
    state.running = true;
  }
  boost::asio::co_spawn(executor_, recount(this, school_id), boost::asio::detached);
}

void Occupancy::refresh_all() {
  std::vector<std::pair<domain::Id, std::string>> known;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [school_id, state] : schools_) known.emplace_back(school_id, state.timezone);
  }
  for (const auto& [school_id, timezone] : known) refresh(school_id, timezone);
}

boost::asio::awaitable<std::int64_t> Occupancy::count(domain::School school) {
  const auto* zone = domain::find_time_zone(school.timezone);
  auto now = clock_();
  auto day = domain::local_day_bounds(zone, domain::local_date_of(zone, now));
  auto pending = db_.read([id = school.id, begin = day.begin, now](storage::Session& s) {
    return storage::count_checked_in(s, id, begin, now);
  });
  co_return co_await std::move(pending);
}

boost::asio::awaitable<void> Occupancy::recount(Occupancy* self, domain::Id school_id) {
  for (;;) {
    domain::School school;  // count() reads only its id and time zone
    school.id = school_id;
    {
      std::lock_guard lock(self->mutex_);
      auto& state = self->schools_[school_id];
      if (!state.dirty) {
        state.running = false;
        co_return;
      }
      state.dirty = false;
      school.timezone = state.timezone;
    }
    std::optional<std::int64_t> counted;
    const auto counted_at = self->clock_();
    try {
      counted = co_await self->count(school);
    } catch (const std::exception& error) {
      spdlog::warn("occupancy of school {} not recounted: {}", school.id, error.what());
    }
    if (counted) {
      self->hub_.publish_occupancy(school.id, *counted);
      self->recount_at_midnight(school.id, school.timezone, counted_at);
    }
  }
}

void Occupancy::recount_at_midnight(domain::Id school_id, const std::string& timezone, domain::Timestamp counted_at) {
  const auto* zone = domain::find_time_zone(timezone);
  const auto midnight = domain::local_day_bounds(zone, domain::local_date_of(zone, counted_at)).end;
  std::lock_guard lock(mutex_);
  auto& state = schools_[school_id];
  if (state.armed && state.midnight_at == midnight) return;  // already waiting for this midnight
  if (!state.midnight) state.midnight = std::make_unique<boost::asio::steady_timer>(executor_);
  state.midnight_at = midnight;
  state.armed = true;
  state.midnight->expires_after(std::max(midnight - clock_(), domain::Timestamp::duration::zero()));
  state.midnight->async_wait([this, school_id](const boost::system::error_code& error) {
    if (error) return;  // cancelled: re-armed for another day, or shutting down
    std::string zone_name;
    {
      std::lock_guard fired_lock(mutex_);
      auto& fired = schools_[school_id];
      fired.armed = false;
      zone_name = fired.timezone;
    }
    // Nothing when nobody watches the school any more. Fired a little early (the steady clock
    // drifts from the wall clock), the recount still sees the old day and arms the timer again.
    refresh(school_id, zone_name);
  });
}

}  // namespace attendance::http::live
