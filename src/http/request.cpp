#include "http/request.hpp"

#include <algorithm>
#include <charconv>

namespace attendance::http {

namespace {

constexpr const char* kGivenOnce = "must be given once";

// A key as an error names it: decoded, with any byte that is not printable ASCII encoded again
// (%XX), so the answer stays valid JSON text whatever bytes the client sent.
std::string printable_key(std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '%') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

}  // namespace

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

std::optional<domain::Error> Request::repeated_query_error() const {
  if (url.params().size() < 2) return std::nullopt;  // most requests: nothing to copy or sort
  std::vector<std::string> keys;
  for (auto param : url.params()) {
    if (!param.key.empty()) keys.push_back(std::move(param.key));  // `?&&` names no parameter
  }
  std::sort(keys.begin(), keys.end());
  domain::FieldErrors errors;
  for (auto it = std::adjacent_find(keys.begin(), keys.end()); it != keys.end();
       it = std::adjacent_find(std::upper_bound(it, keys.end(), *it), keys.end())) {
    errors[printable_key(*it)].emplace_back(kGivenOnce);
  }
  if (errors.empty()) return std::nullopt;
  return domain::Error::invalid(std::move(errors));
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
