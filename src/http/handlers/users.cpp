// /api/users: the people of a school. Admins reach every school; a school_admin manages its own
// school's users; a device may list them (to map a card to a user).

#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "http/changes.hpp"
#include "http/handlers/common.hpp"
#include "http/handlers/decoders.hpp"
#include "http/handlers/handlers.hpp"

namespace attendance::http {

UserFields read_user_fields(FieldReader& fields) {
  UserFields read;
  // external_id alone may be cleared with null; a user always has the others.
  fields.refuse_null({"name", "enrolled_on", "school_id"});
  read.name = fields.string("name");
  read.external_id = fields.nullable_string("external_id", Text::trimmed);
  read.school_id = fields.integer("school_id");
  if (auto text = fields.string("enrolled_on")) {
    read.enrolled_on = domain::parse_date(*text);
    if (!read.enrolled_on) fields.add_error("enrolled_on", "is not a valid date (YYYY-MM-DD)");
  }
  return read;
}

namespace {

void apply_user_fields(const UserFields& read, domain::User& user) {
  if (read.name) user.name = *read.name;
  if (read.external_id.present) user.external_id = read.external_id.value;
  if (read.enrolled_on) user.enrolled_on = *read.enrolled_on;
}

// 422 on external_id when another user of the school already carries it.
void check_external_id_free(Session& s, const domain::User& user, domain::FieldErrors& errors) {
  if (!user.external_id) return;
  auto holder = storage::find_user_by_external_id(s, user.school_id, *user.external_id);
  if (holder && holder->id != user.id) errors["external_id"].push_back("has already been taken");
}

std::string location_of(const domain::User& user) { return "/api/users/" + std::to_string(user.id); }

awaitable<Response> list_users(Request& req) {
  auto page = read_page(req);
  if (!page) co_return error_response(req, page.error());
  storage::UserFilter filter;
  if (auto text = req.query("school_id")) {
    filter.school_id = parse_id(*text);
    if (!filter.school_id) co_return error_response(req, Error::invalid("school_id", "must be a positive integer id"));
  }
  if (auto own = req.caller().confined_school()) {
    // Another school's users are never listed: the filter then matches nothing.
    if (filter.school_id && *filter.school_id != *own) co_return list_response(req, boost::json::array{}, std::nullopt);
    filter.school_id = own;
  }
  auto pending = req.app.db.read(
      [filter, page = *page](Session& s) { return storage::list_users(s, filter, page); });
  auto rows = co_await std::move(pending);
  auto next = finish_page(rows, *page);
  boost::json::array data;
  for (const auto& user : rows) data.push_back(to_json(user));
  co_return list_response(req, std::move(data), next);
}

awaitable<Response> create_user(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto body = read_resource(req, "user");
  if (!body) co_return error_response(req, body.error());
  FieldReader fields(body.value());
  fields.require("name");
  auto read = read_user_fields(fields);
  if (!read.school_id) read.school_id = req.caller().confined_school();
  if (!read.school_id && !fields.errors().contains("school_id")) fields.add_error("school_id", "can't be blank");
  if (!fields.errors().empty()) co_return error_response(req, Error::invalid(fields.errors()));

  const auto caller = req.caller();
  auto pending = req.app.db.write(kSharedLane, [read, caller](Session& s) -> domain::Result<domain::User> {
    auto school = caller.reaches_school(*read.school_id) ? storage::find_school(s, *read.school_id) : std::nullopt;
    if (!school) return Error::invalid("school_id", "does not exist");
    domain::User user;
    user.school_id = school->id;
    user.enrolled_on = domain::local_date_of(domain::find_time_zone(school->timezone), domain::now());
    apply_user_fields(read, user);
    auto errors = domain::validate_user(user);
    check_external_id_free(s, user, errors);
    if (!errors.empty()) return Error::invalid(std::move(errors));
    return storage::insert_user(s, user);
  });
  auto result = co_await std::move(pending);
  if (!result) co_return error_response(req, result.error());
  school_changed(req.app, result->school_id);
  co_return created_response(req, to_json(result.value()), location_of(result.value()));
}

awaitable<Response> show_user(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto id = req.id_param();
  if (!id) co_return error_response(req, ErrorKind::not_found);
  auto pending = req.app.db.read([id = *id](Session& s) { return storage::find_user(s, id); });
  auto user = co_await std::move(pending);
  if (!user || !req.caller().reaches_school(user->school_id)) co_return error_response(req, ErrorKind::not_found);
  co_return data_response(req, to_json(*user));
}

awaitable<Response> update_user(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto id = req.id_param();
  if (!id) co_return error_response(req, ErrorKind::not_found);
  auto body = read_resource(req, "user");
  if (!body) co_return error_response(req, body.error());
  FieldReader fields(body.value());
  auto read = read_user_fields(fields);
  if (!fields.errors().empty()) co_return error_response(req, Error::invalid(fields.errors()));

  const auto caller = req.caller();
  auto pending = req.app.db.write(lane_of_user(*id), [id = *id, read, caller](Session& s) -> domain::Result<domain::User> {
    auto user = storage::find_user(s, id);
    if (!user || !caller.reaches_school(user->school_id)) return Error::not_found();
    // A user's events belong to the school they were recorded in: users don't move.
    if (read.school_id && *read.school_id != user->school_id) return Error::invalid("school_id", "can't be changed");
    apply_user_fields(read, *user);
    auto errors = domain::validate_user(*user);
    check_external_id_free(s, *user, errors);
    if (!errors.empty()) return Error::invalid(std::move(errors));
    return storage::update_user(s, *user);
  });
  auto result = co_await std::move(pending);
  if (!result) co_return error_response(req, result.error());
  // Names and card numbers appear in per-user reports and enrollment decides which days count:
  // all three are cached.
  if (read.enrolled_on || read.name || read.external_id.present) school_changed(req.app, result->school_id);
  co_return data_response(req, to_json(result.value()));
}

awaitable<Response> delete_user(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto id = req.id_param();
  if (!id) co_return error_response(req, ErrorKind::not_found);
  auto cascade_flag = req.flag("cascade");
  if (!cascade_flag) co_return error_response(req, Error::invalid("cascade", "must be true or false"));
  const bool cascade = *cascade_flag;
  const auto caller = req.caller();
  auto pending = req.app.db.write(lane_of_user(*id), [id = *id, cascade, caller](Session& s) -> domain::Result<Id> {
    auto user = storage::find_user_for_update(s, id);
    if (!user || !caller.reaches_school(user->school_id)) return Error::not_found();
    auto events = storage::count_attendances_of_user(s, id);
    if (events > 0 && !cascade) {
      return Error::conflict("attendances", "the user has " + std::to_string(events) +
                                                " attendance(s); delete them first or pass ?cascade=true");
    }
    storage::delete_user(s, id);
    return user->school_id;
  });
  auto result = co_await std::move(pending);
  if (!result) co_return error_response(req, result.error());
  school_changed(req.app, result.value());
  co_return no_content(req);
}

}  // namespace

std::vector<Route> user_routes() {
  return {
      {Verb::get, "/api/users", &list_users},
      {Verb::post, "/api/users", &create_user},
      {Verb::get, "/api/users/:id", &show_user},
      {Verb::patch, "/api/users/:id", &update_user},
      {Verb::put, "/api/users/:id", &update_user},
      {Verb::delete_, "/api/users/:id", &delete_user},
  };
}

}  // namespace attendance::http
