#pragma once
// Field rules for the records clients write. Each returns the invalid fields with messages
// (empty when valid), ready for a 422 body.

#include "domain/result.hpp"
#include "domain/types.hpp"

namespace attendance::domain {

inline constexpr double kMinTemperature = 28.0;
inline constexpr double kMaxTemperature = 43.0;

// name 1..200 chars; timezone known to the tz database; school_days a non-empty set of distinct
// ISO weekdays 1..7; 0 < min_daily_hours <= 24; 0 <= min_period_ratio <= 1;
// fever_threshold within the temperature range.
FieldErrors validate_school(const School& school);

// name 1..200 chars; external_id, when given, 1..100 chars.
FieldErrors validate_user(const User& user);

// temperature within [28.0, 43.0]; timestamp at most kMaxClockSkew after now.
FieldErrors validate_attendance(const Attendance& attendance, Timestamp now);

// closure reason at most 200 chars.
FieldErrors validate_closure(const Closure& closure);

}  // namespace attendance::domain
