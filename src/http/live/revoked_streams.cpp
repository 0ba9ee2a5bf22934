#include "http/live/revoked_streams.hpp"

#include <algorithm>
#include <exception>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include "http/live/hub.hpp"
#include "storage/database.hpp"
#include "storage/repositories.hpp"

namespace attendance::http::live {

void RevokedStreams::check() {
  if (hub_.open_streams() == 0) return;
  boost::asio::co_spawn(executor_, end_revoked(this), boost::asio::detached);
}

boost::asio::awaitable<void> RevokedStreams::end_revoked(RevokedStreams* self) {
  auto tokens = self->hub_.stream_tokens();
  if (tokens.empty()) co_return;
  std::vector<domain::Id> active;
  try {
    auto pending = self->db_.read([tokens](storage::Session& s) { return storage::active_tokens_among(s, tokens); });
    active = co_await std::move(pending);
    std::sort(active.begin(), active.end());
  } catch (const std::exception& error) {
    // The database is away: the streams stay until the next tokens notice, or the reset that
    // follows a reconnection, checks them again.
    spdlog::warn("the tokens of open streams were not checked: {}", error.what());
    co_return;
  }
  std::vector<domain::Id> revoked;
  std::set_difference(tokens.begin(), tokens.end(), active.begin(), active.end(), std::back_inserter(revoked));
  if (revoked.empty()) co_return;
  spdlog::info("ending the live streams of {} revoked token(s)", revoked.size());
  self->hub_.close_streams_of(revoked);
}

}  // namespace attendance::http::live
