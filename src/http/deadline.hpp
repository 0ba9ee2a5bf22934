#pragma once
// When a connection's current read or write must have finished, checked by the server's sweep.
//
// Beast's tcp_stream arms a timer for every read and write given an expiry, and cancels it when
// the operation completes: two locked timer-queue updates and a cancelled wait run as a handler,
// three times per request. On a GET by id that was 12 % of the server's throughput (36.1-37.1k
// against 39.9-42.3k req/s with no expiry, PostgreSQL, docs/decisions.md). A deadline is one
// relaxed store per phase instead; the server's sweep reads every connection's a few times a
// second and closes the ones past theirs, so a timeout fires up to one sweep interval late.
//
//   connection.deadline.expire_in(options.header_timeout);   // before reading a header
//   connection.deadline.clear();                             // while the handler runs
//   if (connection.deadline.passed(now)) close it;           // the sweep, on the connection's strand

#include <atomic>
#include <chrono>
#include <limits>

namespace attendance::http {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  void expire_in(Clock::duration timeout) { at_.store((Clock::now() + timeout).time_since_epoch().count(), std::memory_order_relaxed); }
  void clear() { at_.store(kNever, std::memory_order_relaxed); }
  bool passed(Clock::time_point now) const { return at_.load(std::memory_order_relaxed) <= now.time_since_epoch().count(); }

 private:
  static constexpr Clock::rep kNever = std::numeric_limits<Clock::rep>::max();
  std::atomic<Clock::rep> at_{kNever};
};

}  // namespace attendance::http
