#include "http/handlers/common.hpp"

#include "domain/range.hpp"
#include "domain/time.hpp"

namespace attendance::http {

namespace {

// Both ends read with `parse` (empty when malformed: `message` on that end), then their order.
template <class T, class Parse>
QueryRange<T> range_query(const Request& req, domain::FieldErrors& errors, Parse parse, const char* message) {
  const auto read = [&](std::string_view key) -> std::optional<T> {
    auto text = req.query(key);
    if (!text) return std::nullopt;
    std::optional<T> value = parse(*text);
    if (!value) errors[std::string(key)].emplace_back(message);
    return value;
  };
  QueryRange<T> range{read("from"), read("to")};
  domain::check_range_order(range.from, range.to, errors);
  return range;
}

}  // namespace

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

QueryRange<domain::Timestamp> instant_range_query(const Request& req, domain::FieldErrors& errors) {
  return range_query<domain::Timestamp>(req, errors, &domain::parse_timestamp,
                                        "is not a valid RFC 3339 timestamp with an offset");
}

QueryRange<domain::LocalDate> date_range_query(const Request& req, domain::FieldErrors& errors) {
  return range_query<domain::LocalDate>(req, errors, &domain::parse_date, "is not a valid date (YYYY-MM-DD)");
}

}  // namespace attendance::http
