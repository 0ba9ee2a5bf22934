#include "http/handlers/common.hpp"

#include <gtest/gtest.h>

#include "domain/time.hpp"
#include "http_support.hpp"

namespace attendance::http {
namespace {

using testing::TestRequest;

// The range a target's query gives, and the errors reading it added.
template <class T>
struct Read {
  QueryRange<T> range;
  domain::FieldErrors errors;
};
Read<domain::Timestamp> instants_of(std::string_view target) {
  TestRequest t(target);
  Read<domain::Timestamp> read;
  read.range = instant_range_query(t.req, read.errors);
  return read;
}
Read<domain::LocalDate> dates_of(std::string_view target) {
  TestRequest t(target);
  Read<domain::LocalDate> read;
  read.range = date_range_query(t.req, read.errors);
  return read;
}

TEST(InstantRangeQuery, ReadsBothEndsWithAnOffsetAndAcceptsFromEqualTo) {
  auto read = instants_of("/api/attendances?from=2024-05-08T10%3A00%3A00%2B02%3A00&to=2024-05-08T08:00:00Z");
  EXPECT_TRUE(read.errors.empty());
  EXPECT_EQ(read.range.from, domain::parse_timestamp("2024-05-08T08:00:00Z"));
  EXPECT_EQ(read.range.to, read.range.from);
}

TEST(InstantRangeQuery, RefusesAToBeforeFromOnTo) {
  EXPECT_EQ(instants_of("/api/attendances?from=2024-05-09T00:00:00Z&to=2024-05-08T23:59:59.999999Z").errors,
            (domain::FieldErrors{{"to", {"must not be before from"}}}));
}

TEST(InstantRangeQuery, RefusesEachMalformedEndAndLeavesAnOpenEndEmpty) {
  EXPECT_EQ(instants_of("/api/attendances?from=yesterday&to=2024-05-08").errors,
            (domain::FieldErrors{{"from", {"is not a valid RFC 3339 timestamp with an offset"}},
                                 {"to", {"is not a valid RFC 3339 timestamp with an offset"}}}));
  auto open = instants_of("/api/attendances?to=2024-05-08T00:00:00Z");
  EXPECT_TRUE(open.errors.empty());
  EXPECT_FALSE(open.range.from);
  EXPECT_TRUE(open.range.to);
}

TEST(DateRangeQuery, ReadsDatesAndRefusesAToBeforeFromOnTo) {
  auto same = dates_of("/api/schools/1/closures?from=2024-12-24&to=2024-12-24");
  EXPECT_TRUE(same.errors.empty());
  EXPECT_EQ(same.range.from, domain::parse_date("2024-12-24"));
  EXPECT_EQ(same.range.to, same.range.from);
  EXPECT_EQ(dates_of("/api/schools/1/closures?from=2024-12-25&to=2024-12-24").errors,
            (domain::FieldErrors{{"to", {"must not be before from"}}}));
  EXPECT_EQ(dates_of("/api/schools/1/closures?from=2024-02-30").errors,
            (domain::FieldErrors{{"from", {"is not a valid date (YYYY-MM-DD)"}}}));
}

}  // namespace
}  // namespace attendance::http
