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

TEST(ParseAggregateQuery, AtMost400Periods) {
  // 400 days: 2024-01-01 .. 2025-02-03.
  EXPECT_TRUE(parse_aggregate_query(1, {{"from", "2024-01-01"}, {"to", "2025-02-03"}}).ok());
  auto too_many = parse_aggregate_query(1, {{"from", "2024-01-01"}, {"to", "2025-02-04"}});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().fields.count("to"), 1U);
  EXPECT_TRUE(parse_aggregate_query(1, {{"period", "month"}, {"from", "1990-01-01"}, {"to", "2023-04-30"}}).ok());
  EXPECT_FALSE(parse_aggregate_query(1, {{"period", "month"}, {"from", "1990-01-01"}, {"to", "2023-05-01"}}).ok());
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
