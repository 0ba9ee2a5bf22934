// The HTTP ceiling: a minimal Boost.Beast server with the same shape as the service's (one
// coroutine per keep-alive connection, one io_context per core) that parses each request's JSON
// body with Boost.JSON and answers a small JSON document, with no routing, auth or database.
// POST answers 201 echoing the parsed attendance; GET answers 200 with one attendance, or with a
// page of 100 attendances (the service's list body, same fields) when the target asks for a limit.
// With --sqlite FILE that page is no longer a constant: it is read from the service's SQLite file
// (the rows after the target's `after=`) and written as JSON on the HTTP thread, the least a
// server must do to answer the service's page (sqlite_page_reader.hpp).
//
//   beast_ceiling [PORT] [--sqlite FILE]   prints "listening on http://127.0.0.1:PORT" (PORT 0 picks one)

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/json.hpp>

#include "sqlite_page_reader.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

constexpr const char* kAttendance =
    R"({"data":{"id":1,"user_id":1,"school_id":1,"timestamp":"2026-11-27T08:00:00Z","type":"checkin","temperature":36.6,"client_id":null,"inserted_at":"2026-11-27T08:00:00Z"}})";

// A page as GET /api/attendances?limit=100 answers it: 100 attendances and the paging meta.
std::string page_of_attendances() {
  std::string body = R"({"data":[)";
  for (int id = 1; id <= 100; ++id) {
    if (id > 1) body += ',';
    body += R"({"id":)" + std::to_string(id) +
            R"(,"user_id":17,"school_id":1,"timestamp":"2026-11-27T08:00:00Z","type":"checkin","temperature":36.6,)"
            R"("fever":false,"image_url":null,"client_id":"kiosk-1-000017","inserted_at":"2026-11-27T08:00:00.123456Z"})";
  }
  return body + R"(],"meta":{"next_after":100}})";
}

const std::string kPage = page_of_attendances();

std::string sqlite_file;  // --sqlite FILE: pages come from it; empty: the constant kPage

std::string page_body(beast::string_view target) {
  if (sqlite_file.empty()) return kPage;
  std::int64_t after = 0;
  if (const auto at = target.find("after="); at != beast::string_view::npos) {
    after = std::strtoll(std::string(target.substr(at + 6)).c_str(), nullptr, 10);
  }
  return attendance::bench::sqlite_page_body(sqlite_file, after);
}

asio::awaitable<void> serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    auto [read_error, read_bytes] = co_await http::async_read(stream, buffer, request, asio::as_tuple(asio::use_awaitable));
    if (read_error) co_return;
    http::response<http::string_body> response{http::status::ok, request.version()};
    response.set(http::field::content_type, "application/json");
    if (request.method() == http::verb::post) {
      boost::system::error_code ec;
      auto parsed = boost::json::parse(request.body(), ec);
      if (ec || !parsed.is_object()) {
        response.result(http::status::bad_request);
        response.body() = R"({"errors":{"detail":"Bad Request"}})";
      } else {
        response.result(http::status::created);
        response.body() = boost::json::serialize(boost::json::object{{"data", parsed.as_object()["attendance"]}});
      }
    } else if (request.target().find("limit=") != beast::string_view::npos) {
      response.body() = page_body(request.target());
    } else {
      response.body() = kAttendance;
    }
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    auto [write_error, written] = co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
    if (write_error || !response.keep_alive()) co_return;
  }
}

asio::awaitable<void> accept(tcp::acceptor& acceptor, std::vector<asio::io_context>& workers) {
  for (std::size_t next = 0;; next = (next + 1) % workers.size()) {
    auto socket = co_await acceptor.async_accept(workers[next], asio::use_awaitable);
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(workers[next], serve(std::move(socket)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--sqlite" && i + 1 < argc) sqlite_file = argv[++i];
    else if (!arg.empty() && arg.find_first_not_of("0123456789") == std::string::npos) port = static_cast<unsigned short>(std::atoi(arg.c_str()));
    else {
      std::fprintf(stderr, "usage: beast_ceiling [PORT] [--sqlite FILE]\n");
      return 2;
    }
  }
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  asio::io_context acceptor_context;
  std::vector<asio::io_context> workers(threads);
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto& w : workers) guards.push_back(asio::make_work_guard(w));
  tcp::acceptor acceptor(acceptor_context, {asio::ip::make_address("127.0.0.1"), port});
  std::printf("listening on http://127.0.0.1:%u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  asio::co_spawn(acceptor_context, accept(acceptor, workers), asio::detached);
  asio::signal_set signals(acceptor_context, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) {
    acceptor_context.stop();
    for (auto& w : workers) w.stop();
  });
  std::vector<std::thread> pool;
  for (auto& w : workers) pool.emplace_back([&w] { w.run(); });
  acceptor_context.run();
  for (auto& t : pool) t.join();
  return 0;
}
