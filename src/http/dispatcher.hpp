#pragma once
// From a parsed HTTP request to its response: request id, routing, authentication, the token's
// rate limit (429), the handler, and the one place where an unexpected exception becomes an
// opaque 500. Every response is logged and counted in the request metrics.
//
// A HEAD request is handled as the GET of its path and answered with the GET's whole response,
// body included (so its Content-Length is the GET's), never with a stream: the server writes
// only the header (server.cpp).

#include <boost/asio/awaitable.hpp>

#include "http/context.hpp"
#include "domain/result.hpp"
#include "http/router.hpp"

namespace attendance::http {

// A response, and for a live stream the subscription whose events follow its header.
struct Reply {
  Response response;
  std::shared_ptr<live::Subscription> stream;
};

class Dispatcher {
 public:
  Dispatcher(AppContext& app, const Router& router) : app_(app), router_(router) {}

  boost::asio::awaitable<Reply> handle(const RawRequest& raw);

  AppContext& app() { return app_; }

  // For requests the server rejects before they are whole (413, 400 from the parser).
  Response reject(const RawRequest& raw, domain::ErrorKind kind);

 private:
  AppContext& app_;
  const Router& router_;
};

}  // namespace attendance::http
