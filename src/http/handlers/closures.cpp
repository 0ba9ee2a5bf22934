// /api/schools/:id/closures: the days a school is closed (holidays), which are not school days.
// Same access as the school's settings: admins, and the school's own school_admin.

#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "http/changes.hpp"
#include "http/handlers/common.hpp"
#include "http/handlers/handlers.hpp"

namespace attendance::http {

namespace {

// The school of the path, when the caller may manage it.
std::optional<Id> managed_school(const Request& req) {
  auto id = req.id_param();
  if (!id || !req.caller().reaches_school(*id)) return std::nullopt;
  return id;
}

// `/api/schools/:id/closures/:date`: the school, when the caller may manage it, and the date.
struct ClosureKey {
  Id school_id;
  domain::LocalDate date;
};
std::optional<ClosureKey> closure_key(const Request& req) {
  auto school_id = managed_school(req);
  auto date = req.path_params.size() > 1 ? domain::parse_date(req.path_params[1]) : std::nullopt;
  if (!school_id || !date) return std::nullopt;
  return ClosureKey{*school_id, *date};
}

awaitable<Response> list_closures(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto school_id = managed_school(req);
  if (!school_id) co_return error_response(req, ErrorKind::not_found);
  domain::FieldErrors errors;
  auto range = date_range_query(req, errors);
  if (!errors.empty()) co_return error_response(req, Error::invalid(std::move(errors)));
  auto pending = req.app.db.read(
      [id = *school_id, from = range.from, to = range.to](Session& s) -> std::optional<std::vector<domain::Closure>> {
        if (!storage::find_school(s, id)) return std::nullopt;
        return storage::list_closures(s, id, from, to);
      });
  auto closures = co_await std::move(pending);
  if (!closures) co_return error_response(req, ErrorKind::not_found);
  boost::json::array data;
  for (const auto& closure : *closures) data.push_back(to_json(closure));
  co_return data_response(req, std::move(data));
}

// One closure, by its date: the Location of a new closure.
awaitable<Response> show_closure(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto key = closure_key(req);
  if (!key) co_return error_response(req, ErrorKind::not_found);
  auto pending = req.app.db.read([key = *key](Session& s) -> std::optional<domain::Closure> {
    auto closures = storage::list_closures(s, key.school_id, key.date, key.date);
    if (closures.empty()) return std::nullopt;
    return closures.front();
  });
  auto closure = co_await std::move(pending);
  if (!closure) co_return error_response(req, ErrorKind::not_found);
  co_return data_response(req, to_json(*closure));
}

awaitable<Response> create_closure(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto school_id = managed_school(req);
  if (!school_id) co_return error_response(req, ErrorKind::not_found);
  auto body = read_resource(req, "closure");
  if (!body) co_return error_response(req, body.error());
  FieldReader fields(body.value());
  fields.require("date");
  domain::Closure closure;
  closure.school_id = *school_id;
  if (auto text = fields.string("date")) {
    if (auto date = domain::parse_date(*text)) closure.date = *date;
    else fields.add_error("date", "is not a valid date (YYYY-MM-DD)");
  }
  if (auto reason = fields.string("reason")) closure.reason = *reason;
  merge_errors(fields.errors(), domain::validate_closure(closure));
  if (!fields.errors().empty()) co_return error_response(req, Error::invalid(fields.errors()));
  auto pending = req.app.db.write(kSharedLane, [closure](Session& s) -> domain::Result<domain::Closure> {
    if (!storage::find_school(s, closure.school_id)) return Error::not_found();
    storage::upsert_closure(s, closure);
    return closure;
  });
  auto stored = co_await std::move(pending);
  if (!stored) co_return error_response(req, stored.error());
  school_changed(req.app, *school_id);
  co_return created_response(req, to_json(stored.value()),
                             "/api/schools/" + std::to_string(*school_id) + "/closures/" + domain::format_date(closure.date));
}

awaitable<Response> delete_closure(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto key = closure_key(req);
  if (!key) co_return error_response(req, ErrorKind::not_found);
  auto pending = req.app.db.write(
      kSharedLane, [key = *key](Session& s) { return storage::delete_closure(s, key.school_id, key.date); });
  bool deleted = co_await std::move(pending);
  if (!deleted) co_return error_response(req, ErrorKind::not_found);
  school_changed(req.app, key->school_id);
  co_return no_content(req);
}

}  // namespace

std::vector<Route> closure_routes() {
  return {
      {Verb::get, "/api/schools/:id/closures", &list_closures},
      {Verb::post, "/api/schools/:id/closures", &create_closure},
      {Verb::get, "/api/schools/:id/closures/:date", &show_closure},
      {Verb::delete_, "/api/schools/:id/closures/:date", &delete_closure},
  };
}

}  // namespace attendance::http
