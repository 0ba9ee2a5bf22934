#include "tools/datagen/generator.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "domain/time.hpp"
#include "tools/datagen/catalog.hpp"
#include "tools/datagen/random.hpp"

namespace attendance::datagen {

namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Seed streams, so that adding a draw to one kind of entity never shifts another's.
enum Stream : std::uint64_t { kSchoolStream = 1, kUserStream = 2, kDayStream = 3 };

constexpr std::array<std::string_view, 8> kSchoolNames{
    "Riverside", "Hillcrest", "Lakeview", "Oakwood", "Northgate", "Maple Grove", "Harbour", "Westfield"};

// The local wall-clock minute (after midnight) a "live" demo zone should be closest to: late
// morning, when the day has arrivals, some lunchtime check-outs and nobody has left yet.
constexpr double kLiveTarget = 11 * 60 + 45;

double round_tenth(double v) { return std::round(v * 10.0) / 10.0; }

double normal_temperature(Rng& rng) { return round_tenth(std::clamp(rng.normal(36.6, 0.25), 36.0, 37.4)); }

std::string system_zone_name() {
  try {
    std::string name(date::current_zone()->name());
    return name == "Etc/UTC" || name == "Etc/Universal" ? "UTC" : name;
  } catch (const std::exception&) {
    return "UTC";
  }
}

}  // namespace

std::optional<std::string> resolve_live_zone(domain::Timestamp now) {
  std::optional<std::string> best;
  double best_distance = 1e9;
  for (const auto& choice : zone_choices()) {
    const auto* zone = domain::find_time_zone(choice.timezone);
    if (zone == nullptr) continue;
    const auto day = domain::local_date_of(zone, now);
    if (std::find(choice.school_days.begin(), choice.school_days.end(), domain::iso_weekday(day)) ==
        choice.school_days.end()) {
      continue;
    }
    const auto local = zone->to_local(now);
    const double minute = std::chrono::duration<double, std::ratio<60>>(local - date::local_days{day}).count();
    const double distance = std::abs(minute - kLiveTarget);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(choice.timezone);
    }
  }
  return best;
}

Generator::Generator(GeneratorConfig config) : config_(std::move(config)) {
  if (config_.schools < 1 || config_.users_per_school < 1 || config_.days < 1) {
    throw std::invalid_argument("schools, users and days must be at least 1");
  }
  std::optional<std::string> forced = config_.timezone;
  if (forced && *forced == "live") forced = resolve_live_zone(config_.now).value_or(system_zone_name());
  const auto& choices = zone_choices();
  for (int i = 0; i < config_.schools; ++i) {
    SchoolSpec school;
    school.index = i;
    if (forced) {
      school.timezone = *forced;
      const auto& known = zone_choice_of(*forced);
      school.school_days = known.timezone == *forced ? known.school_days : std::vector<int>{1, 2, 3, 4, 5};
    } else {
      const auto& choice = choices[(config_.seed + static_cast<std::uint64_t>(i)) % choices.size()];
      school.timezone = std::string(choice.timezone);
      school.school_days = choice.school_days;
    }
    const auto* zone = domain::find_time_zone(school.timezone);
    if (zone == nullptr) throw std::invalid_argument("unknown time zone: " + school.timezone);
    const auto& city = zone_choice_of(school.timezone).city;
    school.name = fmt::format("{} School, {}", kSchoolNames[static_cast<std::size_t>(i) % kSchoolNames.size()],
                              zone_choice_of(school.timezone).timezone == school.timezone ? city : school.timezone);
    if (i >= static_cast<int>(kSchoolNames.size())) school.name += fmt::format(" #{}", i + 1);
    zones_.push_back(zone);
    schools_.push_back(std::move(school));
  }
}

domain::LocalDate Generator::today(int school) const { return domain::local_date_of(zone(school), config_.now); }

domain::LocalDate Generator::first_day(int school) const { return today(school) - date::days(config_.days - 1); }

std::vector<domain::LocalDate> Generator::school_days(int school) const {
  const auto& week = schools_[static_cast<std::size_t>(school)].school_days;
  std::vector<domain::LocalDate> out;
  for (auto day = first_day(school); day <= today(school); day += date::days(1)) {
    if (std::find(week.begin(), week.end(), domain::iso_weekday(day)) != week.end()) out.push_back(day);
  }
  return out;
}

UserSpec Generator::user(int school, int index) const {
  Rng rng(derive_seed({config_.seed, kUserStream, static_cast<std::uint64_t>(school), static_cast<std::uint64_t>(index)}));
  UserSpec u;
  u.school_index = school;
  u.index = index;
  u.name = fmt::format("{} {}", kFirstNames[rng.next() % kFirstNames.size()], kLastNames[rng.next() % kLastNames.size()]);
  u.external_id = fmt::format("CARD-{:03}-{:05}", school + 1, index + 1);
  // Enrolled before the history's first day, a user would be absent on every school day between
  // (no events there): the demo's months before its history read 0 % present.
  u.enrolled_on = first_day(school);
  if (rng.chance(kLateJoinerShare) && config_.days > 1) u.enrolled_on += date::days(rng.integer(1, config_.days - 1));
  u.role = rng.chance(kStaffShare) ? Role::staff : Role::student;
  if (u.role == Role::staff) {
    u.absence_rate = rng.uniform(0.01, 0.04);
    u.late_rate = 0.01;
    u.lunch_rate = rng.uniform(0.05, 0.3);
    u.arrival_minutes = rng.uniform(7 * 60, 7 * 60 + 35);
    u.departure_minutes = rng.uniform(16 * 60, 17 * 60 + 30);
  } else {
    u.absence_rate = rng.chance(kChronicAbsenteeShare) ? rng.uniform(0.15, 0.25) : rng.uniform(0.02, 0.08);
    u.late_rate = rng.uniform(0.01, 0.08);
    u.lunch_rate = rng.uniform(0.0, 0.2);
    u.arrival_minutes = rng.uniform(7 * 60 + 35, 8 * 60 + 10);
    u.departure_minutes = rng.uniform(14 * 60 + 45, 15 * 60 + 45);
  }
  return u;
}

