#include "http/server.hpp"

#include <array>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "http/deadline.hpp"
#include "http/live/hub.hpp"
#include "http/response_head.hpp"

namespace attendance::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

namespace {

// Beast reads a chunked body under any list of codings that ends in chunked, but decodes none of
// the others: a body sent as `gzip, chunked` would be taken for JSON as it is. Only plain
// `chunked` (or a Content-Length) frames a request here.
bool has_plain_framing(const RawRequest& request) {
  auto codings = request[beast_http::field::transfer_encoding];
  return codings.empty() || beast::iequals(codings, "chunked");
}

// A request the parser refused (a garbage request line, a bad or repeated Content-Length, a bad
// chunk, a control byte in a header): answered 400 before the close, so the client learns why.
// Not the peer closing, before a request (end_of_stream) or in one (partial_message), where no
// one reads an answer.
bool is_malformed(const boost::system::error_code& error) {
  return error.category() == beast_http::make_error_code(beast_http::error::bad_version).category() &&
         error != beast_http::error::end_of_stream && error != beast_http::error::partial_message;
}

// A lingering close: the peer may still be sending (a body past the limit, requests after a
// refused one), and closing with unread bytes makes the kernel reset the connection, which can
// discard the answer just written before the peer reads it. So: stop sending, drop what still
// arrives until the peer closes (bounded in time and bytes), then close.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 1024 * 1024;

asio::awaitable<void> close_gracefully(beast::tcp_stream& stream, Deadline& deadline) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  deadline.expire_in(kLingerTime, Deadline::For::linger);
  std::array<char, 16 * 1024> scratch;
  std::size_t dropped = 0;
  while (dropped < kLingerBytes) {
    auto [error, bytes] = co_await stream.async_read_some(asio::buffer(scratch), kNoThrow);
    if (error) break;
    dropped += bytes;
  }
  stream.close();
}

// Writes the response's head and, with_body, its body after it, in one gather write. Without the
// body: a live stream's events follow the head; a HEAD answer ends with it.
asio::awaitable<beast::error_code> write_head_and(beast::tcp_stream& stream, const Response& response, bool with_body) {
  const std::string head = response_head(response);
  const std::array<asio::const_buffer, 2> wire{asio::buffer(head),
                                               with_body ? asio::buffer(response.body()) : asio::const_buffer{}};
  auto [error, bytes] = co_await asio::async_write(stream, wire, kNoThrow);
  co_return error;
}

// Writes the response to a request made with `method`. To a HEAD request only the head goes
// out (RFC 9110 section 9.3.2), with the Content-Length of the GET's body, which the response
// still holds; no body byte follows it, so the next response on the connection starts right
// after it.
asio::awaitable<beast::error_code> write_response(beast::tcp_stream& stream, const Response& response, Verb method) {
  return write_head_and(stream, response, method != Verb::head);
}

}  // namespace

struct Server::Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}

  // Whether the next request's bytes have already reached the socket. Stopping answers such a
  // request (with connection: close) rather than dropping bytes the client sent before the signal.
  bool request_waiting() {
    beast::error_code error;
    const auto pending = stream.socket().available(error);
    return !error && pending > 0;
  }

  beast::tcp_stream stream;  // never given an expiry: `deadline` bounds its reads and writes
  Deadline deadline;
  std::uint64_t id = 0;
  // Touched only on the connection's strand: true while a request is being read or answered.
  bool busy = false;
  // Also strand-only: set by the sweep's first close, so a close posted again is not counted again.
  bool timed_out = false;
};

Server::Server(ServerOptions options, Dispatcher& dispatcher)
    : options_(std::move(options)), dispatcher_(dispatcher), io_(options_.threads), acceptor_(io_) {}

Server::~Server() = default;

std::uint16_t Server::listen() {
  tcp::endpoint endpoint{asio::ip::make_address(options_.host), options_.port};
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  return acceptor_.local_endpoint().port();
}

void Server::run() {
  asio::co_spawn(io_, accept_loop(), asio::detached);
  asio::co_spawn(io_, sweep_deadlines(), asio::detached);
  std::vector<std::jthread> threads;
  for (int i = 1; i < options_.threads; ++i) threads.emplace_back([this] { io_.run(); });
  io_.run();
}

