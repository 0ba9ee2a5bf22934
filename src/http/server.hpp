#pragma once
// The HTTP/1.1 server: one coroutine per connection (read, dispatch, write, keep alive), on a
// pool of threads running one io_context.
//
// Limits: a body limit (413 beyond it), a header size limit, a timeout for a request's header to
// arrive (this also closes idle keep-alive connections), one for its body and for the client to
// take the response, and a cap on open connections. The timeouts are deadlines that a sweep
// checks a few times a second (http/deadline.hpp). stop() is graceful: the acceptor closes, idle
// connections close, requests in flight are answered, then run() returns.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "http/deadline.hpp"
#include "http/dispatcher.hpp"

namespace attendance::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  std::uint16_t port = 4000;  // 0 picks a free port
  int threads = 2;
  std::size_t body_limit = 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::seconds header_timeout{15};
  std::chrono::seconds body_timeout{30};
  std::size_t max_connections = 4096;
  std::chrono::seconds shutdown_grace{20};
  std::chrono::seconds heartbeat{15};  // comment line on idle live streams
};

// For /metrics: the connections open now, and those closed by the server since it started.
struct ConnectionStats {
  std::uint64_t open = 0;
  std::uint64_t refused = 0;  // past --max-connections, closed unanswered
  // Closed by a timeout while the server waited for a header (an idle kept-alive connection
  // included), a body, or the client to take an answer.
  std::uint64_t timed_out_header = 0, timed_out_body = 0, timed_out_write = 0;
};

class Server {
 public:
  Server(ServerOptions options, Dispatcher& dispatcher);
  ~Server();

  // Binds and listens; returns the bound port. Throws when the address is unavailable.
  std::uint16_t listen();

  // Accepts and serves on options.threads threads until stop() completes; blocks the caller.
  void run();

  // Graceful stop; safe from any thread (a signal handler's completion, a test).
  void stop();

  boost::asio::io_context& io_context() { return io_; }

  ConnectionStats stats() const;

 private:
  struct Connection;

  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
  boost::asio::awaitable<void> stream_events(std::shared_ptr<Connection> connection, Reply reply);
  boost::asio::awaitable<void> drain_then_halt();
  // Closes the connections whose read or write has outlived its deadline (http/deadline.hpp).
  boost::asio::awaitable<void> sweep_deadlines();
  // How often: a timeout fires up to this late.
  static constexpr std::chrono::milliseconds kDeadlineSweep{250};
  void forget(std::uint64_t id);

  ServerOptions options_;
  Dispatcher& dispatcher_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};

  std::atomic<std::uint64_t> refused_{0};
  std::array<std::atomic<std::uint64_t>, Deadline::kPhases> timed_out_{};

  mutable std::mutex connections_mutex_;
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> connections_;
  std::uint64_t next_connection_id_ = 0;
};

}  // namespace attendance::http
