#pragma once
// What the handler files share: role checks, decoding failures into responses, lane keys.

#include <initializer_list>
#include <optional>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>

#include "domain/result.hpp"
#include "domain/types.hpp"
#include "http/auth.hpp"
#include "http/json_body.hpp"
#include "http/paging.hpp"
#include "http/render.hpp"
#include "http/request.hpp"
#include "http/responses.hpp"
#include "storage/database.hpp"
#include "storage/repositories.hpp"

namespace attendance::http {

using boost::asio::awaitable;
using domain::Error;
using domain::ErrorKind;
using domain::Id;
using domain::Role;
using storage::Session;

// A 403 response unless the caller's role is one of `allowed` (function-level access).
std::optional<Response> forbid_unless(const Request& req, std::initializer_list<Role> allowed);

// Query parameters that must parse when present: each adds a 422 message to errors otherwise.
std::optional<Id> id_query(const Request& req, std::string_view key, domain::FieldErrors& errors);

// `?from=&to=` of a list: each end optional and inclusive, each must parse (RFC 3339 instants
// with an offset, or YYYY-MM-DD dates), and `to` must not be before `from` (domain/range.hpp).
template <class T>
struct QueryRange {
  std::optional<T> from;
  std::optional<T> to;
};
QueryRange<domain::Timestamp> instant_range_query(const Request& req, domain::FieldErrors& errors);
QueryRange<domain::LocalDate> date_range_query(const Request& req, domain::FieldErrors& errors);

// Write lanes: one user's writes stay in order on one lane; writes without a user share lane 0.
inline std::uint64_t lane_of_user(Id user_id) { return static_cast<std::uint64_t>(user_id); }
inline constexpr std::uint64_t kSharedLane = 0;

}  // namespace attendance::http
