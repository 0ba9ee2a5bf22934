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
//   connection.deadline.expire_in(options.header_timeout, Deadline::For::header);
//   connection.deadline.clear();                             // while the handler runs
//   if (connection.deadline.passed(now)) close it;           // the sweep, on the connection's strand
//
// Each deadline says what it waits for, so the server can count its timeouts by phase for the
// operator (attendance_http_connections_timed_out_total).

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace attendance::http {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;
  // header: a request's header, or the next request of an idle kept-alive connection; body: the
  // rest of the request; write: the client taking an answer; linger: the peer closing after ours.
  enum class For : std::uint8_t { header, body, write, linger };
  static constexpr std::size_t kPhases = 4;

  void expire_in(Clock::duration timeout, For phase) {
    phase_.store(phase, std::memory_order_relaxed);
    at_.store((Clock::now() + timeout).time_since_epoch().count(), std::memory_order_relaxed);
  }
  void clear() { at_.store(kNever, std::memory_order_relaxed); }
  bool passed(Clock::time_point now) const { return at_.load(std::memory_order_relaxed) <= now.time_since_epoch().count(); }
  For phase() const { return phase_.load(std::memory_order_relaxed); }

 private:
  static constexpr Clock::rep kNever = std::numeric_limits<Clock::rep>::max();
  std::atomic<Clock::rep> at_{kNever};
  std::atomic<For> phase_{For::header};
};

}  // namespace attendance::http
