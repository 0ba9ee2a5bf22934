#pragma once
// The JSON of an aggregate report (issue 3): the value that goes under "data".
//   one period: {"school_id", "timezone", "period", "from", "to", "school_days", "total",
//                "present", "absent", ["checked_in_now"], ["users": [...]]}
//   a series:   {"school_id", "timezone", "period", "series": [{"from", "to", ...}, ...]}
// A user row: {"user_id", "name", "present", "present_days", "school_days"} plus, for a day,
// "seconds" and "missing_checkout". checked_in_now only when the period contains today.

#include <boost/json/value.hpp>

#include "aggregate/report.hpp"

namespace attendance::aggregate {

boost::json::value report_to_json(const Report& report);

}  // namespace attendance::aggregate
