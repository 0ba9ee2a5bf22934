#include "domain/range.hpp"

#include <gtest/gtest.h>

#include "domain/time.hpp"

namespace attendance::domain {
namespace {

std::optional<LocalDate> day(const char* text) { return parse_date(text); }
std::optional<Timestamp> instant(const char* text) { return parse_timestamp(text); }

TEST(CheckRangeOrder, BothEndsAreInclusiveSoFromEqualToIsARange) {
  FieldErrors errors;
  EXPECT_TRUE(check_range_order(day("2024-05-08"), day("2024-05-08"), errors));
  EXPECT_TRUE(check_range_order(day("2024-05-08"), day("2024-05-09"), errors));
  EXPECT_TRUE(check_range_order(instant("2024-05-08T08:00:00Z"), instant("2024-05-08T10:00:00+02:00"), errors));
  EXPECT_TRUE(errors.empty());
}

TEST(CheckRangeOrder, AnOpenEndIsInOrder) {
  FieldErrors errors;
  EXPECT_TRUE(check_range_order(day("2024-05-08"), std::optional<LocalDate>{}, errors));
  EXPECT_TRUE(check_range_order(std::optional<LocalDate>{}, day("2024-05-08"), errors));
  EXPECT_TRUE(check_range_order(std::optional<Timestamp>{}, std::optional<Timestamp>{}, errors));
  EXPECT_TRUE(errors.empty());
}

TEST(CheckRangeOrder, AToBeforeFromIsRefusedOnTo) {
  FieldErrors errors{{"to", {"is required"}}};
  EXPECT_FALSE(check_range_order(day("2024-05-09"), day("2024-05-08"), errors));
  EXPECT_EQ(errors, (FieldErrors{{"to", {"is required", "must not be before from"}}}));
  FieldErrors by_a_microsecond;
  EXPECT_FALSE(check_range_order(instant("2024-05-08T08:00:00.000001Z"), instant("2024-05-08T10:00:00+02:00"),
                                 by_a_microsecond));
  EXPECT_EQ(by_a_microsecond, (FieldErrors{{"to", {"must not be before from"}}}));
}

}  // namespace
}  // namespace attendance::domain
