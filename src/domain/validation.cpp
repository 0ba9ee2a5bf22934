#include "domain/validation.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "domain/recording.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"

namespace attendance::domain {
namespace {

constexpr std::size_t kMaxNameChars = 200;
constexpr std::size_t kMaxExternalIdChars = 100;
constexpr std::size_t kMaxReasonChars = 200;
constexpr std::size_t kMaxLabelChars = 200;

// Files of the system's tz database that are no place: the host's own zone (which would make a
// school's days follow wherever the server runs) and the alternative trees of every zone.
bool names_no_place(std::string_view zone) {
  return zone == "localtime" || zone == "posixrules" || zone.starts_with("posix/") || zone.starts_with("right/");
}

constexpr Timestamp kEarliestEvent{date::sys_days{date::year{2000} / 1 / 1}};

void add(FieldErrors& errors, std::string_view field, std::string message) {
  errors[std::string(field)].push_back(std::move(message));
}

void check_text(FieldErrors& errors, std::string_view field, std::string_view text,
                std::size_t max_chars) {
  if (is_blank(text)) {
    add(errors, field, "can't be blank");
  } else if (count_chars(text) > max_chars) {
    add(errors, field, "should be at most " + std::to_string(max_chars) + " character(s)");
  }
}

bool in_temperature_range(double value) {
  // Written so that NaN fails.
  return value >= kMinTemperature && value <= kMaxTemperature;
}

constexpr std::string_view kTemperatureMessage = "must be between 28.0 and 43.0";

}  // namespace

FieldErrors validate_school(const School& school) {
  FieldErrors errors;
  check_text(errors, "name", school.name, kMaxNameChars);

  if (is_blank(school.timezone)) {
    add(errors, "timezone", "can't be blank");
  } else if (names_no_place(school.timezone) || find_time_zone(school.timezone) == nullptr) {
    add(errors, "timezone", "is not a known time zone");
  }

  std::vector<int> days = school.school_days;
  std::sort(days.begin(), days.end());
  const bool distinct = std::adjacent_find(days.begin(), days.end()) == days.end();
  const bool in_range =
      std::all_of(days.begin(), days.end(), [](int d) { return d >= 1 && d <= 7; });
  if (days.empty() || !distinct || !in_range) {
    add(errors, "school_days", "must be a set of ISO weekdays 1 to 7");
  }

  if (!(school.min_daily_hours > 0.0 && school.min_daily_hours <= 24.0)) {
    add(errors, "min_daily_hours", "must be greater than 0 and at most 24");
  }
  if (!(school.min_period_ratio >= 0.0 && school.min_period_ratio <= 1.0)) {
    add(errors, "min_period_ratio", "must be between 0 and 1");
  }
  if (!in_temperature_range(school.fever_threshold)) {
    add(errors, "fever_threshold", std::string(kTemperatureMessage));
  }
  return errors;
}

FieldErrors validate_user(const User& user) {
  FieldErrors errors;
  check_text(errors, "name", user.name, kMaxNameChars);
  if (user.external_id) check_text(errors, "external_id", *user.external_id, kMaxExternalIdChars);
  return errors;
}

FieldErrors validate_attendance(const Attendance& attendance, Timestamp now) {
  FieldErrors errors;
  if (!in_temperature_range(attendance.temperature)) {
    add(errors, "temperature", std::string(kTemperatureMessage));
  }
  if (attendance.timestamp > now + kMaxClockSkew) {
    add(errors, "timestamp", "can't be more than 5 minutes in the future");
  }
  // A kiosk whose clock was reset (to 1970, or 2000-01-01 on some boards) sends instants no
  // school day has; they would be stored in a day no one looks at.
  if (attendance.timestamp < kEarliestEvent) add(errors, "timestamp", "can't be before 2000-01-01");
  return errors;
}

FieldErrors validate_closure(const Closure& closure) {
  FieldErrors errors;
  if (count_chars(closure.reason) > kMaxReasonChars) {
    add(errors, "reason", "should be at most " + std::to_string(kMaxReasonChars) + " character(s)");
  }
  return errors;
}

FieldErrors validate_label(std::string_view field, std::string_view text) {
  FieldErrors errors;
  check_text(errors, field, text, kMaxLabelChars);
  return errors;
}

}  // namespace attendance::domain
