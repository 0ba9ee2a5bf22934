#pragma once
// JSON text for responses. Boost.JSON 1.81 prints doubles in exponent form (4E0, 3.66E1);
// clients and people read 4.0 and 36.6, so numbers are written here in their shortest
// round-tripping decimal form and everything else by Boost.JSON.

#include <string>

#include <boost/json/value.hpp>

namespace attendance::http {

std::string to_json_text(const boost::json::value& value);

}  // namespace attendance::http
