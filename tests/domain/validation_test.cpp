#include "domain/validation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace attendance::domain {
namespace {

using namespace date::literals;
using namespace std::chrono_literals;

using Messages = std::vector<std::string>;

School valid_school() {
  School school;
  school.name = "Rosa Parks Elementary";
  school.timezone = "Europe/Berlin";
  return school;
}

User valid_user() {
  User user;
  user.school_id = 1;
  user.name = "Ada";
  return user;
}

const Timestamp kNow = Timestamp{date::sys_days{2026_y / 11 / 28}} + 8h;

Attendance attendance_with(double temperature, Timestamp timestamp = kNow) {
  Attendance attendance;
  attendance.user_id = 7;
  attendance.temperature = temperature;
  attendance.timestamp = timestamp;
  return attendance;
}

std::string repeat(std::string_view text, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += text;
  return out;
}

// --- Schools ------------------------------------------------------------------------------------

TEST(SchoolValidation, TheDefaultsWithANameAreValid) {
  School school;
  school.name = "A";
  EXPECT_TRUE(validate_school(school).empty());
  EXPECT_TRUE(validate_school(valid_school()).empty());
}

TEST(SchoolValidation, NameCantBeBlank) {
  auto school = valid_school();
  school.name = "";
  EXPECT_EQ(validate_school(school)["name"], Messages{"can't be blank"});
  school.name = "  \t";
  EXPECT_EQ(validate_school(school)["name"], Messages{"can't be blank"});
  school.name = "\u00a0\u3000\ufeff";
  EXPECT_EQ(validate_school(school)["name"], Messages{"can't be blank"});
}

TEST(SchoolValidation, NameCountsCharactersNotBytes) {
  auto school = valid_school();
  school.name = repeat("ü", 200);  // 400 bytes, 200 characters
  EXPECT_TRUE(validate_school(school).empty());
  school.name = repeat("ü", 201);
  EXPECT_EQ(validate_school(school)["name"], Messages{"should be at most 200 character(s)"});
}

TEST(SchoolValidation, UnknownTimeZoneIsRefused) {
  auto school = valid_school();
  school.timezone = "Europe/Atlantis";
  EXPECT_EQ(validate_school(school)["timezone"], Messages{"is not a known time zone"});
  school.timezone = "";
  EXPECT_EQ(validate_school(school)["timezone"], Messages{"can't be blank"});
}

TEST(SchoolValidation, TheHostsOwnZoneAndTheTzTreesAreNoPlace) {
  auto school = valid_school();
  for (const char* zone : {"localtime", "posixrules", "posix/Europe/Paris", "right/UTC"}) {
    school.timezone = zone;
    EXPECT_EQ(validate_school(school)["timezone"], Messages{"is not a known time zone"}) << zone;
  }
  school.timezone = "Europe/Paris";
  EXPECT_TRUE(validate_school(school).empty());
}

TEST(SchoolValidation, SchoolDaysMustBeANonEmptySetOfIsoWeekdays) {
  const Messages expected{"must be a set of ISO weekdays 1 to 7"};
  for (const std::vector<int>& days :
       std::vector<std::vector<int>>{{}, {0, 1}, {1, 8}, {1, 1, 2}}) {
    auto school = valid_school();
    school.school_days = days;
    EXPECT_EQ(validate_school(school)["school_days"], expected) << ::testing::PrintToString(days);
  }
  auto school = valid_school();
  school.school_days = {7, 1, 3};
  EXPECT_TRUE(validate_school(school).empty());
}

TEST(SchoolValidation, MinDailyHoursIsAboveZeroAndAtMost24) {
  auto school = valid_school();
  for (const double hours : {0.0, -1.0, 24.01, std::nan("")}) {
    school.min_daily_hours = hours;
    EXPECT_EQ(validate_school(school)["min_daily_hours"],
              Messages{"must be greater than 0 and at most 24"})
        << hours;
  }
  for (const double hours : {0.5, 4.0, 24.0}) {
    school.min_daily_hours = hours;
    EXPECT_TRUE(validate_school(school).empty()) << hours;
  }
}

TEST(SchoolValidation, MinPeriodRatioIsBetweenZeroAndOneInclusive) {
  auto school = valid_school();
  for (const double ratio : {-0.01, 1.01}) {
    school.min_period_ratio = ratio;
    EXPECT_EQ(validate_school(school)["min_period_ratio"], Messages{"must be between 0 and 1"})
        << ratio;
  }
  for (const double ratio : {0.0, 0.8, 1.0}) {
    school.min_period_ratio = ratio;
    EXPECT_TRUE(validate_school(school).empty()) << ratio;
  }
}

TEST(SchoolValidation, FeverThresholdIsATemperature) {
  auto school = valid_school();
  school.fever_threshold = 43.5;
  EXPECT_EQ(validate_school(school)["fever_threshold"], Messages{"must be between 28.0 and 43.0"});
}

TEST(SchoolValidation, ReportsEveryInvalidFieldAtOnce) {
  School school;
  school.timezone = "Nowhere";
  school.school_days = {};
  const auto errors = validate_school(school);
  EXPECT_EQ(errors.size(), 3U);
  EXPECT_TRUE(errors.count("name") && errors.count("timezone") && errors.count("school_days"));
}

// --- Users --------------------------------------------------------------------------------------

TEST(UserValidation, NameIsRequiredAndAtMost200Characters) {
  auto user = valid_user();
  EXPECT_TRUE(validate_user(user).empty());
  user.name = "";
  EXPECT_EQ(validate_user(user)["name"], Messages{"can't be blank"});
  user.name = std::string(201, 'a');
  EXPECT_EQ(validate_user(user)["name"], Messages{"should be at most 200 character(s)"});
}

TEST(UserValidation, ExternalIdWhenGivenIsOneTo100Characters) {
  auto user = valid_user();
  user.external_id = std::string(100, '7');
  EXPECT_TRUE(validate_user(user).empty());
  user.external_id = std::string(101, '7');
  EXPECT_EQ(validate_user(user)["external_id"], Messages{"should be at most 100 character(s)"});
  user.external_id = "";
  EXPECT_EQ(validate_user(user)["external_id"], Messages{"can't be blank"});
}

TEST(UserValidation, ANameOrExternalIdOfUnicodeSpacesIsBlank) {
  auto user = valid_user();
  user.name = "\u00a0";
  user.external_id = "\u2002\u2009";
  EXPECT_EQ(validate_user(user), (FieldErrors{{"external_id", {"can't be blank"}}, {"name", {"can't be blank"}}}));
}

// --- Attendances --------------------------------------------------------------------------------

TEST(AttendanceValidation, TemperatureBoundsAreInclusive) {
  EXPECT_TRUE(validate_attendance(attendance_with(28.0), kNow).empty());
  EXPECT_TRUE(validate_attendance(attendance_with(43.0), kNow).empty());
  EXPECT_TRUE(validate_attendance(attendance_with(36.6), kNow).empty());
}

TEST(AttendanceValidation, TemperatureJustOutsideTheBoundsIsRefused) {
  for (const double temperature :
       {27.99, 43.01, std::nan(""), std::numeric_limits<double>::infinity()}) {
    EXPECT_EQ(validate_attendance(attendance_with(temperature), kNow)["temperature"],
              Messages{"must be between 28.0 and 43.0"})
        << temperature;
  }
}

TEST(AttendanceValidation, TimestampUpToFiveMinutesAheadIsAccepted) {
  EXPECT_TRUE(validate_attendance(attendance_with(36.6, kNow + 5min), kNow).empty());
  EXPECT_TRUE(validate_attendance(attendance_with(36.6, kNow - 24h), kNow).empty());
}

TEST(AttendanceValidation, TimestampMoreThanFiveMinutesAheadIsRefused) {
  EXPECT_EQ(validate_attendance(attendance_with(36.6, kNow + 5min + 1us), kNow)["timestamp"],
            Messages{"can't be more than 5 minutes in the future"});
}

TEST(AttendanceValidation, TimestampBefore2000IsAResetClock) {
  const Timestamp y2k{date::sys_days{2000_y / 1 / 1}};
  EXPECT_TRUE(validate_attendance(attendance_with(36.6, y2k), kNow).empty());
  for (const Timestamp reset : {y2k - 1us, Timestamp{}, Timestamp{date::sys_days{1_y / 1 / 1}}}) {
    EXPECT_EQ(validate_attendance(attendance_with(36.6, reset), kNow)["timestamp"],
              Messages{"can't be before 2000-01-01"});
  }
}

// --- Closures -----------------------------------------------------------------------------------

TEST(ClosureValidation, ReasonIsAtMost200Characters) {
  Closure closure;
  closure.reason = "";
  EXPECT_TRUE(validate_closure(closure).empty());
  closure.reason = repeat("é", 200);
  EXPECT_TRUE(validate_closure(closure).empty());
  closure.reason = repeat("é", 201);
  EXPECT_EQ(validate_closure(closure)["reason"], Messages{"should be at most 200 character(s)"});
}

// --- Labels (client_id, a token's name) -----------------------------------------------------------

TEST(LabelValidation, ALabelIsNotBlankAndAtMost200Characters) {
  EXPECT_TRUE(validate_label("client_id", "kiosk-1-0001").empty());
  EXPECT_TRUE(validate_label("name", repeat("é", 200)).empty());
  for (const char* blank : {"", " ", "\t\r\n", "\u00a0", "\u3000\ufeff", "\u200b"}) {
    EXPECT_EQ(validate_label("name", blank), (FieldErrors{{"name", {"can't be blank"}}})) << blank;
  }
  EXPECT_EQ(validate_label("client_id", repeat("é", 201)),
            (FieldErrors{{"client_id", {"should be at most 200 character(s)"}}}));
}

}  // namespace
}  // namespace attendance::domain
