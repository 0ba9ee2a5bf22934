#include "http/live/occupancy.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include "domain/time.hpp"
#include "storage/database.hpp"
#include "storage/repositories.hpp"

namespace attendance::http::live {

void Occupancy::refresh(const domain::School& school) {
  if (!hub_.has_subscribers(school.id)) return;
  {
    std::lock_guard lock(mutex_);
    auto& state = schools_[school.id];
    state.dirty = true;
    if (state.running) return;  // the running recount will go round once more
    state.running = true;
  }
  boost::asio::co_spawn(executor_, recount(this, school), boost::asio::detached);
}

boost::asio::awaitable<std::int64_t> Occupancy::count(domain::School school) {
  const auto* zone = domain::find_time_zone(school.timezone);
  auto now = domain::now();
  auto day = domain::local_day_bounds(zone, domain::local_date_of(zone, now));
  auto pending = db_.read([id = school.id, begin = day.begin, now](storage::Session& s) {
    return storage::count_checked_in(s, id, begin, now);
  });
  co_return co_await std::move(pending);
}

boost::asio::awaitable<void> Occupancy::recount(Occupancy* self, domain::School school) {
  for (;;) {
    {
      std::lock_guard lock(self->mutex_);
      auto& state = self->schools_[school.id];
      if (!state.dirty) {
        state.running = false;
        co_return;
      }
      state.dirty = false;
    }
    std::optional<std::int64_t> counted;
    try {
      counted = co_await self->count(school);
    } catch (const std::exception& error) {
      spdlog::warn("occupancy of school {} not recounted: {}", school.id, error.what());
    }
    if (counted) self->hub_.publish_occupancy(school.id, *counted);
  }
}

}  // namespace attendance::http::live
