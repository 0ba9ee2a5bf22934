#pragma once
// The CSV form of an aggregate report (format=csv), RFC 4180 (CRLF line ends, quoted fields when
// needed), one header line then:
// - without users: one row per period:
//     school_id,timezone,period,from,to,school_days,total,present,absent,checked_in_now
// - with include=users: one row per user per period:
//     school_id,period,from,to,user_id,name,present,present_days,school_days[,seconds,missing_checkout]
// checked_in_now is empty when the period does not contain today. Content type: text/csv.

#include <string>
#include <string_view>

#include "aggregate/report.hpp"

namespace attendance::aggregate {

inline constexpr std::string_view kCsvContentType = "text/csv; charset=utf-8";

// The characters that make a spreadsheet read a field as a formula when it starts with one
// (OWASP's CSV injection list: = + - @, tab and CR). Such a field is written behind a `'`.
inline constexpr std::string_view kFormulaLeaders = "=+-@\t\r";

std::string report_to_csv(const Report& report);

}  // namespace attendance::aggregate
