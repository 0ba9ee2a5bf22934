#pragma once
// One request as a handler sees it: the raw message, the matched path parameters, the query,
// the caller and the application.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/url/url_view.hpp>

#include "domain/result.hpp"
#include "domain/types.hpp"
#include "http/context.hpp"
#include "http/principal.hpp"
#include "http/types.hpp"

namespace attendance::http {

namespace live {
class Subscription;
}

struct Request {
  const RawRequest& raw;
  AppContext& app;
  std::string request_id;
  boost::urls::url_view url;              // parsed target: path and query
  std::vector<std::string> path_params;   // values of the route's :params, in order
  std::optional<Principal> principal;     // set for every /api route before the handler runs
  // Set by a handler that answers with a live event stream: the server sends the response's
  // header, then the subscription's events until either side closes.
  std::shared_ptr<live::Subscription> stream;

  // The caller; only for routes that require a token (the router guarantees it is set).
  const Principal& caller() const { return *principal; }

  // The n-th path parameter as an id; empty when it is not a positive integer.
  std::optional<domain::Id> id_param(std::size_t n = 0) const;

  // A query parameter's decoded value; empty when absent. A key given twice never reaches a
  // handler (see repeated_query_error), so this is its only value.
  std::optional<std::string> query(std::string_view key) const;

  // A 422 naming each query key given more than once (`?school_id=1&school_id=2`: "must be
  // given once"), known to the route or not, compared decoded as query() reads them; empty when
  // every key is given once. The dispatcher answers it on /api routes before the handler runs, so
  // no handler ever picks one of two values, and no route takes a list as a repeated key.
  std::optional<domain::Error> repeated_query_error() const;

  // `?cascade=true`.
  // A boolean query parameter: absent is false; true/1 and false/0; anything else is nullopt,
  // for the caller to refuse (422) rather than take as false.
  std::optional<bool> flag(std::string_view key) const;

  std::string_view header(std::string_view name) const;
};

// Parses a positive decimal id; empty on anything else.
std::optional<domain::Id> parse_id(std::string_view text);

}  // namespace attendance::http
