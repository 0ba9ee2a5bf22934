#include "aggregate/report_csv.hpp"

#include "domain/time.hpp"

namespace attendance::aggregate {
namespace {

// Quotes a field that holds a comma, a quote or a line break; a field starting with a formula
// leader is prefixed with a quote so spreadsheets don't run a user's name as a formula. Names
// can't hold tab or CR since requests refuse control characters, but rows stored before may.
std::string field(std::string_view text) {
  std::string value(text);
  if (!value.empty() && kFormulaLeaders.find(value[0]) != std::string_view::npos) value.insert(value.begin(), '\'');
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

const char* boolean(bool value) { return value ? "true" : "false"; }

}  // namespace

std::string report_to_csv(const Report& report) {
  const bool day = report.period == domain::PeriodKind::day;
  const std::string school = std::to_string(report.school_id);
  const std::string period_name(to_string(report.period));
  std::string out;
  if (!report.include_users) {
    out += "school_id,timezone,period,from,to,school_days,total,present,absent,checked_in_now\r\n";
    for (const auto& period : report.periods) {
      out += school + ',' + field(report.timezone) + ',' + period_name + ',' + domain::format_date(period.from) + ',' +
             domain::format_date(period.to) + ',' + std::to_string(period.school_days) + ',' +
             std::to_string(period.total) + ',' + std::to_string(period.present) + ',' +
             std::to_string(period.absent) + ',' +
             (period.checked_in_now ? std::to_string(*period.checked_in_now) : std::string()) + "\r\n";
    }
    return out;
  }
  out += "school_id,period,from,to,user_id,name,external_id,present,present_days,school_days";
  out += day ? ",seconds,missing_checkout\r\n" : "\r\n";
  for (const auto& period : report.periods) {
    const std::string prefix = school + ',' + period_name + ',' + domain::format_date(period.from) + ',' +
                               domain::format_date(period.to) + ',';
    for (const auto& row : period.users) {
      out += prefix + std::to_string(row.user_id) + ',' + field(row.name) + ',' + field(row.external_id.value_or("")) +
             ',' + boolean(row.present) + ',' +
             std::to_string(row.present_days) + ',' + std::to_string(row.school_days);
      if (day) out += ',' + std::to_string(row.seconds) + ',' + boolean(row.missing_checkout);
      out += "\r\n";
    }
  }
  return out;
}

}  // namespace attendance::aggregate
