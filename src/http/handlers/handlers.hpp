#pragma once
// Each resource file registers its own routes (routes as data, one table per file).

#include <vector>

#include "http/router.hpp"

namespace attendance::http {

std::vector<Route> school_routes();
std::vector<Route> user_routes();
std::vector<Route> attendance_routes();
std::vector<Route> token_routes();
std::vector<Route> health_routes();
std::vector<Route> aggregate_routes();
std::vector<Route> closure_routes();
std::vector<Route> live_routes();
std::vector<Route> metrics_routes();

// Every route of the service, in the order they are matched.
std::vector<Route> all_routes();

}  // namespace attendance::http
