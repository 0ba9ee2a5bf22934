#include "aggregate/report.hpp"

#include <algorithm>

namespace attendance::aggregate {

std::vector<PeriodReport> reduce_periods(const SchoolData& school, const AggregateRequest& request, const Plan& plan,
                                         std::span<const domain::DayResult* const> days, std::size_t first_period,
                                         std::size_t end_period) {
  std::vector<PeriodReport> reports;
  reports.reserve(end_period - first_period);
  for (std::size_t i = first_period; i < end_period; ++i) {
    const domain::Period period = plan.periods[i];
    std::span<const domain::DayResult* const> own;
    if (period.from <= plan.last) {
      const auto begin = static_cast<std::size_t>((std::max(period.from, plan.first) - plan.first).count());
      const auto end = static_cast<std::size_t>((std::min(period.to, plan.last) - plan.first).count()) + 1;
      own = days.subspan(begin, end - begin);
    }
    const auto summary = domain::reduce_period(school.rules, request.period, period, plan.today, school.users, own,
                                               request.include_users);
    PeriodReport report;
    report.from = period.from;
    report.to = period.to;
    report.school_days = summary.school_days;
    report.total = summary.total;
    report.present = summary.present;
    report.absent = summary.absent;
    report.checked_in_now = summary.checked_in_now;
    report.users.reserve(request.user_id ? 1 : summary.users.size());
    for (const auto& user : summary.users) {
      if (request.user_id && user.user_id != *request.user_id) continue;
      const auto at = std::lower_bound(school.users.begin(), school.users.end(), user.user_id,
                                       [](const domain::PresenceUser& u, domain::Id id) { return u.id < id; });
      UserRow row;
      row.user_id = user.user_id;
      const auto index = static_cast<std::size_t>(at - school.users.begin());
      row.name = school.names[index];
      row.external_id = school.external_ids[index];
      row.present = user.present;
      row.present_days = user.present_days;
      row.school_days = user.school_days;
      row.seconds = user.seconds;
      row.missing_checkout = user.missing_checkout;
      report.users.push_back(std::move(row));
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

std::string_view to_string(domain::PeriodKind kind) {
  switch (kind) {
    case domain::PeriodKind::day: return "day";
    case domain::PeriodKind::week: return "week";
    case domain::PeriodKind::month: return "month";
    case domain::PeriodKind::range: return "range";
  }
  return "day";
}

}  // namespace attendance::aggregate
