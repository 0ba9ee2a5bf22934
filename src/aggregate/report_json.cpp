#include "aggregate/report_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "domain/time.hpp"

namespace attendance::aggregate {
namespace {

boost::json::object user_json(const UserRow& row, bool day) {
  boost::json::object user;
  user["user_id"] = row.user_id;
  user["name"] = row.name;
  if (row.external_id) user["external_id"] = *row.external_id;
  else user["external_id"] = nullptr;
  user["present"] = row.present;
  user["present_days"] = row.present_days;
  user["school_days"] = row.school_days;
  if (day) {
    user["seconds"] = static_cast<std::int64_t>(row.seconds);
    user["missing_checkout"] = row.missing_checkout;
  }
  return user;
}

void put_period(boost::json::object& out, const PeriodReport& period, const Report& report) {
  out["from"] = domain::format_date(period.from);
  out["to"] = domain::format_date(period.to);
  out["school_days"] = period.school_days;
  out["total"] = period.total;
  out["present"] = period.present;
  out["absent"] = period.absent;
  if (period.checked_in_now) out["checked_in_now"] = *period.checked_in_now;
  if (report.include_users) {
    boost::json::array users;
    users.reserve(period.users.size());
    for (const auto& row : period.users) users.emplace_back(user_json(row, report.period == domain::PeriodKind::day));
    out["users"] = std::move(users);
  }
}

}  // namespace

boost::json::value report_to_json(const Report& report) {
  boost::json::object data;
  data["school_id"] = report.school_id;
  data["timezone"] = report.timezone;
  data["period"] = to_string(report.period);
  if (report.series) {
    boost::json::array series;
    series.reserve(report.periods.size());
    for (const auto& period : report.periods) {
      boost::json::object item;
      put_period(item, period, report);
      series.emplace_back(std::move(item));
    }
    data["series"] = std::move(series);
  } else if (!report.periods.empty()) {
    put_period(data, report.periods.front(), report);
  }
  return data;
}

}  // namespace attendance::aggregate
