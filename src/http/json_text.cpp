#include "http/json_text.hpp"

#include <charconv>
#include <cmath>

#include <boost/json/serialize.hpp>

namespace attendance::http {

namespace json = boost::json;

namespace {

void append_double(std::string& out, double number) {
  if (!std::isfinite(number)) {  // JSON has no NaN or infinity
    out += "null";
    return;
  }
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, number);
  std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void append(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::double_:
      append_double(out, value.get_double());
      return;
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(key));
        out += ':';
        append(out, member);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        append(out, item);
      }
      out += ']';
      return;
    }
    default:
      out += json::serialize(value);
  }
}

}  // namespace

std::string to_json_text(const json::value& value) {
  std::string out;
  out.reserve(256);
  append(out, value);
  return out;
}

}  // namespace attendance::http
