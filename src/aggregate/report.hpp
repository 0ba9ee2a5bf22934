#pragma once
// The answer of the aggregate endpoint as values (rendered by report_json / report_csv), and the
// assembly of a Report from a school snapshot, a plan and the DayResults of the plan's dates.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aggregate/request.hpp"
#include "aggregate/school_data.hpp"
#include "domain/presence.hpp"

namespace attendance::aggregate {

struct UserRow {
  domain::Id user_id = 0;
  std::string name;
  std::optional<std::string> external_id;  // the card number: tells apart users of one name
  bool present = false;
  int present_days = 0;
  int school_days = 0;
  std::uint32_t seconds = 0;        // day periods only
  bool missing_checkout = false;    // day periods only
};

struct PeriodReport {
  domain::LocalDate from{};
  domain::LocalDate to{};
  int school_days = 0;              // school days of the period that have begun
  int total = 0;
  int present = 0;
  int absent = 0;
  std::optional<int> checked_in_now;  // only when the period contains today
  std::vector<UserRow> users;       // only with include_users (only request.user_id's with one)
};

struct Report {
  domain::Id school_id = 0;
  std::string timezone;
  domain::PeriodKind period = domain::PeriodKind::day;
  bool series = false;              // from/to asked: render as "series"
  bool include_users = false;
  std::vector<PeriodReport> periods;  // exactly one unless series
};

using ReportPtr = std::shared_ptr<const Report>;

// days: one DayResult per date plan.first .. plan.last (none when nothing has begun).
// Reduces periods [first_period, end_period) of the plan. With request.user_id, the users rows
// keep only that user's (none when it is not a counted user of the school); counts are unchanged.
std::vector<PeriodReport> reduce_periods(const SchoolData& school, const AggregateRequest& request, const Plan& plan,
                                         std::span<const domain::DayResult* const> days, std::size_t first_period,
                                         std::size_t end_period);

std::string_view to_string(domain::PeriodKind kind);

}  // namespace attendance::aggregate
