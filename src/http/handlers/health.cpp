// Liveness and readiness, for load balancers and orchestrators (no token).

#include <boost/asio/this_coro.hpp>

#include "http/cluster.hpp"
#include "http/handlers/common.hpp"
#include "storage/sql.hpp"
#include "http/handlers/handlers.hpp"

namespace attendance::http {

namespace {

awaitable<Response> healthz(Request& req) { co_return data_response(req, boost::json::object{{"status", "ok"}}); }

// Ready while the database answers and, on PostgreSQL, the process hears the others' changes: a
// load balancer stops sending traffic when it doesn't.
awaitable<Response> readyz(Request& req) {
  bool answers = false;
  try {
    auto pending = req.app.db.read([](Session& s) { return storage::sql::fetch_integer(s, "SELECT 1", {}) == 1; });
    answers = co_await std::move(pending);
  } catch (const std::exception&) {
    answers = false;
  }
  if (!answers || (req.app.cluster && !req.app.cluster->connected())) {
    auto error = Error::of(ErrorKind::unavailable);
    error.retry_after_seconds = 1;
    co_return error_response(req, error);
  }
  co_return data_response(req, boost::json::object{{"status", "ready"}});
}

}  // namespace

std::vector<Route> health_routes() {
  return {
      {Verb::get, "/healthz", &healthz, Access::public_},
      {Verb::get, "/readyz", &readyz, Access::public_},
  };
}

}  // namespace attendance::http
