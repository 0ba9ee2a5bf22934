#pragma once
// Routes as data: each resource file contributes a table of (verb, pattern, handler). The router
// tells an unknown path (404) from a known path with another verb (405, with the verbs allowed)
// and extracts the pattern's `:params` once.
//
// HEAD is GET without the body (RFC 9110 section 9.3.2), so GET routes serve it: a HEAD request
// finds the GET route of its path (Found::route->verb is GET) unless a route is declared for HEAD
// itself, and a 405's Allow lists HEAD wherever it lists GET. routes() and describe() hold the
// declared routes only.
//
//   router.add({Verb::get, "/api/schools/:id", &show_school});
//   auto match = router.match(Verb::get, url.segments());
//   auto same = router.match(Verb::head, url.segments());   // Found: the same GET route

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/url/segments_view.hpp>

#include "http/request.hpp"

namespace attendance::http {

using Handler = boost::asio::awaitable<Response> (*)(Request&);

enum class Access {
  token,   // needs a valid API token (every /api route)
  public_  // health checks and the dashboard's files
};

struct Route {
  Verb verb;
  std::string pattern;  // "/api/schools/:id"
  Handler handler;
  Access access = Access::token;
};

class Router {
 public:
  struct Found {
    const Route* route;
    std::vector<std::string> params;
    std::size_t index = 0;  // the route's position in routes()
  };
  struct NotFound {};
  struct WrongMethod {
    std::string allow;  // "GET, HEAD, POST"
  };
  using Match = std::variant<Found, NotFound, WrongMethod>;

  void add(Route route);
  void add(const std::vector<Route>& routes);

  Match match(Verb verb, const boost::urls::segments_view& segments) const;

  const std::vector<Route>& routes() const { return routes_; }

  // "GET /api/schools/{id}" per route, in OpenAPI path syntax, for --print-routes.
  std::vector<std::string> describe() const;

 private:
  struct Compiled {
    Route route;
    std::vector<std::string> segments;  // ":name" marks a parameter
  };
  // The route declared for exactly this verb, or why there is none.
  Match match_declared(Verb verb, const boost::urls::segments_view& segments) const;

  std::vector<Compiled> compiled_;
  std::vector<Route> routes_;
};

}  // namespace attendance::http
