#pragma once
// What a client asks of GET /api/attendances/aggregate/school/:id, parsed and validated, and the
// plan (periods and dates) a request resolves to once the school's "today" is known.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/presence.hpp"
#include "domain/result.hpp"
#include "domain/types.hpp"

namespace attendance::aggregate {

// At most this many periods in a series (else 422).
inline constexpr std::int64_t kMaxPeriods = 400;
// At most this many days in a period=range window (else 422).
inline constexpr std::int64_t kMaxRangeDays = 400;

struct AggregateRequest {
  domain::Id school_id = 0;
  domain::PeriodKind period = domain::PeriodKind::day;
  std::optional<domain::LocalDate> date;  // the one period containing it; empty with no range: today
  std::optional<domain::LocalDate> from;  // from and to together: a series; period=range: the window
  std::optional<domain::LocalDate> to;
  bool include_users = false;
  std::optional<domain::Id> user_id;      // only this user's row in `users` (counts stay the school's)

  bool series() const { return from.has_value() && period != domain::PeriodKind::range; }
  friend bool operator==(const AggregateRequest&, const AggregateRequest&) = default;
};

enum class ReportFormat { json, csv };

struct AggregateQuery {
  AggregateRequest request;
  ReportFormat format = ReportFormat::json;
};

// Parses the query parameters of the aggregate endpoint (school_id comes from the path):
//   period=day|week|month (default day), date=YYYY-MM-DD, or from=YYYY-MM-DD&to=YYYY-MM-DD
//   (both, from <= to, at most kMaxPeriods periods, not with date), include=users, format=json|csv;
//   period=range&from=YYYY-MM-DD&to=YYYY-MM-DD: one report over exactly that window (both required,
//   from <= to, at most kMaxRangeDays days, no date);
//   user_id=ID (a positive integer): with include=users, only that user's row.
// Unknown parameters are ignored. Errors are 422 with one entry per bad field.
domain::Result<AggregateQuery> parse_aggregate_query(domain::Id school_id,
                                                     const std::map<std::string, std::string>& params);

// The periods of a request and the dates whose DayResults they need.
struct Plan {
  domain::LocalDate today{};
  std::vector<domain::Period> periods;  // oldest first
  domain::LocalDate first{};            // first date of the first period
  domain::LocalDate last{};             // min(last date of the last period, today); < first: none begun
  std::size_t day_count() const { return last < first ? 0 : static_cast<std::size_t>((last - first).count() + 1); }
};

Plan plan_request(const AggregateRequest& request, domain::LocalDate today);

// The local dates a request may touch, known without the school's time zone (a request without
// a date may mean the local "today" of any zone: utc_today +- 1 day). For merging requests.
domain::Period request_span(const AggregateRequest& request, domain::LocalDate utc_today);

}  // namespace attendance::aggregate
