#pragma once
// The JSON form of each record, as clients see it (snake_case, timestamps in UTC with Z).

#include <boost/json/object.hpp>

#include "domain/types.hpp"

namespace attendance::http {

boost::json::object to_json(const domain::School& school);
boost::json::object to_json(const domain::User& user);
boost::json::object to_json(const domain::ApiToken& token);
boost::json::object to_json(const domain::Closure& closure);
// fever: the temperature is at or above the school's threshold. `storage` holds the object's
// memory (a page renders its rows into one monotonic buffer).
boost::json::object to_json(const domain::Attendance& attendance, double fever_threshold,
                            boost::json::storage_ptr storage = {});

}  // namespace attendance::http
