#pragma once
// Field rules for the records clients write. Each returns the invalid fields with messages
// (empty when valid), ready for a 422 body. Every invalid field is reported, not just the first.
// Lengths count UTF-8 code points; "blank" means empty or only whitespace, Unicode's included
// (NBSP, U+2000-U+200A, U+3000, U+FEFF...: domain/text.hpp) ("can't be blank").
// Messages follow Ecto: "should be at most 200 character(s)", "is not a known time zone",
// "must be a set of ISO weekdays 1 to 7", "must be greater than 0 and at most 24",
// "must be between 0 and 1", "must be between 28.0 and 43.0",
// "can't be more than 5 minutes in the future". NaN fails every numeric range.

#include <string_view>

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

// temperature within [28.0, 43.0]; timestamp at most kMaxClockSkew after now, and not before
// 2000-01-01.
FieldErrors validate_attendance(const Attendance& attendance, Timestamp now);

// closure reason at most 200 chars (may be empty).
FieldErrors validate_closure(const Closure& closure);

// A name a client gives a thing of its own (an event's client_id, an API token's name), under
// `field`: 1..200 chars, as a name.
FieldErrors validate_label(std::string_view field, std::string_view text);

}  // namespace attendance::domain
