#pragma once
// What the generator produces: schools, users and their events, as plain values.

#include <cstdint>
#include <string>
#include <vector>

#include "domain/types.hpp"

namespace attendance::datagen {

// A generated school. `index` is its position in the run (0-based); ids are the database's.
struct SchoolSpec {
  int index = 0;
  std::string name;
  std::string timezone;
  std::vector<int> school_days;  // ISO weekdays
};

// What kind of attendee a user is; staff come earlier and leave later.
enum class Role { student, staff };

// A generated user and the habits that shape the user's days (fixed for the whole run).
struct UserSpec {
  int school_index = 0;
  int index = 0;  // within the school
  std::string name;
  std::string external_id;
  domain::LocalDate enrolled_on{};
  Role role = Role::student;
  double absence_rate = 0;    // chance of missing a school day
  double late_rate = 0;       // chance of arriving after the bell
  double lunch_rate = 0;      // chance of a lunchtime check-out/check-in pair
  double arrival_minutes = 0;    // usual arrival, minutes after local midnight
  double departure_minutes = 0;  // usual departure, minutes after local midnight
};

// One check-in or check-out; `sequence` is its position within its user's local day (0-based),
// which with the user and the day names it uniquely (see client_id_of).
struct Event {
  domain::Timestamp timestamp{};
  domain::EventType type = domain::EventType::checkin;
  double temperature = 36.6;
  int sequence = 0;
};

// Facts about a generated user-day, for tests and reports.
struct DayShape {
  bool absent = false;
  bool late = false;
  bool lunch = false;
  bool fever = false;
  bool missing_checkout = false;
};

}  // namespace attendance::datagen
