#pragma once
// The HTTP vocabulary shared by the server, the router and the handlers.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace attendance::http {

namespace beast_http = boost::beast::http;

using RawRequest = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
using Status = beast_http::status;
using Verb = beast_http::verb;

}  // namespace attendance::http
