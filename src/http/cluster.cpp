#include "http/cluster.hpp"

#include <spdlog/spdlog.h>

#include "http/changes.hpp"

namespace attendance::http {

namespace {

storage::NotificationChannelOptions channel_options(const std::string& database_url) {
  storage::NotificationChannelOptions options;
  options.url = database_url;
  options.channel = std::string(Cluster::kChannel);
  options.application_name = std::string(Cluster::kApplicationName);
  return options;
}

}  // namespace

Cluster::Cluster(AppContext& app, const std::string& database_url)
    : app_(app),
      origin_(new_origin()),
      channel_(
          channel_options(database_url), [this](std::string_view payload) { on_payload(payload); },
          [this](storage::NotificationChannel::Gap gap) { on_gap(gap); }) {}

void Cluster::announce(const Notice& notice) { channel_.publish(encode_notice(notice, origin_)); }

Cluster::Stats Cluster::stats() const {
  const auto channel = channel_.stats();
  return Stats{channel.sent, channel.received, applied_.load(), own_.load(), undecodable_.load(),
               channel.reconnects, channel.dropped};
}

void Cluster::on_payload(std::string_view payload) {
  auto decoded = decode_notice(payload);
  if (!decoded) {
    // A notice this process can't read (a newer version, in a rolling upgrade) is a change it
    // can't place: everything derived may be stale.
    ++undecodable_;
    spdlog::warn("cluster: unreadable notice ({} bytes); dropping every cached result", payload.size());
    apply_notice(app_, ResetNotice{});
    return;
  }
  if (decoded->origin == origin_) {
    ++own_;  // applied when it was announced
    return;
  }
  ++applied_;
  apply_notice(app_, decoded->notice);
}

void Cluster::on_gap(storage::NotificationChannel::Gap gap) {
  using Gap = storage::NotificationChannel::Gap;
  if (gap != Gap::dropped_outgoing) {
    // What the others announced before this connection listened is lost: results cached
    // before the first LISTEN, or while the connection was down.
    apply_notice(app_, ResetNotice{});
  }
  // The others may hold results of writes we never told them of: announcements in flight when
  // the connection dropped or discarded from an overflowing queue, or those a previous run of
  // this process committed and died before sending.
  announce(ResetNotice{});
}

}  // namespace attendance::http
