#pragma once
// The JSON form of each record, as clients see it (snake_case, timestamps in UTC with Z).

#include <string>

#include <boost/json/object.hpp>

#include "domain/types.hpp"

namespace attendance::http {

boost::json::object to_json(const domain::School& school);
boost::json::object to_json(const domain::User& user);
boost::json::object to_json(const domain::ApiToken& token);
boost::json::object to_json(const domain::Closure& closure);
// fever: the temperature is at or above the school's threshold.
boost::json::object to_json(const domain::Attendance& attendance, double fever_threshold);
// The same object written straight into `out` as JSON text, with no values in between: what a
// page of attendances is made of.
void append_json(std::string& out, const domain::Attendance& attendance, double fever_threshold);

}  // namespace attendance::http
