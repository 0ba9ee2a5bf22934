#pragma once
// Deterministic timelines of check-ins and check-outs for demos and load tests.
//
// Everything is a pure function of the configuration (seed, sizes, `now`): a school, a user and a
// user-day are each drawn from their own seed derived from their keys, so any of them can be
// generated alone, in any order, without materialising the rest. That is what keeps memory
// bounded at any volume: callers walk the (school, day, user) space and ask for one day at a time.
//
// Contract of every generated user-day (DESIGN.md section 4), checked by tests/datagen:
// - only on the school's school days (ISO weekdays of its settings, in its own time zone), from
//   the user's enrolled_on on, which is the history's first day or (for a few) a later one;
// - events alternate, starting with a check-in, at strictly increasing instants, all inside the
//   local day;
// - none after `now` (today is cut at `now`, so it may end on an open check-in);
// - temperatures in 36.0-37.4 except fevers (>= 38.0, then the user goes home early).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <date/tz.h>

#include "domain/types.hpp"
#include "tools/datagen/model.hpp"

namespace attendance::datagen {

struct GeneratorConfig {
  std::uint64_t seed = 1;
  int schools = 1;
  int users_per_school = 100;
  int days = 30;                    // local calendar days of history, ending with today (included)
  domain::Timestamp now{};          // the run's clock; today is cut here
  std::optional<std::string> timezone;  // force every school's zone ("live": see resolve_live_zone)
};

// Rough rates the generator aims at (per user-day of a present student, unless said otherwise).
inline constexpr double kChronicAbsenteeShare = 0.06;  // of students, absent 15-25 % of days
inline constexpr double kMissingCheckoutRate = 0.02;
inline constexpr double kFeverRate = 0.004;
inline constexpr double kStaffShare = 0.08;           // of users
// Of users: enrolled on a day inside the history (a new student mid-term); everyone else is
// enrolled on its first day, so no school day before the history counts them absent.
inline constexpr double kLateJoinerShare = 0.03;

class Generator {
 public:
  // Throws std::invalid_argument for sizes < 1 or an unknown time zone.
  explicit Generator(GeneratorConfig config);

  const GeneratorConfig& config() const { return config_; }
  const std::vector<SchoolSpec>& schools() const { return schools_; }

  // The school's local date of `now`.
  domain::LocalDate today(int school) const;
  // The school days of the history window of `school`, oldest first (today included when it
  // is a school day).
  std::vector<domain::LocalDate> school_days(int school) const;
  // The first local day of the history window of `school`.
  domain::LocalDate first_day(int school) const;

  UserSpec user(int school, int user) const;

  // The events of one user's local day, oldest first; `shape`, when given, receives what was
  // drawn. `user` must come from user(school, ...). Days outside the history window, before
  // enrolled_on or not school days yield nothing.
  void day_events(const UserSpec& user, domain::LocalDate day, std::vector<Event>& out,
                  DayShape* shape = nullptr) const;

  // Total events of the run (walks every user-day once; no storage).
  std::uint64_t count_events() const;

  const date::time_zone* zone(int school) const { return zones_[static_cast<std::size_t>(school)]; }

 private:
  GeneratorConfig config_;
  std::vector<SchoolSpec> schools_;
  std::vector<const date::time_zone*> zones_;
};

// A stable client_id for an event: the same event gets the same id in every run of the seed,
// so a re-sent event is a retry (200), never a duplicate.
std::string client_id_of(std::uint64_t seed, const UserSpec& user, domain::LocalDate day, int sequence);

// The zone (from the generator's list) where `now` falls on one of its school days, closest to
// late morning, so a demo opened now shows a school day in progress; empty when it is a day off
// in every listed zone. "--timezone live" falls back to the system's zone then.
std::optional<std::string> resolve_live_zone(domain::Timestamp now);

}  // namespace attendance::datagen