void Server::stop() {
  if (stopping_.exchange(true)) return;
  asio::co_spawn(io_, drain_then_halt(), asio::detached);
}

asio::awaitable<void> Server::accept_loop() {
  while (!stopping_) {
    auto [error, socket] = co_await acceptor_.async_accept(asio::make_strand(io_), kNoThrow);
    if (error) {
      if (stopping_ || error == asio::error::operation_aborted) break;
      spdlog::warn("accept failed: {}", error.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true));
    auto connection = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(connections_mutex_);
      if (connections_.size() >= options_.max_connections) {
        refused_.fetch_add(1, std::memory_order_relaxed);
        spdlog::warn("refusing a connection: {} open", connections_.size());
        continue;  // the socket closes as the connection goes out of scope
      }
      connection->id = ++next_connection_id_;
      connections_.emplace(connection->id, connection);
    }
    auto executor = connection->stream.get_executor();
    asio::co_spawn(executor, serve(connection), asio::detached);
  }
}

asio::awaitable<void> Server::serve(std::shared_ptr<Connection> connection) {
  auto& stream = connection->stream;
  beast::flat_buffer buffer;
  for (;;) {
    // Checked on the strand right before reading, so stop() either sees this connection busy
    // (and lets it finish) or idle (and cancels the read). A connection accepted just before the
    // signal, or one whose next request arrived as its last answer went out, may already hold a
    // request stop() did not see: it is read and answered like one in flight.
    if (stopping_ && buffer.size() == 0 && !connection->request_waiting()) break;
    connection->busy = false;
    beast_http::request_parser<beast_http::string_body> parser;
    parser.body_limit(options_.body_limit);
    parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
    connection->deadline.expire_in(options_.header_timeout, Deadline::For::header);
    auto [header_error, header_bytes] = co_await beast_http::async_read_header(stream, buffer, parser, kNoThrow);
    connection->busy = true;
    if (header_error == beast_http::error::body_limit) {
      auto res = dispatcher_.reject(parser.get(), domain::ErrorKind::payload_too_large);
      co_await write_response(stream, res, parser.get().method());
      break;
    }
    if (header_error == beast_http::error::header_limit || is_malformed(header_error)) {
      auto res = dispatcher_.reject(parser.get(), domain::ErrorKind::bad_request);
      co_await write_response(stream, res, parser.get().method());
      break;
    }
    if (header_error) break;  // closed, timed out, or cancelled by stop()
    if (!has_plain_framing(parser.get())) {
      auto res = dispatcher_.reject(parser.get(), domain::ErrorKind::bad_request);
      co_await write_response(stream, res, parser.get().method());
      break;
    }

    if (parser.get()[beast_http::field::expect] == "100-continue") {
      beast_http::response<beast_http::empty_body> proceed{beast_http::status::continue_, 11};
      co_await beast_http::async_write(stream, proceed, kNoThrow);
    }
    connection->deadline.expire_in(options_.body_timeout, Deadline::For::body);
    auto [body_error, body_bytes] = co_await beast_http::async_read(stream, buffer, parser, kNoThrow);
    if (body_error == beast_http::error::body_limit || is_malformed(body_error)) {
      auto res = dispatcher_.reject(parser.get(), body_error == beast_http::error::body_limit
                                                      ? domain::ErrorKind::payload_too_large
                                                      : domain::ErrorKind::bad_request);
      co_await write_response(stream, res, parser.get().method());
      break;
    }
    if (body_error) break;

    connection->deadline.clear();  // the handler may take its time; no read or write is pending
    RawRequest request = parser.release();
    Reply reply = co_await dispatcher_.handle(request);
    if (reply.stream) {
      co_await stream_events(connection, std::move(reply));
      break;
    }
    Response& response = reply.response;
    if (stopping_) response.keep_alive(false);
    bool keep_alive = response.keep_alive();
    connection->deadline.expire_in(options_.body_timeout, Deadline::For::write);
    auto write_error = co_await write_response(stream, response, request.method());
    if (write_error || !keep_alive) break;
  }
  co_await close_gracefully(stream, connection->deadline);
  forget(connection->id);
}

