#pragma once
// Instants, dates and school-local days. Every "day" in this service is a local day of the
// school's IANA time zone (from the system tzdata through date/tz), so a day lasts 23, 24 or 25
// hours and starts at the first instant whose local date is that day.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <date/tz.h>

#include "domain/types.hpp"

namespace attendance::domain {

// RFC 3339 with a mandatory offset or `Z`: "2026-11-28T07:58:12Z", "2026-11-28T08:58:12.5+01:00".
// Up to 6 fractional digits are kept (more are rejected). Empty when malformed or not a real date.
// Also accepted: lowercase `t` / `z`, any offset up to ±23:59 (including "-00:00").
// Refused: a space separator, a missing offset, "+0100", leap second 60, hour 24, trailing text,
// and an instant outside years 0000..9999 in UTC ("0000-01-01T00:00:00+01:00"), which has no
// RFC 3339 form to answer with.
std::optional<Timestamp> parse_timestamp(std::string_view text);

// UTC with `Z`; fractional seconds only when non-zero ("2026-11-28T07:58:12.250Z" keeps 3 or 6 digits).
std::string format_timestamp(Timestamp instant);

// The same text in a buffer of its own, for renderers that copy it straight into their output
// (no allocation).
struct TimestampText {
  std::array<char, 40> chars{};
  std::size_t size = 0;
  std::string_view view() const { return {chars.data(), size}; }
};
TimestampText timestamp_text(Timestamp instant);

// "07:58:12Z": the UTC time of day, for conflict messages.
std::string format_utc_time_of_day(Timestamp instant);

// Strict "YYYY-MM-DD" naming a real calendar date of the years kFirstDateYear..kLastDateYear.
inline constexpr int kFirstDateYear = 1900;
inline constexpr int kLastDateYear = 9998;
std::optional<LocalDate> parse_date(std::string_view text);
std::string format_date(LocalDate day);

// The zone for an IANA name (exact, case-sensitive), or nullptr when the tz database has no such
// zone. Found zones are cached; safe to call from any thread.
const date::time_zone* find_time_zone(std::string_view name);

// The school-local date of an instant. A null zone means UTC (here and in local_day_bounds).
LocalDate local_date_of(const date::time_zone* zone, Timestamp instant);

// [begin, end) in UTC of a local day; 23 or 25 hours long on daylight-saving change days.
// begin is the first instant whose local date is `day`: where a DST jump skips midnight
// (America/Havana, America/Santiago) that is the transition; where midnight happens twice, the
// first of the two.
struct DayBounds {
  Timestamp begin;
  Timestamp end;
};
DayBounds local_day_bounds(const date::time_zone* zone, LocalDate day);

// ISO weekday: 1 = Monday .. 7 = Sunday.
int iso_weekday(LocalDate day);

// The current instant (microsecond precision).
Timestamp now();

}  // namespace attendance::domain
