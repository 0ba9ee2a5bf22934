#include "reference_support.hpp"

#include <algorithm>

#include <date/tz.h>

namespace attendance::aggregate::testing {

using domain::LocalDate;
using domain::Timestamp;
using std::chrono::microseconds;

LocalDate reference_local_date(const std::string& timezone, Timestamp instant) {
  const date::zoned_time<microseconds> zoned(timezone, instant);
  return date::floor<date::days>(zoned.get_local_time());
}

Timestamp reference_day_start(const std::string& timezone, LocalDate day) {
  const auto* zone = date::locate_zone(timezone);
  // Midnight may not exist on a daylight-saving day; then the day starts at the transition.
  return date::floor<microseconds>(zone->to_sys(date::local_seconds(day.time_since_epoch()), date::choose::earliest));
}

namespace {

struct Day {
  long long micros = 0;
  bool present = false;
  bool missing_checkout = false;
  bool checked_in_now = false;
};

Day user_day(const RefSchool& school, const std::vector<RefEvent>& events, domain::Id user, LocalDate day,
             LocalDate today, Timestamp now) {
  const Timestamp start = reference_day_start(school.timezone, day);
  const Timestamp end = reference_day_start(school.timezone, day + date::days(1));
  std::vector<RefEvent> mine;
  for (const auto& e : events) {
    if (e.user_id != user || e.at < start || e.at >= end) continue;
    if (day == today && e.at > now) continue;
    mine.push_back(e);
  }
  std::sort(mine.begin(), mine.end(), [](const RefEvent& a, const RefEvent& b) { return a.at < b.at; });
  Day result;
  std::optional<Timestamp> open;
  for (const auto& e : mine) {
    if (e.checkin && !open) open = e.at;
    else if (!e.checkin && open) {
      result.micros += (e.at - *open).count();
      open.reset();
    }
  }
  if (open) {
    if (day == today) {
      result.micros += std::max<long long>(0, (now - *open).count());
      result.checked_in_now = true;
    } else {
      result.micros += (end - *open).count();
      result.missing_checkout = true;
    }
  }
  result.present = result.checked_in_now || result.micros > static_cast<long long>(school.min_daily_minutes) * 60'000'000;
  return result;
}

bool is_school_day(const RefSchool& school, LocalDate day) {
  const int weekday = static_cast<int>(date::weekday(day).iso_encoding());
  if (std::find(school.school_days.begin(), school.school_days.end(), weekday) == school.school_days.end()) return false;
  return std::find(school.closures.begin(), school.closures.end(), day) == school.closures.end();
}

std::pair<LocalDate, LocalDate> period_of(domain::PeriodKind kind, LocalDate day) {
  if (kind == domain::PeriodKind::day) return {day, day};
  if (kind == domain::PeriodKind::week) {
    LocalDate monday = day;
    while (date::weekday(monday) != date::Monday) monday -= date::days(1);
    return {monday, monday + date::days(6)};
  }
  LocalDate first = day;
  while (date::year_month_day(first).day() != date::day(1)) first -= date::days(1);
  LocalDate last = day;
  while (date::year_month_day(last + date::days(1)).day() != date::day(1)) last += date::days(1);
  return {first, last};
}

RefPeriod one_period(const RefSchool& school, const std::vector<RefUser>& users, const std::vector<RefEvent>& events,
                     domain::PeriodKind kind, LocalDate from, LocalDate to, Timestamp now) {
  const LocalDate today = reference_local_date(school.timezone, now);
  RefPeriod period;
  period.from = from;
  period.to = to;
  for (LocalDate d = from; d <= to && d <= today; d += date::days(1)) {
    if (is_school_day(school, d)) ++period.school_days;
  }
  if (from <= today && today <= to) {
    period.checked_in_now = 0;
    for (const auto& user : users) {
      if (user.enrolled_on <= today && user_day(school, events, user.id, today, today, now).checked_in_now) {
        ++*period.checked_in_now;
      }
    }
  }
  for (const auto& user : users) {
    RefUserRow row;
    row.user_id = user.id;
    for (LocalDate d = from; d <= to && d <= today; d += date::days(1)) {
      if (!is_school_day(school, d) || d < user.enrolled_on) continue;
      ++row.school_days;
      const Day result = user_day(school, events, user.id, d, today, now);
      if (result.present) ++row.present_days;
      if (kind == domain::PeriodKind::day) {
        row.seconds = result.micros / 1'000'000;
        row.missing_checkout = result.missing_checkout;
      }
    }
    if (row.school_days == 0) continue;
    row.present = kind == domain::PeriodKind::day ? row.present_days == 1
                                                  : row.present_days * 100 > school.ratio_percent * row.school_days;
    ++period.total;
    if (row.present) ++period.present;
    period.users.push_back(row);
  }
  std::sort(period.users.begin(), period.users.end(),
            [](const RefUserRow& a, const RefUserRow& b) { return a.user_id < b.user_id; });
  period.absent = period.total - period.present;
  return period;
}

}  // namespace

std::vector<RefPeriod> reference_periods(const RefSchool& school, const std::vector<RefUser>& users,
                                         const std::vector<RefEvent>& events, domain::PeriodKind kind, LocalDate from,
                                         LocalDate to, Timestamp now) {
  std::vector<RefPeriod> periods;
  LocalDate day = from;
  while (day <= to) {
    const auto [first, last] = period_of(kind, day);
    periods.push_back(one_period(school, users, events, kind, first, last, now));
    day = last + date::days(1);
  }
  return periods;
}

RefPeriod reference_range(const RefSchool& school, const std::vector<RefUser>& users, const std::vector<RefEvent>& events,
                          LocalDate from, LocalDate to, Timestamp now) {
  return one_period(school, users, events, domain::PeriodKind::range, from, to, now);
}

}  // namespace attendance::aggregate::testing
