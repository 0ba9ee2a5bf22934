// /api/schools: admins manage every school; a school_admin reads and updates its own.

#include "domain/validation.hpp"
#include "http/changes.hpp"
#include "http/handlers/common.hpp"
#include "http/handlers/decoders.hpp"
#include "http/handlers/handlers.hpp"

namespace attendance::http {

void apply_school_fields(FieldReader& fields, domain::School& school) {
  // Every setting of a school always has a value: null is no way to clear one.
  fields.refuse_null({"name", "timezone", "school_days", "min_daily_hours", "min_period_ratio", "fever_threshold"});
  if (auto v = fields.string("name")) school.name = *v;
  if (auto v = fields.string("timezone")) school.timezone = *v;
  if (auto v = fields.integers("school_days")) school.school_days = *v;
  if (auto v = fields.number("min_daily_hours")) school.min_daily_hours = *v;
  if (auto v = fields.number("min_period_ratio")) school.min_period_ratio = *v;
  if (auto v = fields.number("fever_threshold")) school.fever_threshold = *v;
}

namespace {

std::string location_of(const domain::School& school) { return "/api/schools/" + std::to_string(school.id); }

awaitable<Response> list_schools(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto page = read_page(req);
  if (!page) co_return error_response(req, page.error());
  auto only = req.caller().confined_school();
  auto pending = req.app.db.read(
      [only, page = *page](Session& s) { return storage::list_schools(s, only, page); });
  auto rows = co_await std::move(pending);
  auto next = finish_page(rows, *page);
  boost::json::array data;
  for (const auto& school : rows) data.push_back(to_json(school));
  co_return list_response(req, std::move(data), next);
}

awaitable<Response> create_school(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin})) co_return std::move(*denied);
  auto body = read_resource(req, "school");
  if (!body) co_return error_response(req, body.error());
  FieldReader fields(body.value());
  fields.require("name");
  domain::School school;
  apply_school_fields(fields, school);
  merge_errors(fields.errors(), domain::validate_school(school));
  if (!fields.errors().empty()) co_return error_response(req, Error::invalid(fields.errors()));
  auto pending = req.app.db.write(
      kSharedLane, [school](Session& s) { return storage::insert_school(s, school); });
  auto stored = co_await std::move(pending);
  co_return created_response(req, to_json(stored), location_of(stored));
}

awaitable<Response> show_school(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto id = req.id_param();
  if (!id || !req.caller().reaches_school(*id)) co_return error_response(req, ErrorKind::not_found);
  auto pending = req.app.db.read([id = *id](Session& s) { return storage::find_school(s, id); });
  auto school = co_await std::move(pending);
  if (!school) co_return error_response(req, ErrorKind::not_found);
  co_return data_response(req, to_json(*school));
}

awaitable<Response> update_school(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto id = req.id_param();
  if (!id || !req.caller().reaches_school(*id)) co_return error_response(req, ErrorKind::not_found);
  auto body = read_resource(req, "school");
  if (!body) co_return error_response(req, body.error());
  auto pending = req.app.db.write(kSharedLane, [id = *id, body = body.value()](Session& s) -> domain::Result<domain::School> {
    auto school = storage::find_school(s, id);
    if (!school) return Error::not_found();
    FieldReader fields(body);
    apply_school_fields(fields, *school);
    merge_errors(fields.errors(), domain::validate_school(*school));
    if (!fields.errors().empty()) return Error::invalid(fields.errors());
    return storage::update_school(s, *school);
  });
  auto result = co_await std::move(pending);
  if (!result) co_return error_response(req, result.error());
  school_changed(req.app, result->id);
  co_return data_response(req, to_json(result.value()));
}

awaitable<Response> delete_school(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin})) co_return std::move(*denied);
  auto id = req.id_param();
  if (!id) co_return error_response(req, ErrorKind::not_found);
  auto cascade_flag = req.flag("cascade");
  if (!cascade_flag) co_return error_response(req, Error::invalid("cascade", "must be true or false"));
  const bool cascade = *cascade_flag;
  auto pending = req.app.db.write(kSharedLane, [id = *id, cascade](Session& s) -> domain::Result<domain::Done> {
    if (!storage::find_school(s, id)) return Error::not_found();
    auto users = storage::count_users_of_school(s, id);
    if (users > 0 && !cascade) {
      return Error::conflict("users", "the school has " + std::to_string(users) +
                                          " user(s); delete them first or pass ?cascade=true");
    }
    storage::delete_school(s, id);
    return domain::Done{};
  });
  auto result = co_await std::move(pending);
  if (!result) co_return error_response(req, result.error());
  school_changed(req.app, *id);
  tokens_changed(req.app);  // the school's tokens went with it
  co_return no_content(req);
}

}  // namespace

std::vector<Route> school_routes() {
  return {
      {Verb::get, "/api/schools", &list_schools},
      {Verb::post, "/api/schools", &create_school},
      {Verb::get, "/api/schools/:id", &show_school},
      {Verb::patch, "/api/schools/:id", &update_school},
      {Verb::put, "/api/schools/:id", &update_school},
      {Verb::delete_, "/api/schools/:id", &delete_school},
  };
}

}  // namespace attendance::http
