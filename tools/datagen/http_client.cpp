#include "tools/datagen/http_client.hpp"

#include <charconv>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

namespace attendance::datagen {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

Endpoint parse_endpoint(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "http" || parsed->host().empty()) {
    throw std::invalid_argument("target must be http://host[:port]: " + url);
  }
  Endpoint endpoint;
  endpoint.host = parsed->host();
  endpoint.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  endpoint.base_path = parsed->path();
  while (!endpoint.base_path.empty() && endpoint.base_path.back() == '/') endpoint.base_path.pop_back();
  return endpoint;
}

HttpConnection::HttpConnection(asio::any_io_executor executor, Endpoint endpoint, std::string token)
    : stream_(std::move(executor)), endpoint_(std::move(endpoint)), authorization_("Bearer " + std::move(token)) {}

void HttpConnection::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
  connected_ = false;
}

asio::awaitable<void> HttpConnection::connect() {
  asio::ip::tcp::resolver resolver(stream_.get_executor());
  auto results = co_await resolver.async_resolve(endpoint_.host, endpoint_.port, asio::use_awaitable);
  stream_.expires_after(kRequestTimeout);
  co_await stream_.async_connect(results, asio::use_awaitable);
  stream_.socket().set_option(asio::ip::tcp::no_delay(true));
  buffer_.clear();
  connected_ = true;
}

asio::awaitable<HttpResponse> HttpConnection::exchange(http::verb method, const std::string& target,
                                                       const std::string& body) {
  http::request<http::string_body> request{method, endpoint_.base_path + target, 11};
  request.set(http::field::host, endpoint_.host);
  request.set(http::field::authorization, authorization_);
  request.set(http::field::accept, "application/json");
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  request.keep_alive(true);
  request.body() = body;
  request.prepare_payload();
  stream_.expires_after(kRequestTimeout);
  co_await http::async_write(stream_, request, asio::use_awaitable);
  http::response<http::string_body> response;
  co_await http::async_read(stream_, buffer_, response, asio::use_awaitable);
  if (!response.keep_alive()) close();
  HttpResponse answer{static_cast<int>(response.result_int()), std::move(response.body())};
  if (auto retry_after = response.find(http::field::retry_after); retry_after != response.end()) {
    const auto text = retry_after->value();
    std::from_chars(text.data(), text.data() + text.size(), answer.retry_after_seconds);
  }
  co_return answer;
}

asio::awaitable<HttpResponse> HttpConnection::send(http::verb method, std::string target, std::string body) {
  const bool reused = connected_;
  if (!connected_) co_await connect();
  try {
    co_return co_await exchange(method, target, body);
  } catch (const boost::system::system_error&) {
    close();
    if (!reused) throw;
  }
  // The kept-alive connection had been closed by the server (idle timeout): once more, fresh.
  co_await connect();
  co_return co_await exchange(method, target, body);
}

}  // namespace attendance::datagen
