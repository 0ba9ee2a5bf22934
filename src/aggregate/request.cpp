#include "aggregate/request.hpp"

#include <algorithm>
#include <charconv>

#include "domain/range.hpp"
#include "domain/time.hpp"

namespace attendance::aggregate {

using domain::LocalDate;
using domain::PeriodKind;

domain::Result<AggregateQuery> parse_aggregate_query(domain::Id school_id,
                                                     const std::map<std::string, std::string>& params) {
  AggregateQuery query;
  query.request.school_id = school_id;
  domain::FieldErrors errors;
  const auto param = [&params](const char* name) -> const std::string* {
    const auto it = params.find(name);
    return it == params.end() ? nullptr : &it->second;
  };
  const auto read_date = [&](const char* name) -> std::optional<LocalDate> {
    const auto* text = param(name);
    if (text == nullptr) return std::nullopt;
    auto day = domain::parse_date(*text);
    if (!day) errors[name].push_back("must be a date YYYY-MM-DD");
    return day;
  };

  if (const auto* period = param("period")) {
    if (*period == "day") query.request.period = PeriodKind::day;
    else if (*period == "week") query.request.period = PeriodKind::week;
    else if (*period == "month") query.request.period = PeriodKind::month;
    else if (*period == "range") query.request.period = PeriodKind::range;
    else errors["period"].push_back("must be one of day, week, month, range");
  }
  const bool range = query.request.period == PeriodKind::range;
  query.request.date = read_date("date");
  query.request.from = read_date("from");
  query.request.to = read_date("to");
  if (const auto* include = param("include")) {
    if (*include == "users") query.request.include_users = true;
    else if (!include->empty()) errors["include"].push_back("must be users");
  }
  if (const auto* format = param("format")) {
    if (*format == "csv") query.format = ReportFormat::csv;
    else if (*format != "json") errors["format"].push_back("must be json or csv");
  }
  if (const auto* user_id = param("user_id")) {
    domain::Id value = 0;
    const char* end = user_id->data() + user_id->size();
    const auto [stop, error] = std::from_chars(user_id->data(), end, value);
    if (error != std::errc{} || stop != end || value <= 0) errors["user_id"].push_back("must be a positive integer id");
    else query.request.user_id = value;
  }

  const bool has_from = param("from") != nullptr;
  const bool has_to = param("to") != nullptr;
  if (range && param("date") != nullptr) {
    errors["date"].push_back("cannot be used with period=range (give from and to)");
  } else if ((has_from || has_to) && param("date") != nullptr) {
    errors["date"].push_back("cannot be combined with from and to");
  }
  if (range && !has_from && !has_to) {
    errors["from"].push_back("is required with period=range");
    errors["to"].push_back("is required with period=range");
  } else if (has_from != has_to) {
    errors[has_from ? "to" : "from"].push_back("is required with " + std::string(has_from ? "from" : "to"));
  }
  // The order is checked as on every list; the length only of a request valid otherwise.
  domain::check_range_order(query.request.from, query.request.to, errors);
  if (query.request.from && query.request.to && errors.empty()) {
    if (range) {
      if (domain::count_periods(PeriodKind::day, *query.request.from, *query.request.to) > kMaxRangeDays) {
        errors["to"].push_back("the range covers more than " + std::to_string(kMaxRangeDays) + " days");
      }
    } else if (domain::count_periods(query.request.period, *query.request.from, *query.request.to) > kMaxPeriods) {
      errors["to"].push_back("the range covers more than " + std::to_string(kMaxPeriods) + " periods");
    }
  }
  if (!errors.empty()) return domain::Error::invalid(std::move(errors));
  return query;
}

Plan plan_request(const AggregateRequest& request, LocalDate today) {
  Plan plan;
  plan.today = today;
  if (request.period == PeriodKind::range) {
    // Validated requests always carry both ends; a bare range request means today alone.
    const LocalDate from = request.from.value_or(request.date.value_or(today));
    plan.periods.push_back({from, std::max(from, request.to.value_or(from))});
  } else if (request.from && request.to) {
    plan.periods = domain::periods_overlapping(request.period, *request.from, *request.to,
                                               static_cast<std::size_t>(kMaxPeriods));
  } else {
    plan.periods.push_back(domain::period_containing(request.period, request.date.value_or(today)));
  }
  plan.first = plan.periods.front().from;
  plan.last = std::min(plan.periods.back().to, today);
  return plan;
}

domain::Period request_span(const AggregateRequest& request, LocalDate utc_today) {
  if (request.period == PeriodKind::range && request.from) {
    return {*request.from, std::max(*request.from, request.to.value_or(*request.from))};
  }
  if (request.from && request.to) {
    return {domain::period_containing(request.period, *request.from).from,
            domain::period_containing(request.period, *request.to).to};
  }
  if (request.date) return domain::period_containing(request.period, *request.date);
  return {domain::period_containing(request.period, utc_today - date::days(1)).from,
          domain::period_containing(request.period, utc_today + date::days(1)).to};
}

}  // namespace attendance::aggregate
