#include "aggregate/request.hpp"

#include <gtest/gtest.h>

#include "domain/time.hpp"

namespace attendance::aggregate {
namespace {

domain::LocalDate day(const char* text) { return domain::parse_date(text).value(); }

TEST(ParseAggregateQuery, DefaultsToTodaysDayAsJson) {
  auto query = parse_aggregate_query(7, {});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->request.school_id, 7);
  EXPECT_EQ(query->request.period, domain::PeriodKind::day);
  EXPECT_FALSE(query->request.date.has_value());
  EXPECT_FALSE(query->request.series());
  EXPECT_EQ(query->format, ReportFormat::json);
}

TEST(ParseAggregateQuery, ReadsEveryParameter) {
  auto query = parse_aggregate_query(
      1, {{"period", "month"}, {"from", "2024-01-15"}, {"to", "2024-03-01"}, {"include", "users"}, {"format", "csv"}});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->request.period, domain::PeriodKind::month);
  EXPECT_EQ(query->request.from, day("2024-01-15"));
  EXPECT_TRUE(query->request.include_users);
  EXPECT_EQ(query->format, ReportFormat::csv);
}

TEST(ParseAggregateQuery, RejectsBadValuesFieldByField) {
  auto query = parse_aggregate_query(1, {{"period", "year"}, {"date", "2024-02-30"}, {"format", "xml"}});
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.error().kind, domain::ErrorKind::unprocessable);
  EXPECT_EQ(query.error().fields.count("period"), 1U);
  EXPECT_EQ(query.error().fields.count("date"), 1U);
  EXPECT_EQ(query.error().fields.count("format"), 1U);
}

TEST(ParseAggregateQuery, ARangeNeedsBothEndsInOrder) {
  EXPECT_FALSE(parse_aggregate_query(1, {{"from", "2024-01-01"}}).ok());
  EXPECT_FALSE(parse_aggregate_query(1, {{"from", "2024-01-02"}, {"to", "2024-01-01"}}).ok());
  EXPECT_FALSE(parse_aggregate_query(1, {{"date", "2024-01-01"}, {"from", "2024-01-01"}, {"to", "2024-01-02"}}).ok());
}

TEST(ParseAggregateQuery, AToBeforeFromIsRefusedOnToAsOnListsAndFromEqualToIsOneDay) {
  auto reversed = parse_aggregate_query(1, {{"period", "week"}, {"from", "2024-01-02"}, {"to", "2024-01-01"}});
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.error().fields, (domain::FieldErrors{{"to", {"must not be before from"}}}));
  // Reported beside another field's error, as a list reports it.
  auto with_other = parse_aggregate_query(1, {{"format", "xml"}, {"from", "2024-01-02"}, {"to", "2024-01-01"}});
  ASSERT_FALSE(with_other.ok());
  EXPECT_EQ(with_other.error().fields,
            (domain::FieldErrors{{"format", {"must be json or csv"}}, {"to", {"must not be before from"}}}));
  EXPECT_TRUE(parse_aggregate_query(1, {{"from", "2024-01-02"}, {"to", "2024-01-02"}}).ok());
  EXPECT_TRUE(parse_aggregate_query(1, {{"period", "range"}, {"from", "2024-01-02"}, {"to", "2024-01-02"}}).ok());
}

TEST(ParseAggregateQuery, AtMost400Periods) {
  // 400 days: 2024-01-01 .. 2025-02-03.
  EXPECT_TRUE(parse_aggregate_query(1, {{"from", "2024-01-01"}, {"to", "2025-02-03"}}).ok());
  auto too_many = parse_aggregate_query(1, {{"from", "2024-01-01"}, {"to", "2025-02-04"}});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().fields.count("to"), 1U);
  EXPECT_TRUE(parse_aggregate_query(1, {{"period", "month"}, {"from", "1990-01-01"}, {"to", "2023-04-30"}}).ok());
  EXPECT_FALSE(parse_aggregate_query(1, {{"period", "month"}, {"from", "1990-01-01"}, {"to", "2023-05-01"}}).ok());
}

TEST(ParseAggregateQuery, ARangeIsOneWindowNotASeries) {
  auto query = parse_aggregate_query(
      1, {{"period", "range"}, {"from", "2024-01-29"}, {"to", "2024-02-03"}, {"include", "users"}, {"format", "csv"}});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->request.period, domain::PeriodKind::range);
  EXPECT_EQ(query->request.from, day("2024-01-29"));
  EXPECT_EQ(query->request.to, day("2024-02-03"));
  EXPECT_FALSE(query->request.series());
  EXPECT_TRUE(query->request.include_users);
  EXPECT_EQ(query->format, ReportFormat::csv);
  // One day is a window too.
  EXPECT_TRUE(parse_aggregate_query(1, {{"period", "range"}, {"from", "2024-02-29"}, {"to", "2024-02-29"}}).ok());
}

