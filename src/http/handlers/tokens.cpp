// /api/tokens: admins issue and revoke API tokens. A secret is shown once, in the answer to its
// creation; only its hash is stored.

#include "domain/secrets.hpp"
#include "domain/validation.hpp"
#include "http/changes.hpp"
#include "http/handlers/common.hpp"
#include "http/handlers/handlers.hpp"

namespace attendance::http {

namespace {

awaitable<Response> list_tokens(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin})) co_return std::move(*denied);
  auto page = read_page(req);
  if (!page) co_return error_response(req, page.error());
  auto pending = req.app.db.read([page = *page](Session& s) { return storage::list_tokens(s, page); });
  auto rows = co_await std::move(pending);
  auto next = finish_page(rows, *page);
  boost::json::array data;
  for (const auto& token : rows) data.push_back(to_json(token));
  co_return list_response(req, std::move(data), next);
}

// A token as the list shows it (never its secret), revoked ones too: the Location of a new token.
awaitable<Response> show_token(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin})) co_return std::move(*denied);
  auto id = req.id_param();
  if (!id) co_return error_response(req, ErrorKind::not_found);
  auto pending = req.app.db.read([id = *id](Session& s) { return storage::find_token(s, id); });
  auto token = co_await std::move(pending);
  if (!token) co_return error_response(req, ErrorKind::not_found);
  co_return data_response(req, to_json(*token));
}

awaitable<Response> create_token(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin})) co_return std::move(*denied);
  auto body = read_resource(req, "token");
  if (!body) co_return error_response(req, body.error());
  FieldReader fields(body.value());
  fields.require("name");
  fields.require("role");
  domain::ApiToken token;
  if (auto name = fields.string("name")) {
    token.name = *name;
    merge_errors(fields.errors(), domain::validate_label("name", *name));
  }
  if (auto role = fields.string("role")) {
    if (auto parsed = domain::parse_role(*role)) token.role = *parsed;
    else fields.add_error("role", "must be admin, school_admin or device");
  }
  auto school_id = fields.integer("school_id");
  if (fields.errors().empty()) {
    if (token.role == Role::admin && school_id) fields.add_error("school_id", "must be empty for an admin token");
    if (token.role != Role::admin && !school_id) fields.add_error("school_id", "can't be blank");
  }
  if (!fields.errors().empty()) co_return error_response(req, Error::invalid(fields.errors()));
  token.school_id = school_id;

  auto secret = domain::generate_token_secret();
  auto pending = req.app.db.write(
      kSharedLane, [token, hash = domain::hash_token_secret(secret)](Session& s) -> domain::Result<domain::ApiToken> {
        if (token.school_id && !storage::find_school(s, *token.school_id)) {
          return Error::invalid("school_id", "does not exist");
        }
        return storage::insert_token(s, token, hash);
      });
  auto result = co_await std::move(pending);
  if (!result) co_return error_response(req, result.error());
  auto data = to_json(result.value());
  data["secret"] = secret;
  co_return created_response(req, std::move(data), "/api/tokens/" + std::to_string(result->id));
}

awaitable<Response> revoke_token(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin})) co_return std::move(*denied);
  auto id = req.id_param();
  if (!id) co_return error_response(req, ErrorKind::not_found);
  auto pending = req.app.db.write(kSharedLane, [id = *id](Session& s) { return storage::revoke_token(s, id); });
  bool revoked = co_await std::move(pending);
  if (!revoked) co_return error_response(req, ErrorKind::not_found);
  tokens_changed(req.app);
  co_return no_content(req);
}

}  // namespace

std::vector<Route> token_routes() {
  return {
      {Verb::get, "/api/tokens", &list_tokens},
      {Verb::post, "/api/tokens", &create_token},
      {Verb::get, "/api/tokens/:id", &show_token},
      {Verb::delete_, "/api/tokens/:id", &revoke_token},
  };
}

}  // namespace attendance::http
