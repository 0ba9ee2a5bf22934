#pragma once
// A plain reference implementation of the presence rules (DESIGN.md section 5), written apart
// from src/domain/presence.cpp and as directly as the rules read: for each period, for each
// user, for each day, walk that user's events of that day. Slow and obvious on purpose.

#include <optional>
#include <string>
#include <vector>

#include "domain/presence.hpp"
#include "domain/types.hpp"

namespace attendance::aggregate::testing {

struct RefSchool {
  std::string timezone;
  std::vector<int> school_days;        // ISO weekdays
  int min_daily_minutes = 240;         // min_daily_hours * 60
  int ratio_percent = 80;              // min_period_ratio * 100
  std::vector<domain::LocalDate> closures;
};

struct RefUser {
  domain::Id id = 0;
  std::string name;
  domain::LocalDate enrolled_on{};
};

struct RefEvent {
  domain::Id user_id = 0;
  domain::Timestamp at{};
  bool checkin = true;
};

struct RefUserRow {
  domain::Id user_id = 0;
  bool present = false;
  int present_days = 0;
  int school_days = 0;
  long long seconds = 0;          // day periods
  bool missing_checkout = false;  // day periods
};

struct RefPeriod {
  domain::LocalDate from{}, to{};
  int school_days = 0, total = 0, present = 0, absent = 0;
  std::optional<int> checked_in_now;
  std::vector<RefUserRow> users;  // by user id
};

// The periods of `kind` overlapping [from, to] (one period: from == to == the asked date).
std::vector<RefPeriod> reference_periods(const RefSchool& school, const std::vector<RefUser>& users,
                                         const std::vector<RefEvent>& events, domain::PeriodKind kind,
                                         domain::LocalDate from, domain::LocalDate to, domain::Timestamp now);

// One period=range report: exactly the window [from, to], the ratio rule of a week or month.
RefPeriod reference_range(const RefSchool& school, const std::vector<RefUser>& users, const std::vector<RefEvent>& events,
                          domain::LocalDate from, domain::LocalDate to, domain::Timestamp now);

// The school's local date of an instant, computed with date/tz directly.
domain::LocalDate reference_local_date(const std::string& timezone, domain::Timestamp instant);
// The first instant of a local day.
domain::Timestamp reference_day_start(const std::string& timezone, domain::LocalDate day);

}  // namespace attendance::aggregate::testing