void Generator::day_events(const UserSpec& user, domain::LocalDate day, std::vector<Event>& out,
                           DayShape* shape) const {
  DayShape drawn;
  if (shape != nullptr) *shape = drawn;
  const int school = user.school_index;
  const auto& week = schools_[static_cast<std::size_t>(school)].school_days;
  if (day < first_day(school) || day > today(school) || day < user.enrolled_on ||
      std::find(week.begin(), week.end(), domain::iso_weekday(day)) == week.end()) {
    return;
  }
  Rng rng(derive_seed({config_.seed, kDayStream, static_cast<std::uint64_t>(school),
                       static_cast<std::uint64_t>(user.index),
                       static_cast<std::uint64_t>(day.time_since_epoch().count())}));
  drawn.absent = rng.chance(user.absence_rate);
  if (drawn.absent) {
    if (shape != nullptr) *shape = drawn;
    return;
  }
  const bool staff = user.role == Role::staff;
  drawn.late = rng.chance(user.late_rate);
  double arrive = 0;
  if (drawn.late) {
    arrive = rng.uniform(8 * 60 + 35, 10 * 60 + 15);
  } else if (staff) {
    arrive = std::clamp(rng.normal(user.arrival_minutes, 8), 6.0 * 60 + 45, 8.0 * 60);
  } else {
    arrive = std::clamp(rng.normal(user.arrival_minutes, 8), 7.0 * 60 + 20, 8.0 * 60 + 29);
  }
  double depart = staff ? std::clamp(rng.normal(user.departure_minutes, 15), 15.0 * 60 + 30, 18.0 * 60)
                        : std::clamp(rng.normal(user.departure_minutes, 10), 14.0 * 60 + 30, 16.0 * 60);
  drawn.fever = rng.chance(kFeverRate);
  if (drawn.fever) depart = arrive + rng.uniform(20, 90);  // sent home
  drawn.lunch = !drawn.fever && rng.chance(user.lunch_rate);
  const double lunch_out = rng.uniform(11 * 60 + 45, 12 * 60 + 30);
  const double lunch_back = lunch_out + rng.uniform(20, 50);
  if (drawn.lunch && (lunch_out <= arrive + 30 || lunch_back >= depart - 30)) drawn.lunch = false;
  drawn.missing_checkout = rng.chance(kMissingCheckoutRate);
  const double fever_temperature = round_tenth(rng.uniform(38.0, 39.5));

  // Wall-clock minutes of the day's scans, strictly increasing by construction.
  struct Scan {
    double minute;
    domain::EventType type;
  };
  std::vector<Scan> scans{{arrive, domain::EventType::checkin}};
  if (drawn.lunch) {
    scans.push_back({lunch_out, domain::EventType::checkout});
    scans.push_back({lunch_back, domain::EventType::checkin});
  }
  if (!drawn.missing_checkout) scans.push_back({depart, domain::EventType::checkout});

  const auto* zone = zones_[static_cast<std::size_t>(school)];
  const auto midnight = date::local_days{day};
  domain::Timestamp previous{};
  int sequence = 0;
  for (const auto& scan : scans) {
    const auto local = date::local_seconds{midnight} + seconds(static_cast<long long>(scan.minute * 60) + rng.integer(0, 59));
    auto instant = std::chrono::time_point_cast<std::chrono::microseconds>(zone->to_sys(local, date::choose::earliest));
    // Strictly after the previous scan even if a DST fold folded two wall times together.
    if (sequence > 0 && instant <= previous) instant = previous + minutes(1);
    if (instant > config_.now) break;  // today stops at now; the prefix still alternates
    Event event;
    event.timestamp = instant;
    event.type = scan.type;
    event.temperature = drawn.fever ? fever_temperature : normal_temperature(rng);
    event.sequence = sequence++;
    previous = instant;
    out.push_back(event);
  }
  if (shape != nullptr) *shape = drawn;
}

std::uint64_t Generator::count_events() const {
  std::uint64_t total = 0;
  std::vector<Event> events;
  for (int s = 0; s < config_.schools; ++s) {
    const auto days = school_days(s);
    for (int u = 0; u < config_.users_per_school; ++u) {
      const auto spec = user(s, u);
      for (auto day : days) {
        events.clear();
        day_events(spec, day, events);
        total += events.size();
      }
    }
  }
  return total;
}

std::string client_id_of(std::uint64_t seed, const UserSpec& user, domain::LocalDate day, int sequence) {
  const date::year_month_day ymd{day};
  return fmt::format("dg{}-{}-{}-{:04}{:02}{:02}-{}", seed, user.school_index + 1, user.index + 1,
                     static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()), sequence);
}

}  // namespace attendance::datagen
