// GET /api/attendances/aggregate/school/:id: presence by day, week or month (issue 3), computed
// by aggregate::Service. The handler only parses, checks access and renders.

#include <map>

#include <boost/beast/http/field.hpp>

#include "aggregate/report_csv.hpp"
#include "aggregate/report_json.hpp"
#include "aggregate/service.hpp"
#include "domain/time.hpp"
#include "http/handlers/common.hpp"
#include "http/handlers/handlers.hpp"

namespace attendance::http {

namespace {

std::map<std::string, std::string> query_parameters(const Request& req) {
  std::map<std::string, std::string> params;
  for (auto param : req.url.params()) params.emplace(std::string(param.key), std::string(param.value));
  return params;
}

Response csv_response(const Request& req, std::string csv) {
  Response res = make_response(req, Status::ok);
  res.set(beast_http::field::content_type, "text/csv; charset=utf-8");
  std::string name = "attendance-school-" + std::to_string(req.id_param().value_or(0)) + ".csv";
  res.set(beast_http::field::content_disposition, "attachment; filename=\"" + name + "\"");
  res.body() = std::move(csv);
  res.prepare_payload();
  return res;
}

awaitable<Response> aggregate_school(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto id = req.id_param();
  if (!id || !req.caller().reaches_school(*id)) co_return error_response(req, ErrorKind::not_found);
  auto query = aggregate::parse_aggregate_query(*id, query_parameters(req));
  if (!query) co_return error_response(req, query.error());
  if (!req.app.aggregates) co_return error_response(req, ErrorKind::unavailable);

  auto result = co_await req.app.aggregates->aggregate(query->request);
  if (!result.report) {
    auto error = result.report.error();
    if (result.retry_after_seconds > 0) error.retry_after_seconds = result.retry_after_seconds;
    co_return error_response(req, error);
  }
  const auto& report = *result.report.value();
  if (query->format == aggregate::ReportFormat::csv) co_return csv_response(req, aggregate::report_to_csv(report));
  co_return data_response(req, aggregate::report_to_json(report));
}

}  // namespace

std::vector<Route> aggregate_routes() {
  return {{Verb::get, "/api/attendances/aggregate/school/:id", &aggregate_school}};
}

}  // namespace attendance::http
