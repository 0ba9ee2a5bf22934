#pragma once
// PostgreSQL LISTEN/NOTIFY between the server processes that share one database.
//
// SOCI 4.0 does not expose notifications, so a NotificationChannel keeps a libpq connection of
// its own, on a thread of its own, LISTENing on one channel. publish() queues a payload and
// returns at once; the thread sends what is queued with pg_notify() (autocommit, up to kBatch in
// one statement), delivered to every listener, this connection included, as soon as it is sent.
// Payloads that arrive are handed to on_payload, on the channel's thread.
//
// When the connection drops (PostgreSQL restarted, the backend was terminated) the thread
// reconnects by itself, backing off from min_backoff to max_backoff. Whatever was queued meanwhile
// is sent after reconnecting; what other processes sent meanwhile is lost, which is why on_gap is
// called after every (re)connect: the owner must treat everything as possibly missed.
//
//   NotificationChannel channel({.url = url, .channel = "attendance_changes"},
//                               [](std::string_view payload) { ... },
//                               [](NotificationChannel::Gap gap) { ... });
//   channel.start();
//   channel.publish("{...}");   // at most kMaxPayloadBytes
//   channel.stop();             // sends what is still queued (when connected), then closes

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace attendance::storage {

struct NotificationChannelOptions {
  std::string url;                                          // postgresql://...
  std::string channel = "attendance_changes";               // lower-case letters and '_'
  std::string application_name = "attendance-notifications";  // as pg_stat_activity shows it
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{2000};  // back within ~2 s of PostgreSQL's return
  std::chrono::milliseconds idle_check{10'000};  // a quiet connection is pinged this often
  std::size_t max_queued = 10'000;  // payloads waiting to be sent; beyond, the queue is dropped
};

class NotificationChannel {
 public:
  // PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
  static constexpr std::size_t kMaxPayloadBytes = 7999;
  // Payloads sent in one statement at most.
  static constexpr std::size_t kBatch = 100;

  enum class Gap {
    connected,        // the first connection: others may hold state we never told them of
    reconnected,      // after a drop: notifications sent meanwhile were missed
    dropped_outgoing  // the queue overflowed and was discarded: others missed ours
  };
  using OnPayload = std::function<void(std::string_view payload)>;
  using OnGap = std::function<void(Gap gap)>;

  // Throws std::invalid_argument for a URL that is not PostgreSQL's or a malformed channel name.
  NotificationChannel(NotificationChannelOptions options, OnPayload on_payload, OnGap on_gap);
  ~NotificationChannel();  // stop()
  NotificationChannel(const NotificationChannel&) = delete;
  NotificationChannel& operator=(const NotificationChannel&) = delete;

  // Starts the thread; connecting happens there, so this returns at once even when the database
  // is down.
  void start();
  // Queues a payload (longer than kMaxPayloadBytes: refused, returns false). Never blocks on the
  // database. When max_queued payloads are already waiting, the queue is discarded, on_gap
  // (dropped_outgoing) is called on this thread, and false is returned.
  bool publish(std::string payload);
  // Sends what is queued if connected (giving up after flush_for), then closes and joins.
  void stop(std::chrono::milliseconds flush_for = std::chrono::seconds(2));

  // True once listening and the gap of this connection was handled (on_gap returned).
  bool connected() const { return connected_.load(); }
  // Waits until connected() (true), or until `timeout` passed or the channel stopped (false).
  bool wait_until_connected(std::chrono::milliseconds timeout);

  struct Stats {
    std::uint64_t sent = 0, received = 0, reconnects = 0, dropped = 0;
  };
  Stats stats() const;

 private:
  struct Connection;
  void run();
  // Serves one open connection until it fails or the channel stops; false when it failed.
  bool serve(Connection& connection);
  bool send_queued(Connection& connection);
  bool deliver_received(Connection& connection);
  // Waits until woken or `timeout` passed; false when the channel is stopping.
  bool wait_for_retry(std::chrono::milliseconds timeout);
  void wake();
  void set_connected(bool connected);

  NotificationChannelOptions options_;
  std::string connect_string_;
  OnPayload on_payload_;
  OnGap on_gap_;

  std::mutex mutex_;
  std::condition_variable retry_;          // stop() wakes the thread out of its backoff
  std::condition_variable connected_changed_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point flush_deadline_{};
  int wake_fd_ = -1;  // an eventfd: wakes the thread out of poll() for new payloads and stop()
  std::thread thread_;

  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> sent_{0}, received_{0}, reconnects_{0}, dropped_{0};
};

}  // namespace attendance::storage
