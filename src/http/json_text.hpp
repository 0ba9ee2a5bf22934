#pragma once
// JSON text for responses. Boost.JSON 1.81 prints doubles in exponent form (4E0, 3.66E1);
// clients and people read 4.0 and 36.6, so numbers are written here in their shortest
// round-tripping decimal form and everything else by Boost.JSON.

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace attendance::http {

std::string to_json_text(const boost::json::value& value);

// JSON text already written, to be embedded as it is (a page's rows, written without values).
struct JsonText {
  std::string text;
};

// The pieces of JSON text, appended to `out` as to_json_text writes them.
void append_json(std::string& out, const boost::json::value& value);
void append_json(std::string& out, std::string_view string);
void append_json(std::string& out, std::int64_t number);
void append_json(std::string& out, double number);
void append_json_bool(std::string& out, bool value);
void append_json_null(std::string& out);

}  // namespace attendance::http
