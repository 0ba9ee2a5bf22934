#pragma once
// The presence rules of DESIGN.md section 5, pure: no I/O, no clock, no threads.
//
// The unit of work is one local day of one school (compute_day -> DayResult): it is what the
// aggregation engine computes in parallel and caches. A period (day, ISO week, calendar month)
// is then reduced from the DayResults of its dates (reduce_period), which is cheap.
//
//   PresenceRules rules = PresenceRules::of(school, zone, closures);
//   DayResult monday = compute_day(rules, day, users, events_of_that_day, now);
//   PeriodSummary week = reduce_period(rules, PeriodKind::week, week_from, week_to, today, users,
//                                      day_results_from_week_from_to_today, true);
//
// Thresholds are compared in integers so that "exactly 4 h" and "exactly 80 %" are decided
// exactly: min_daily_hours is taken to the microsecond, min_period_ratio to the millionth.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <date/tz.h>

#include "domain/types.hpp"

namespace attendance::domain {

// A school's settings as the rules need them.
struct PresenceRules {
  const date::time_zone* zone = nullptr;
  std::uint8_t school_weekdays = 0;   // bit n set: ISO weekday n (1..7) is a school weekday
  std::int64_t min_daily_us = 0;      // more than this much time in school is present on a day
  std::int64_t ratio_ppm = 0;         // min_period_ratio in millionths
  std::vector<LocalDate> closures;    // sorted, unique

  // zone must be the school's time zone (non-null); closures in any order.
  static PresenceRules of(const School& school, const date::time_zone* zone,
                          std::vector<LocalDate> closures);

  // ISO weekday in school_days and not a closure.
  bool is_school_day(LocalDate day) const;
};

// A user as the rules need them. Lists of PresenceUser are sorted by id.
struct PresenceUser {
  Id id = 0;
  LocalDate enrolled_on{};
};

// A check-in or check-out as the rules need it.
struct PresenceEvent {
  Id user_id = 0;
  Timestamp at{};
  EventType type = EventType::checkin;
};

// One user's day. Users with no time in school and no open check-in that day have no UserDay.
struct UserDay {
  Id user_id = 0;
  std::uint32_t seconds = 0;       // time in school, whole seconds (a day has at most 25 h)
  bool present = false;            // present on the day (decided to the microsecond)
  bool missing_checkout = false;   // a check-in left open at the end of a past day
  bool checked_in_now = false;     // today only: checked in at `now`
};

// One local day of one school: the unit computed in parallel and cached.
struct DayResult {
  LocalDate date{};
  bool school_day = false;
  bool today = false;              // computed as "today" (not cacheable)
  std::vector<UserDay> users;      // sorted by user_id; only enrolled users (enrolled_on <= date)
  int checked_in_now = 0;          // today only: enrolled users checked in at `now`

  // Approximate heap + object size, for the cache's memory bound.
  std::size_t bytes() const { return sizeof(DayResult) + users.capacity() * sizeof(UserDay); }
};

// day: a local date that has begun (day <= the local date of now).
// users: sorted by id. events: the events whose timestamp falls inside the day's local bounds,
// ordered by (user_id, at); events of unknown users are ignored.
// Within a user's day a check-in opens an interval unless one is open, a check-out closes the
// open one; others (which the recording rules never store) are ignored. An interval open at the
// end of a past day counts to the end of the day (missing_checkout); open today, to `now`.
// Today, events stamped after `now` have not happened yet and are ignored.
DayResult compute_day(const PresenceRules& rules, LocalDate day, std::span<const PresenceUser> users,
                      std::span<const PresenceEvent> events, Timestamp now);

// day, ISO week, calendar month; range: a window of dates given explicitly by the client (its
// rules are those of a week or month: the ratio applies; it is never derived from one date).
enum class PeriodKind { day, week, month, range };

struct Period {
  LocalDate from{};
  LocalDate to{};  // inclusive
  friend bool operator==(const Period&, const Period&) = default;
};

// The day, ISO week (Monday to Sunday) or calendar month containing `day` (range: the day alone).
Period period_containing(PeriodKind kind, LocalDate day);
// Every period of `kind` overlapping [from, to], oldest first; at most `limit` (more are cut).
// range: the one period [from, to] (none when to < from or limit is 0).
std::vector<Period> periods_overlapping(PeriodKind kind, LocalDate from, LocalDate to, std::size_t limit);
// How many periods of `kind` overlap [from, to] (from <= to); range: 1.
std::int64_t count_periods(PeriodKind kind, LocalDate from, LocalDate to);

// One counted user of a period.
struct UserPeriod {
  Id user_id = 0;
  bool present = false;
  int present_days = 0;
  int school_days = 0;             // the period's begun school days from enrolled_on on
  // Day periods only:
  std::uint32_t seconds = 0;
  bool missing_checkout = false;
};

struct PeriodSummary {
  Period period;
  int school_days = 0;             // school days of the period that have begun
  int total = 0;                   // users with at least one counted school day
  int present = 0;
  int absent = 0;
  std::optional<int> checked_in_now;  // only when the period contains today
  std::vector<UserPeriod> users;   // only when asked; sorted by user_id
};

// days: the DayResults of period.from .. min(period.to, today), one per date in order (dates
// after today have not begun and are not passed). Day periods: present means present on the day;
// weeks, months and ranges: present on more than min_period_ratio of the user's counted school days.
PeriodSummary reduce_period(const PresenceRules& rules, PeriodKind kind, Period period, LocalDate today,
                            std::span<const PresenceUser> users, std::span<const DayResult* const> days,
                            bool include_users);

}  // namespace attendance::domain
