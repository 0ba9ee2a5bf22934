#include "http/router.hpp"

#include <algorithm>

#include <boost/beast/http/verb.hpp>

namespace attendance::http {

namespace {

std::vector<std::string> split_pattern(std::string_view pattern) {
  std::vector<std::string> segments;
  std::size_t start = 1;  // patterns start with '/'
  while (start <= pattern.size()) {
    auto end = pattern.find('/', start);
    if (end == std::string_view::npos) end = pattern.size();
    segments.emplace_back(pattern.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool is_param(const std::string& segment) { return !segment.empty() && segment.front() == ':'; }

// Matches and collects the parameter values; false when the path has another shape.
bool match_segments(const std::vector<std::string>& pattern, const boost::urls::segments_view& path,
                    std::vector<std::string>& params) {
  if (pattern.size() != path.size()) return false;
  params.clear();
  auto it = path.begin();
  for (const auto& expected : pattern) {
    std::string actual = *it++;
    if (is_param(expected)) {
      if (actual.empty()) return false;
      params.push_back(std::move(actual));
    } else if (actual != expected) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::add(Route route) {
  compiled_.push_back({route, split_pattern(route.pattern)});
  routes_.push_back(std::move(route));
}

void Router::add(const std::vector<Route>& routes) {
  for (const auto& route : routes) add(route);
}

Router::Match Router::match(Verb verb, const boost::urls::segments_view& segments) const {
  auto match = match_declared(verb, segments);
  if (verb == Verb::head && !std::holds_alternative<Found>(match)) {
    auto as_get = match_declared(Verb::get, segments);
    if (std::holds_alternative<Found>(as_get)) return as_get;
  }
  return match;
}

Router::Match Router::match_declared(Verb verb, const boost::urls::segments_view& segments) const {
  std::vector<std::string> params;
  std::vector<std::string_view> allowed;
  auto allow = [&allowed](Verb other) {
    auto name = boost::beast::http::to_string(other);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) allowed.push_back(name);
  };
  for (const auto& candidate : compiled_) {
    if (!match_segments(candidate.segments, segments, params)) continue;
    if (candidate.route.verb == verb) {
      return Found{&candidate.route, std::move(params), static_cast<std::size_t>(&candidate - compiled_.data())};
    }
    allow(candidate.route.verb);
    if (candidate.route.verb == Verb::get) allow(Verb::head);
  }
  if (allowed.empty()) return NotFound{};
  std::string list;
  for (auto name : allowed) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return WrongMethod{list};
}

std::vector<std::string> Router::describe() const {
  std::vector<std::string> lines;
  for (const auto& [route, segments] : compiled_) {
    std::string path;
    for (const auto& segment : segments) {
      path += '/';
      path += is_param(segment) ? "{" + segment.substr(1) + "}" : segment;
    }
    lines.push_back(std::string(boost::beast::http::to_string(route.verb)) + " " + path);
  }
  return lines;
}

}  // namespace attendance::http
