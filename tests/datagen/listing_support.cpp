#include "datagen/listing_support.hpp"

#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include "tools/datagen/http_client.hpp"

namespace attendance::datagen::testing {
namespace {

boost::asio::awaitable<std::uint64_t> count_listed(HttpConnection& connection) {
  std::uint64_t count = 0;
  std::string after;
  for (;;) {
    auto pending = connection.send(boost::beast::http::verb::get, "/api/attendances?limit=1000" + after, "");
    auto response = co_await std::move(pending);
    if (response.status != 200) throw std::runtime_error("listing answered " + std::to_string(response.status));
    const auto body = boost::json::parse(response.body).as_object();
    count += body.at("data").as_array().size();
    const auto& next = body.at("meta").at("next_after");
    if (next.is_null()) co_return count;
    after = "&after=" + std::to_string(next.as_int64());
  }
}

}  // namespace

std::uint64_t count_on_server(const std::string& url, const std::string& token) {
  boost::asio::io_context io;
  HttpConnection connection(io.get_executor(), parse_endpoint(url), token);
  auto future = boost::asio::co_spawn(io, count_listed(connection), boost::asio::use_future);
  io.run();
  return future.get();
}

}  // namespace attendance::datagen::testing
