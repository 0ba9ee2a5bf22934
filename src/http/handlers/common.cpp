#include "http/handlers/common.hpp"

#include "domain/time.hpp"

namespace attendance::http {

std::optional<Response> forbid_unless(const Request& req, std::initializer_list<Role> allowed) {
  if (has_role(req.caller(), allowed)) return std::nullopt;
  return error_response(req, ErrorKind::forbidden);
}

std::optional<Id> id_query(const Request& req, std::string_view key, domain::FieldErrors& errors) {
  auto text = req.query(key);
  if (!text) return std::nullopt;
  auto id = parse_id(*text);
  if (!id) errors[std::string(key)].push_back("must be a positive integer id");
  return id;
}

std::optional<domain::Timestamp> instant_query(const Request& req, std::string_view key, domain::FieldErrors& errors) {
  auto text = req.query(key);
  if (!text) return std::nullopt;
  auto instant = domain::parse_timestamp(*text);
  if (!instant) errors[std::string(key)].push_back("is not a valid RFC 3339 timestamp with an offset");
  return instant;
}

}  // namespace attendance::http
