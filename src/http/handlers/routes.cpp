#include "http/handlers/handlers.hpp"

namespace attendance::http {

std::vector<Route> all_routes() {
  std::vector<Route> routes;
  for (auto&& table : {health_routes(), school_routes(), closure_routes(), live_routes(), user_routes(), aggregate_routes(),
                       attendance_routes(), token_routes(), metrics_routes()}) {
    routes.insert(routes.end(), table.begin(), table.end());
  }
  return routes;
}

}  // namespace attendance::http
