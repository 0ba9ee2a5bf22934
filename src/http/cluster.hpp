#pragma once
// Several server processes on one PostgreSQL database behave as one service: each change a
// process applies to itself (http/changes.hpp) is also announced to the others over
// LISTEN/NOTIFY, and theirs are applied here. Only on PostgreSQL; a SQLite server is alone.
//
// Announcements leave right after the write's commit (the handlers announce once the write
// returned), tagged with this process's origin; a process skips its own, which it already
// applied. After every gap in the conversation (first connection, reconnection, an overflowing
// queue) the process assumes the worst: it resets its own derived state when it may have missed
// notices, and tells the others to reset theirs when they may have missed its own. Left alone
// is a process that commits and dies before announcing, until it starts again; see
// docs/decisions.md.
//
//   http::Cluster cluster(context, config.database_url);
//   context.cluster = &cluster;
//   cluster.start(std::chrono::seconds(5));
//   ...
//   cluster.stop();   // after the server stopped: what is still queued is sent first

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/context.hpp"
#include "http/notices.hpp"
#include "storage/notifications.hpp"

namespace attendance::http {

class Cluster {
 public:
  // The channel every process of a deployment listens on; NOTIFY is scoped to the database.
  static constexpr std::string_view kChannel = "attendance_changes";
  static constexpr std::string_view kApplicationName = "attendance-notifications";

  // Throws std::invalid_argument when database_url is not a PostgreSQL URL.
  Cluster(AppContext& app, const std::string& database_url);
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // Starts listening; returns once listening or after `wait_for` (the process then reports not
  // ready until it is).
  bool start(std::chrono::milliseconds wait_for) {
    channel_.start();
    return channel_.wait_until_connected(wait_for);
  }
  void stop() { channel_.stop(); }
  // Listening: notices of the others reach this process. While not, its caches may go stale, so
  // it reports not ready (GET /readyz).
  bool connected() const { return channel_.connected(); }

  // Tells the other processes; returns at once (the notice is queued).
  void announce(const Notice& notice);

  const std::string& origin() const { return origin_; }

  struct Stats {
    std::uint64_t sent = 0, received = 0, applied = 0, own = 0, undecodable = 0, reconnects = 0, dropped = 0;
  };
  Stats stats() const;

 private:
  void on_payload(std::string_view payload);
  void on_gap(storage::NotificationChannel::Gap gap);

  AppContext& app_;
  const std::string origin_;
  std::atomic<std::uint64_t> applied_{0}, own_{0}, undecodable_{0};
  storage::NotificationChannel channel_;  // last: its thread calls the members above
};

}  // namespace attendance::http
