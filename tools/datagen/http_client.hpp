#pragma once
// A keep-alive HTTP/1.1 client connection for coroutines (Boost.Beast), bearer-authenticated.
// One request at a time per connection; a connection the server closed while idle is reopened
// and the request sent once more (safe here: every POST the generator sends is idempotent
// through its client_id, and a create that is re-sent is reported by the caller).

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>

namespace attendance::datagen {

// Where the API is: from "http://host:port" (a path prefix is kept: "http://h:1/prefix").
struct Endpoint {
  std::string host;
  std::string port;
  std::string base_path;  // "" or "/prefix", prepended to every target
};
// Throws std::invalid_argument when the URL is not http://host[:port][/path].
Endpoint parse_endpoint(const std::string& url);

struct HttpResponse {
  int status = 0;
  std::string body;
  int retry_after_seconds = 0;  // the retry-after header of a 429 or 503, when it is a number
};

class HttpConnection {
 public:
  HttpConnection(boost::asio::any_io_executor executor, Endpoint endpoint, std::string token);

  // Sends a JSON request and reads the whole response. Throws boost::system::system_error when
  // the server cannot be reached or does not answer within the timeout.
  boost::asio::awaitable<HttpResponse> send(boost::beast::http::verb method, std::string target, std::string body);

  void close();

 private:
  boost::asio::awaitable<void> connect();
  boost::asio::awaitable<HttpResponse> exchange(boost::beast::http::verb method, const std::string& target,
                                                const std::string& body);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  Endpoint endpoint_;
  std::string authorization_;
  bool connected_ = false;
};

inline constexpr auto kRequestTimeout = std::chrono::seconds(30);

}  // namespace attendance::datagen
