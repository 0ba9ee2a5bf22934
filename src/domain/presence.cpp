#include "domain/presence.hpp"

#include <algorithm>
#include <cmath>

#include "domain/time.hpp"

namespace attendance::domain {
namespace {

constexpr std::int64_t kMicrosPerHour = 3'600'000'000;
constexpr std::int64_t kPpm = 1'000'000;

int weekday_of(LocalDate day) { return static_cast<int>(date::weekday(day).iso_encoding()); }

// A user's time in school on one day, from that user's events of the day (oldest first).
struct UserTally {
  std::int64_t micros = 0;
  bool open_at_end = false;
};

UserTally tally(std::span<const PresenceEvent> events, Timestamp day_end, bool today, Timestamp now) {
  UserTally result;
  std::optional<Timestamp> open;
  for (const auto& event : events) {
    if (today && event.at > now) break;
    if (event.type == EventType::checkin) {
      if (!open) open = event.at;
    } else if (open) {
      result.micros += (event.at - *open).count();
      open.reset();
    }
  }
  if (open) {
    const Timestamp until = today ? now : day_end;
    result.micros += std::max<std::int64_t>(0, (until - *open).count());
    result.open_at_end = true;
  }
  return result;
}

}  // namespace

PresenceRules PresenceRules::of(const School& school, const date::time_zone* zone,
                                std::vector<LocalDate> closures) {
  PresenceRules rules;
  rules.zone = zone;
  for (const int weekday : school.school_days) {
    if (weekday >= 1 && weekday <= 7) rules.school_weekdays |= static_cast<std::uint8_t>(1U << weekday);
  }
  rules.min_daily_us = std::llround(school.min_daily_hours * static_cast<double>(kMicrosPerHour));
  rules.ratio_ppm = std::llround(school.min_period_ratio * static_cast<double>(kPpm));
  std::sort(closures.begin(), closures.end());
  closures.erase(std::unique(closures.begin(), closures.end()), closures.end());
  rules.closures = std::move(closures);
  return rules;
}

bool PresenceRules::is_school_day(LocalDate day) const {
  if ((school_weekdays & (1U << weekday_of(day))) == 0) return false;
  return !std::binary_search(closures.begin(), closures.end(), day);
}

DayResult compute_day(const PresenceRules& rules, LocalDate day, std::span<const PresenceUser> users,
                      std::span<const PresenceEvent> events, Timestamp now) {
  DayResult result;
  result.date = day;
  result.school_day = rules.is_school_day(day);
  result.today = local_date_of(rules.zone, now) == day;
  const auto bounds = local_day_bounds(rules.zone, day);

  auto user = users.begin();
  std::size_t i = 0;
  while (i < events.size()) {
    const Id user_id = events[i].user_id;
    std::size_t end = i;
    while (end < events.size() && events[end].user_id == user_id) ++end;
    const auto user_events = events.subspan(i, end - i);
    i = end;

    user = std::lower_bound(user, users.end(), user_id,
                            [](const PresenceUser& u, Id id) { return u.id < id; });
    if (user == users.end() || user->id != user_id || user->enrolled_on > day) continue;

    const auto tallied = tally(user_events, bounds.end, result.today, now);
    if (tallied.micros == 0 && !tallied.open_at_end) continue;
    UserDay entry;
    entry.user_id = user_id;
    entry.seconds = static_cast<std::uint32_t>(tallied.micros / 1'000'000);
    entry.checked_in_now = result.today && tallied.open_at_end;
    entry.missing_checkout = !result.today && tallied.open_at_end;
    entry.present = entry.checked_in_now || tallied.micros > rules.min_daily_us;
    if (entry.checked_in_now) ++result.checked_in_now;
    result.users.push_back(entry);
  }
  return result;
}

Period period_containing(PeriodKind kind, LocalDate day) {
  switch (kind) {
    case PeriodKind::day:
    case PeriodKind::range:
      return {day, day};
    case PeriodKind::week: {
      const LocalDate monday = day - date::days(weekday_of(day) - 1);
      return {monday, monday + date::days(6)};
    }
    case PeriodKind::month: {
      const date::year_month_day ymd{day};
      return {LocalDate{ymd.year() / ymd.month() / 1}, LocalDate{ymd.year() / ymd.month() / date::last}};
    }
  }
  return {day, day};
}

std::vector<Period> periods_overlapping(PeriodKind kind, LocalDate from, LocalDate to, std::size_t limit) {
  std::vector<Period> periods;
  if (kind == PeriodKind::range) {
    if (from <= to && limit > 0) periods.push_back({from, to});
    return periods;
  }
  for (LocalDate day = from; day <= to && periods.size() < limit;) {
    periods.push_back(period_containing(kind, day));
    day = periods.back().to + date::days(1);
  }
  return periods;
}

std::int64_t count_periods(PeriodKind kind, LocalDate from, LocalDate to) {
  if (to < from) return 0;
  if (kind == PeriodKind::range) return 1;
  const Period first = period_containing(kind, from);
  const Period last = period_containing(kind, to);
  switch (kind) {
    case PeriodKind::day:
      return (to - from).count() + 1;
    case PeriodKind::range:
      return 1;
    case PeriodKind::week:
      return (last.from - first.from).count() / 7 + 1;
    case PeriodKind::month: {
      const date::year_month_day a{first.from};
      const date::year_month_day b{last.from};
      return (static_cast<int>(b.year()) - static_cast<int>(a.year())) * 12 +
             (static_cast<int>(static_cast<unsigned>(b.month())) -
              static_cast<int>(static_cast<unsigned>(a.month()))) +
             1;
    }
  }
  return 0;
}

PeriodSummary reduce_period(const PresenceRules& rules, PeriodKind kind, Period period, LocalDate today,
                            std::span<const PresenceUser> users, std::span<const DayResult* const> days,
                            bool include_users) {
  PeriodSummary summary;
  summary.period = period;
  if (period.from <= today && today <= period.to) {
    summary.checked_in_now = 0;
    for (const DayResult* day : days) {
      if (day->date == today) summary.checked_in_now = day->checked_in_now;
    }
  }

  // Begun school days of the period, in order; a user counts those on or after enrolled_on.
  std::vector<LocalDate> school_dates;
  for (const DayResult* day : days) {
    if (day->school_day && day->date <= today && period.from <= day->date && day->date <= period.to) {
      school_dates.push_back(day->date);
    }
  }
  summary.school_days = static_cast<int>(school_dates.size());
  if (school_dates.empty()) return summary;

  // present_days per user, by position in `users`.
  std::vector<int> present_days(users.size(), 0);
  std::vector<const UserDay*> only_day(kind == PeriodKind::day ? users.size() : 0, nullptr);
  for (const DayResult* day : days) {
    if (!day->school_day || day->date > today || day->date < period.from || day->date > period.to) continue;
    auto user = users.begin();
    for (const UserDay& entry : day->users) {
      user = std::lower_bound(user, users.end(), entry.user_id,
                              [](const PresenceUser& u, Id id) { return u.id < id; });
      if (user == users.end()) break;
      if (user->id != entry.user_id || user->enrolled_on > day->date) continue;
      const auto index = static_cast<std::size_t>(user - users.begin());
      if (entry.present) ++present_days[index];
      if (kind == PeriodKind::day) only_day[index] = &entry;
    }
  }

  for (std::size_t index = 0; index < users.size(); ++index) {
    const PresenceUser& user = users[index];
    // school_dates is sorted: the counted days are those from enrolled_on on.
    const auto first_counted = std::lower_bound(school_dates.begin(), school_dates.end(), user.enrolled_on);
    const auto counted = static_cast<int>(school_dates.end() - first_counted);
    if (counted == 0) continue;
    const int days_present = present_days[index];
    const bool present = kind == PeriodKind::day
                             ? days_present > 0
                             : static_cast<std::int64_t>(days_present) * kPpm > rules.ratio_ppm * counted;
    ++summary.total;
    if (present) ++summary.present;
    if (include_users) {
      UserPeriod row;
      row.user_id = user.id;
      row.present = present;
      row.present_days = days_present;
      row.school_days = counted;
      if (kind == PeriodKind::day && only_day[index] != nullptr) {
        row.seconds = only_day[index]->seconds;
        row.missing_checkout = only_day[index]->missing_checkout;
      }
      summary.users.push_back(row);
    }
  }
  summary.absent = summary.total - summary.present;
  return summary;
}

}  // namespace attendance::domain
