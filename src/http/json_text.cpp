#include "http/json_text.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include <string_view>

namespace attendance::http {

namespace json = boost::json;

namespace {

// Numbers in [1, 1000) with at most one decimal (temperatures, hours), written without
// std::to_chars' shortest-form search, which was 5 % of the CPU of serving pages of attendances.
// The text is what to_chars writes for them: "I.D" parses back to number exactly (checked), no
// shorter text does unless D is 0 (to_chars writes "I", to which ".0" is added below), and fixed
// notation is the shorter one below 1000.
bool append_one_decimal(std::string& out, double number) {
  if (!(number >= 1.0 && number < 1000.0)) return false;
  const double tenths = std::round(number * 10.0);
  if (tenths / 10.0 != number) return false;
  const auto whole = static_cast<int>(tenths) / 10;
  char buffer[8];
  char* end = std::to_chars(buffer, buffer + sizeof buffer, whole).ptr;
  *end++ = '.';
  *end++ = static_cast<char>('0' + static_cast<int>(tenths) % 10);
  out.append(buffer, end);
  return true;
}

void append_double(std::string& out, double number) {
  if (!std::isfinite(number)) {  // JSON has no NaN or infinity
    out += "null";
    return;
  }
  if (append_one_decimal(out, number)) return;
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, number);
  std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

// The bytes JSON escapes: quotes, backslashes and control characters.
constexpr auto kEscaped = [] {
  std::array<bool, 256> escaped{};
  for (int c = 0; c < 0x20; ++c) escaped[c] = true;
  escaped['"'] = true;
  escaped['\\'] = true;
  return escaped;
}();

// As Boost.JSON's serializer writes strings: quotes, backslashes and control characters escaped,
// everything else (UTF-8 included) as it is, in runs.
void append_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the run of characters that need no escape
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!kEscaped[static_cast<unsigned char>(c)]) continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[(c >> 4) & 0xf];
        out += kHex[c & 0xf];
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out += '"';
}

template <class Integer>
void append_integer(std::string& out, Integer number) {
  char buffer[24];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, number);
  out.append(buffer, end);
}

// Written without Boost.JSON's serialize, which returns a new string for every key and scalar:
// those allocations were most of the cost of rendering a page of 100 attendances.
void append(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::double_:
      append_double(out, value.get_double());
      return;
    case json::kind::int64:
      append_integer(out, value.get_int64());
      return;
    case json::kind::uint64:
      append_integer(out, value.get_uint64());
      return;
    case json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return;
    case json::kind::null:
      out += "null";
      return;
    case json::kind::string:
      append_string(out, value.get_string());
      return;
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_object()) {
        if (!first) out += ',';
        first = false;
        append_string(out, key);
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
  }
}

}  // namespace

void append_json(std::string& out, const json::value& value) { append(out, value); }
void append_json(std::string& out, std::string_view string) { append_string(out, string); }
void append_json(std::string& out, std::int64_t number) { append_integer(out, number); }
void append_json(std::string& out, double number) { append_double(out, number); }
void append_json_bool(std::string& out, bool value) { out += value ? "true" : "false"; }
void append_json_null(std::string& out) { out += "null"; }

std::string to_json_text(const json::value& value) {
  std::string out;
  out.reserve(4096);
  append(out, value);
  return out;
}

}  // namespace attendance::http