asio::awaitable<void> Server::stream_events(std::shared_ptr<Connection> connection, Reply reply) {
  using namespace asio::experimental::awaitable_operators;
  auto& stream = connection->stream;
  auto subscription = reply.stream;
  // The body runs until either side closes, so it has no length: the connection delimits it.
  reply.response.keep_alive(false);
  connection->deadline.expire_in(options_.body_timeout, Deadline::For::write);
  auto header_error = co_await write_head_and(stream, reply.response, false);
  connection->deadline.clear();  // waiting for the next event is not a write
  asio::steady_timer heartbeat(stream.get_executor());
  while (!header_error) {
    heartbeat.expires_after(options_.heartbeat);
    auto next = co_await (subscription->channel().async_receive(kNoThrow) || heartbeat.async_wait(kNoThrow));
    std::string message;
    if (next.index() == 0) {
      auto [closed, event] = std::get<0>(std::move(next));
      if (closed) break;  // the hub closed it: shutdown, or this reader fell too far behind
      message = std::move(event);
    } else {
      message = live::kHeartbeat;
    }
    connection->deadline.expire_in(options_.body_timeout, Deadline::For::write);
    auto [write_error, written] = co_await asio::async_write(stream, asio::buffer(message), kNoThrow);
    connection->deadline.clear();
    if (write_error) break;
  }
  dispatcher_.app().hub->unsubscribe(subscription);
}

asio::awaitable<void> Server::sweep_deadlines() {
  asio::steady_timer tick(io_);
  // Runs until io_.stop(): the lingering closes of a stop need their deadlines too.
  for (;;) {
    tick.expires_after(kDeadlineSweep);
    co_await tick.async_wait(kNoThrow);
    const auto now = Deadline::Clock::now();
    std::lock_guard lock(connections_mutex_);
    for (auto& [id, connection] : connections_) {
      if (!connection->deadline.passed(now)) continue;
      // Checked again on the connection's strand: its read may have finished, and a new
      // deadline been set, since this sweep looked. Closing fails the pending operation, as
      // Beast's own timeout did.
      asio::post(connection->stream.get_executor(), [this, connection = connection, now] {
        if (!connection->deadline.passed(now)) return;
        // A peer slow to close after our close is not a client's timeout: not counted.
        const auto phase = connection->deadline.phase();
        if (phase != Deadline::For::linger && !connection->timed_out) {
          connection->timed_out = true;
          timed_out_[static_cast<std::size_t>(phase)].fetch_add(1, std::memory_order_relaxed);
        }
        connection->stream.close();
      });
    }
  }
}

ConnectionStats Server::stats() const {
  ConnectionStats stats;
  {
    std::lock_guard lock(connections_mutex_);
    stats.open = connections_.size();
  }
  const auto timed_out = [this](Deadline::For phase) {
    return timed_out_[static_cast<std::size_t>(phase)].load(std::memory_order_relaxed);
  };
  stats.refused = refused_.load(std::memory_order_relaxed);
  stats.timed_out_header = timed_out(Deadline::For::header);
  stats.timed_out_body = timed_out(Deadline::For::body);
  stats.timed_out_write = timed_out(Deadline::For::write);
  return stats;
}

void Server::forget(std::uint64_t id) {
  std::lock_guard lock(connections_mutex_);
  connections_.erase(id);
}

asio::awaitable<void> Server::drain_then_halt() {
  beast::error_code ignored;
  acceptor_.close(ignored);
  if (auto* hub = dispatcher_.app().hub) hub->close_all();
  {
    std::lock_guard lock(connections_mutex_);
    for (auto& [id, connection] : connections_) {
      asio::post(connection->stream.get_executor(), [connection = connection] {  // clang 14 cannot capture a structured binding
        // An idle connection whose next request has already reached the socket is left to read
        // it: it becomes busy and is answered (with connection: close). Bytes that arrived before
        // the signal may not have been read yet when this runs.
        if (!connection->busy && !connection->request_waiting()) connection->stream.cancel();
      });
    }
  }
  asio::steady_timer timer(io_);
  auto deadline = std::chrono::steady_clock::now() + options_.shutdown_grace;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(connections_mutex_);
      if (connections_.empty()) break;
    }
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(kNoThrow);
  }
  io_.stop();
}

}  // namespace attendance::http