TEST(ParseAggregateQuery, ARangeNeedsFromAndTo) {
  auto neither = parse_aggregate_query(1, {{"period", "range"}});
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(neither.error().kind, domain::ErrorKind::unprocessable);
  EXPECT_EQ(neither.error().fields.count("from"), 1U);
  EXPECT_EQ(neither.error().fields.count("to"), 1U);

  auto no_to = parse_aggregate_query(1, {{"period", "range"}, {"from", "2024-01-01"}});
  ASSERT_FALSE(no_to.ok());
  EXPECT_EQ(no_to.error().fields.count("to"), 1U);
  auto no_from = parse_aggregate_query(1, {{"period", "range"}, {"to", "2024-01-01"}});
  ASSERT_FALSE(no_from.ok());
  EXPECT_EQ(no_from.error().fields.count("from"), 1U);
}

TEST(ParseAggregateQuery, ARangeWithADateAloneIsRefused) {
  auto query = parse_aggregate_query(1, {{"period", "range"}, {"date", "2024-01-10"}});
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.error().kind, domain::ErrorKind::unprocessable);
  EXPECT_EQ(query.error().fields.count("date"), 1U);
  EXPECT_EQ(query.error().fields.count("from"), 1U);
  auto with_all = parse_aggregate_query(1, {{"period", "range"}, {"date", "2024-01-10"}, {"from", "2024-01-01"}, {"to", "2024-01-31"}});
  ASSERT_FALSE(with_all.ok());
  EXPECT_EQ(with_all.error().fields.count("date"), 1U);
}

TEST(ParseAggregateQuery, ARangeIsInOrderAndAtMost400Days) {
  auto reversed = parse_aggregate_query(1, {{"period", "range"}, {"from", "2024-01-02"}, {"to", "2024-01-01"}});
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.error().fields.count("to"), 1U);
  // 400 days: 2024-01-01 .. 2025-02-03 (2024 is a leap year).
  EXPECT_TRUE(parse_aggregate_query(1, {{"period", "range"}, {"from", "2024-01-01"}, {"to", "2025-02-03"}}).ok());
  auto too_long = parse_aggregate_query(1, {{"period", "range"}, {"from", "2024-01-01"}, {"to", "2025-02-04"}});
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().fields.count("to"), 1U);
  auto bad_date = parse_aggregate_query(1, {{"period", "range"}, {"from", "2024-01-01"}, {"to", "2024-13-01"}});
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.error().fields.count("to"), 1U);
}

TEST(ParseAggregateQuery, ReadsAUserId) {
  auto query = parse_aggregate_query(1, {{"include", "users"}, {"user_id", "42"}});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->request.user_id, domain::Id{42});
  EXPECT_FALSE(parse_aggregate_query(1, {}).value().request.user_id.has_value());
  // Without include=users it is accepted and changes nothing visible (there are no rows).
  EXPECT_TRUE(parse_aggregate_query(1, {{"user_id", "42"}}).ok());
}

TEST(ParseAggregateQuery, RejectsAMalformedUserId) {
  for (const char* bad : {"", "abc", "0", "-3", "+3", "4x", " 4", "1.5", "99999999999999999999"}) {
    auto query = parse_aggregate_query(1, {{"include", "users"}, {"user_id", bad}});
    ASSERT_FALSE(query.ok()) << bad;
    EXPECT_EQ(query.error().kind, domain::ErrorKind::unprocessable);
    EXPECT_EQ(query.error().fields.count("user_id"), 1U) << bad;
  }
}

TEST(PlanRequest, ARangeIsExactlyItsWindowAndStopsAtToday) {
  AggregateRequest request;
  request.period = domain::PeriodKind::range;
  request.from = day("2024-02-27");
  request.to = day("2024-03-12");
  const Plan plan = plan_request(request, day("2024-03-06"));
  ASSERT_EQ(plan.periods.size(), 1U);
  EXPECT_EQ(plan.periods[0], (domain::Period{day("2024-02-27"), day("2024-03-12")}));
  EXPECT_EQ(plan.first, day("2024-02-27"));
  EXPECT_EQ(plan.last, day("2024-03-06"));
  EXPECT_EQ(plan.day_count(), 9U);
  EXPECT_EQ(request_span(request, day("2024-03-06")), (domain::Period{day("2024-02-27"), day("2024-03-12")}));
}

TEST(PlanRequest, ASeriesCoversEveryOverlappingPeriodAndStopsAtToday) {
  AggregateRequest request;
  request.period = domain::PeriodKind::week;
  request.from = day("2024-02-28");
  request.to = day("2024-03-20");
  const Plan plan = plan_request(request, day("2024-03-06"));
  ASSERT_EQ(plan.periods.size(), 4U);
  EXPECT_EQ(plan.first, day("2024-02-26"));
  EXPECT_EQ(plan.last, day("2024-03-06"));
  EXPECT_EQ(plan.day_count(), 10U);
}

TEST(PlanRequest, AFuturePeriodNeedsNoDay) {
  AggregateRequest request;
  request.date = day("2024-04-10");
  const Plan plan = plan_request(request, day("2024-03-06"));
  EXPECT_EQ(plan.day_count(), 0U);
}

}  // namespace
}  // namespace attendance::aggregate
