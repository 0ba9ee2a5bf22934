#include "http/request.hpp"

#include <charconv>

namespace attendance::http {

std::optional<domain::Id> parse_id(std::string_view text) {
  domain::Id value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::optional<domain::Id> Request::id_param(std::size_t n) const {
  if (n >= path_params.size()) return std::nullopt;
  return parse_id(path_params[n]);
}

std::optional<std::string> Request::query(std::string_view key) const {
  auto params = url.params();
  auto found = params.find(key);
  if (found == params.end()) return std::nullopt;
  return std::string((*found).value);
}

std::optional<bool> Request::flag(std::string_view key) const {
  auto value = query(key);
  if (!value) return false;
  if (*value == "true" || *value == "1") return true;
  if (*value == "false" || *value == "0") return false;
  return std::nullopt;
}

std::string_view Request::header(std::string_view name) const {
  auto found = raw.find(name);
  if (found == raw.end()) return {};
  return found->value();
}

}  // namespace attendance::http
