// The router (src/http/router.*) over the service's real route table (all_routes()), for
// arbitrary request targets parsed as the dispatcher parses them, and any method.
//
// The first byte picks the method, the rest is the request target. Properties:
// - a Found route has the request's method (GET for a HEAD, unless a HEAD route is declared), the
//   path's shape (one segment per pattern segment, the literal ones equal) and one non-empty
//   parameter per `:name`; its index names it;
// - a WrongMethod answer lists methods other than the request's, each of which does match;
// - a path that is NotFound for one method is NotFound for every method;
// - a parameter parse_id accepts is all digits and positive.

#include <boost/beast/http/verb.hpp>
#include <boost/url/parse.hpp>

#include <string>

#include "check.hpp"
#include "http/handlers/handlers.hpp"
#include "http/router.hpp"

namespace {

namespace http = attendance::http;
using attendance::fuzz::check;
using http::Router;
using http::Verb;

constexpr int kVerbCount = static_cast<int>(Verb::unlink) + 1;

const Router& service_router() {
  static const Router router = [] {
    Router r;
    r.add(http::all_routes());
    return r;
  }();
  return router;
}

void check_found(const Router::Found& found, Verb verb, const boost::urls::segments_view& path) {
  const auto& routes = service_router().routes();
  check(found.index < routes.size(), "a found route's index is out of range");
  check(routes[found.index].pattern == found.route->pattern, "a found route's index names another route");
  check(found.route->verb == verb || (verb == Verb::head && found.route->verb == Verb::get),
        "a route of another method was found");
  const auto expected = boost::urls::parse_origin_form(found.route->pattern)->segments();
  check(expected.size() == path.size(), "a route of another shape was found");
  std::size_t params = 0;
  auto actual = path.begin();
  for (const std::string segment : expected) {
    const std::string value = *actual++;
    if (!segment.empty() && segment.front() == ':') {
      check(params < found.params.size() && found.params[params] == value && !value.empty(),
            "a parameter is not the path's segment");
      ++params;
    } else {
      check(segment == value, "a literal segment differs from the path's");
    }
  }
  check(params == found.params.size(), "a found route has a parameter count other than its pattern's");
  for (const auto& param : found.params) {
    if (const auto id = http::parse_id(param)) {
      check(*id > 0 && param.find_first_not_of("0123456789") == std::string::npos, "parse_id accepted a non-id");
    }
  }
}

void check_wrong_method(const Router::WrongMethod& wrong, Verb verb, const boost::urls::segments_view& path) {
  check(!wrong.allow.empty(), "a 405 allows no method");
  std::string_view allow = wrong.allow;
  while (!allow.empty()) {
    const auto comma = allow.find(", ");
    const auto name = allow.substr(0, comma);
    const Verb allowed = boost::beast::http::string_to_verb(name);
    check(allowed != Verb::unknown && allowed != verb, "a 405 allows an unknown method or the request's");
    check(std::holds_alternative<Router::Found>(service_router().match(allowed, path)),
          "a method a 405 allows does not match");
    allow = comma == std::string_view::npos ? std::string_view{} : allow.substr(comma + 2);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto verb = static_cast<Verb>(data[0] % kVerbCount);
  const auto parsed = boost::urls::parse_origin_form(attendance::fuzz::as_text(data + 1, size - 1));
  if (!parsed) return 0;  // the dispatcher answers 400 before routing
  const auto path = parsed->segments();
  const auto match = service_router().match(verb, path);
  if (const auto* found = std::get_if<Router::Found>(&match)) {
    check_found(*found, verb, path);
  } else if (const auto* wrong = std::get_if<Router::WrongMethod>(&match)) {
    check_wrong_method(*wrong, verb, path);
  } else {
    const Verb other = verb == Verb::get ? Verb::post : Verb::get;
    check(std::holds_alternative<Router::NotFound>(service_router().match(other, path)),
          "a path unknown to one method is known to another");
  }
  return 0;
}
