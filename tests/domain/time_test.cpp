#include "domain/time.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace attendance::domain {
namespace {

using namespace date::literals;
using namespace std::chrono_literals;

Timestamp utc(date::year_month_day day, std::chrono::microseconds time_of_day = {}) {
  return Timestamp{date::sys_days{day}} + time_of_day;
}

const date::time_zone* zone(std::string_view name) {
  const auto* found = find_time_zone(name);
  EXPECT_NE(found, nullptr) << name;
  return found;
}

std::chrono::hours length_of(const DayBounds& bounds) {
  return std::chrono::duration_cast<std::chrono::hours>(bounds.end - bounds.begin);
}

// --- RFC 3339 parsing ---------------------------------------------------------------------------

TEST(TimestampParsing, ReadsUtcWithZ) {
  EXPECT_EQ(parse_timestamp("2026-11-28T07:58:12Z"), utc(2026_y / 11 / 28, 7h + 58min + 12s));
}

TEST(TimestampParsing, AcceptsLowercaseSeparatorAndZone) {
  EXPECT_EQ(parse_timestamp("2026-11-28t07:58:12z"), utc(2026_y / 11 / 28, 7h + 58min + 12s));
}

TEST(TimestampParsing, AppliesAPositiveOffsetAndAFraction) {
  EXPECT_EQ(parse_timestamp("2026-11-28T08:58:12.5+01:00"),
            utc(2026_y / 11 / 28, 7h + 58min + 12s + 500ms));
}

TEST(TimestampParsing, AppliesANegativeOffsetAcrossMidnight) {
  EXPECT_EQ(parse_timestamp("2026-12-31T23:30:00-11:00"), utc(2027_y / 1 / 1, 10h + 30min));
}

TEST(TimestampParsing, AppliesAnOffsetWithMinutes) {
  EXPECT_EQ(parse_timestamp("2026-01-01T05:45:00+05:45"), utc(2026_y / 1 / 1));
}

TEST(TimestampParsing, KeepsUpToSixFractionalDigits) {
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.1Z"), utc(2026_y / 1 / 1, 100ms));
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.123Z"), utc(2026_y / 1 / 1, 123ms));
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.000001Z"), utc(2026_y / 1 / 1, 1us));
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.999999Z"), utc(2026_y / 1 / 1, 999999us));
}

TEST(TimestampParsing, CutsDigitsPastTheSixthAsDotNetAndJavaSendThem) {
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.1234567Z"), utc(2026_y / 1 / 1, 123456us));
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.123456789+00:00"), utc(2026_y / 1 / 1, 123456us));
  // Cut, not rounded: the last nanosecond of a day stays in that day.
  EXPECT_EQ(parse_timestamp("2025-12-31T23:59:59.999999999Z"), utc(2026_y / 1 / 1) - 1us);
}

TEST(TimestampParsing, RejectsAnEmptyFraction) {
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00.Z"));
}

TEST(TimestampParsing, RequiresAnOffset) {
  EXPECT_FALSE(parse_timestamp("2026-11-28T07:58:12"));
  EXPECT_FALSE(parse_timestamp("2026-11-28T07:58:12.250"));
}

TEST(TimestampParsing, RejectsMalformedOffsets) {
  EXPECT_FALSE(parse_timestamp("2026-11-28T07:58:12+0100"));
  EXPECT_FALSE(parse_timestamp("2026-11-28T07:58:12+01"));
  EXPECT_FALSE(parse_timestamp("2026-11-28T07:58:12+24:00"));
  EXPECT_FALSE(parse_timestamp("2026-11-28T07:58:12+01:60"));
  EXPECT_FALSE(parse_timestamp("2026-11-28T07:58:12UTC"));
}

TEST(TimestampParsing, RejectsOtherSeparatorsAndShapes) {
  EXPECT_FALSE(parse_timestamp("2026-11-28 07:58:12Z"));
  EXPECT_FALSE(parse_timestamp("2026-11-28"));
  EXPECT_FALSE(parse_timestamp("2026-11-28T07:58Z"));
  EXPECT_FALSE(parse_timestamp("26-11-28T07:58:12Z"));
  EXPECT_FALSE(parse_timestamp("2026/11/28T07:58:12Z"));
  EXPECT_FALSE(parse_timestamp("+2026-11-28T07:58:12Z"));
  EXPECT_FALSE(parse_timestamp(""));
}

TEST(TimestampParsing, RejectsTrailingGarbage) {
  EXPECT_FALSE(parse_timestamp("2026-11-28T07:58:12Zx"));
  EXPECT_FALSE(parse_timestamp("2026-11-28T07:58:12Z "));
  EXPECT_FALSE(parse_timestamp("2026-11-28T07:58:12+01:00:00"));
}

TEST(TimestampParsing, RejectsDatesThatDoNotExist) {
  EXPECT_FALSE(parse_timestamp("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-00-10T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-04-31T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-00T00:00:00Z"));
  EXPECT_TRUE(parse_timestamp("2024-02-29T00:00:00Z"));
}

TEST(TimestampParsing, RejectsTimesOutOfRangeIncludingLeapSeconds) {
  EXPECT_FALSE(parse_timestamp("2026-01-01T24:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T23:60:00Z"));
  EXPECT_FALSE(parse_timestamp("2016-12-31T23:59:60Z"));
  EXPECT_TRUE(parse_timestamp("2026-01-01T23:59:59Z"));
}

// Found by fuzz/timestamp.cpp: an offset carried these past year 9999 or before year 0000 in UTC,
// where format_timestamp wrote "10000-01-01T..." and "-001-12-31T..." back to the client.
TEST(TimestampParsing, RejectsInstantsOutsideYearsZeroToNineThousandNineHundredNinetyNineInUtc) {
  EXPECT_FALSE(parse_timestamp("9999-12-31T23:59:59.9-23:59"));
  EXPECT_FALSE(parse_timestamp("0000-01-01T00:00:00+01:00"));
  const auto first = parse_timestamp("0000-01-01T00:00:00Z");
  const auto last = parse_timestamp("9999-12-31T23:59:59.999999Z");
  ASSERT_TRUE(first && last);
  EXPECT_EQ(format_timestamp(*first), "0000-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(*last), "9999-12-31T23:59:59.999999Z");
  EXPECT_TRUE(parse_timestamp("9999-12-31T23:59:59+00:01"));
}

// --- Formatting ---------------------------------------------------------------------------------

TEST(TimestampFormatting, OmitsAZeroFraction) {
  EXPECT_EQ(format_timestamp(utc(2026_y / 11 / 28, 7h + 58min + 12s)), "2026-11-28T07:58:12Z");
}

TEST(TimestampFormatting, WritesWholeMillisecondsWithThreeDigits) {
  EXPECT_EQ(format_timestamp(utc(2026_y / 11 / 28, 7h + 58min + 12s + 250ms)),
            "2026-11-28T07:58:12.250Z");
}

TEST(TimestampFormatting, WritesOtherFractionsWithSixDigits) {
  EXPECT_EQ(format_timestamp(utc(2026_y / 11 / 28, 7h + 58min + 12s + 250001us)),
            "2026-11-28T07:58:12.250001Z");
  EXPECT_EQ(format_timestamp(utc(2026_y / 1 / 1, 1us)), "2026-01-01T00:00:00.000001Z");
}

// The calendar day of the last timestamp written is kept per thread; a change of day, forth and
// back, across a month, a year and a leap day, must never reuse another day's date.
TEST(TimestampFormatting, EachTimestampGetsItsOwnDayWhenDaysAlternate) {
  EXPECT_EQ(format_timestamp(utc(2028_y / 2 / 29, 23h + 59min + 59s)), "2028-02-29T23:59:59Z");
  EXPECT_EQ(format_timestamp(utc(2028_y / 3 / 1, 0s)), "2028-03-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(utc(2028_y / 2 / 29, 1s)), "2028-02-29T00:00:01Z");
  EXPECT_EQ(format_timestamp(utc(2027_y / 12 / 31, 12h)), "2027-12-31T12:00:00Z");
  EXPECT_EQ(format_timestamp(utc(2027_y / 12 / 31, 13h)), "2027-12-31T13:00:00Z");
  EXPECT_EQ(format_timestamp(utc(2028_y / 1 / 1, 12h)), "2028-01-01T12:00:00Z");
}

TEST(TimestampFormatting, RoundTripsThroughParsingInUtc) {
  const auto parsed = parse_timestamp("2026-03-29T03:15:00.123456+02:00");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(format_timestamp(*parsed), "2026-03-29T01:15:00.123456Z");
  EXPECT_EQ(parse_timestamp(format_timestamp(*parsed)), parsed);
}

TEST(TimestampFormatting, TimeOfDayIsUtcWithoutFraction) {
  EXPECT_EQ(format_utc_time_of_day(utc(2026_y / 11 / 28, 7h + 58min + 12s + 999ms)), "07:58:12Z");
  EXPECT_EQ(format_utc_time_of_day(utc(2026_y / 11 / 28)), "00:00:00Z");
}

// --- Dates --------------------------------------------------------------------------------------

TEST(DateParsing, ReadsARealDate) {
  EXPECT_EQ(parse_date("2026-03-29"), LocalDate{2026_y / 3 / 29});
  EXPECT_EQ(parse_date("2024-02-29"), LocalDate{2024_y / 2 / 29});
}

TEST(DateParsing, KeepsToYearsWhoseWeeksAndMonthsHaveFourDigitYears) {
  EXPECT_EQ(parse_date("1900-01-01"), LocalDate{1900_y / 1 / 1});
  EXPECT_EQ(parse_date("9998-12-31"), LocalDate{9998_y / 12 / 31});
  EXPECT_FALSE(parse_date("1899-12-31"));
  EXPECT_FALSE(parse_date("0000-01-01"));
  EXPECT_FALSE(parse_date("9999-12-31"));
}

TEST(DateParsing, RejectsAnythingButStrictRealDates) {
  EXPECT_FALSE(parse_date("2026-02-29"));
  EXPECT_FALSE(parse_date("2026-04-31"));
  EXPECT_FALSE(parse_date("2026-13-01"));
  EXPECT_FALSE(parse_date("2026-3-29"));
  EXPECT_FALSE(parse_date("2026-03-29T00:00:00Z"));
  EXPECT_FALSE(parse_date("2026-03-29 "));
  EXPECT_FALSE(parse_date("2026/03/29"));
  EXPECT_FALSE(parse_date(""));
}

TEST(DateFormatting, WritesIsoDates) {
  EXPECT_EQ(format_date(LocalDate{2026_y / 3 / 9}), "2026-03-09");
}

TEST(IsoWeekday, MondayIsOneAndSundayIsSeven) {
  EXPECT_EQ(iso_weekday(LocalDate{2026_y / 3 / 30}), 1);
  EXPECT_EQ(iso_weekday(LocalDate{2026_y / 3 / 29}), 7);
  EXPECT_EQ(iso_weekday(LocalDate{2026_y / 11 / 28}), 6);
}

// --- Time zones ---------------------------------------------------------------------------------

TEST(TimeZoneLookup, FindsIanaZonesAndRefusesUnknownNames) {
  EXPECT_NE(find_time_zone("Europe/Berlin"), nullptr);
  EXPECT_NE(find_time_zone("UTC"), nullptr);
  EXPECT_EQ(find_time_zone("Mars/Olympus_Mons"), nullptr);
  EXPECT_EQ(find_time_zone(""), nullptr);
  EXPECT_EQ(find_time_zone("europe/berlin"), nullptr);
}

TEST(TimeZoneLookup, ReturnsTheSameZoneEveryTimeFromManyThreads) {
  const auto* expected = find_time_zone("America/New_York");
  ASSERT_NE(expected, nullptr);
  std::vector<std::thread> threads;
  std::vector<const date::time_zone*> found(8);
  for (std::size_t i = 0; i < found.size(); ++i) {
    threads.emplace_back([&found, i] {
      for (int n = 0; n < 200; ++n)
        found[i] = find_time_zone(n % 2 ? "America/New_York" : "Nowhere/X");
      found[i] = find_time_zone("America/New_York");
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto* zone_found : found) EXPECT_EQ(zone_found, expected);
}

TEST(LocalDays, AnOrdinaryDayInBerlinStartsAtLocalMidnight) {
  const auto bounds = local_day_bounds(zone("Europe/Berlin"), LocalDate{2026_y / 1 / 15});
  EXPECT_EQ(bounds.begin, utc(2026_y / 1 / 14, 23h));
  EXPECT_EQ(length_of(bounds), 24h);
}

TEST(LocalDays, BerlinSpringForwardDayLasts23Hours) {
  const auto bounds = local_day_bounds(zone("Europe/Berlin"), LocalDate{2026_y / 3 / 29});
  EXPECT_EQ(bounds.begin, utc(2026_y / 3 / 28, 23h));
  EXPECT_EQ(bounds.end, utc(2026_y / 3 / 29, 22h));
  EXPECT_EQ(length_of(bounds), 23h);
}

TEST(LocalDays, BerlinFallBackDayLasts25Hours) {
  const auto bounds = local_day_bounds(zone("Europe/Berlin"), LocalDate{2026_y / 10 / 25});
  EXPECT_EQ(bounds.begin, utc(2026_y / 10 / 24, 22h));
  EXPECT_EQ(length_of(bounds), 25h);
}

TEST(LocalDays, NewYorkChangeDaysLast23And25Hours) {
  const auto* new_york = zone("America/New_York");
  const auto spring = local_day_bounds(new_york, LocalDate{2026_y / 3 / 8});
  EXPECT_EQ(spring.begin, utc(2026_y / 3 / 8, 5h));
  EXPECT_EQ(length_of(spring), 23h);
  const auto autumn = local_day_bounds(new_york, LocalDate{2026_y / 11 / 1});
  EXPECT_EQ(autumn.begin, utc(2026_y / 11 / 1, 4h));
  EXPECT_EQ(length_of(autumn), 25h);
}

TEST(LocalDays, ConsecutiveDaysTileTheTimeline) {
  const auto* berlin = zone("Europe/Berlin");
  for (auto day = LocalDate{2026_y / 3 / 20}; day < LocalDate{2026_y / 4 / 5};
       day += date::days{1}) {
    EXPECT_EQ(local_day_bounds(berlin, day).end,
              local_day_bounds(berlin, day + date::days{1}).begin);
  }
}

TEST(LocalDays, WhenMidnightIsSkippedTheDayStartsAtTheTransition) {
  // Havana springs forward at midnight: 2026-03-08 00:00 CST (-05) becomes 01:00 CDT (-04), so
  // the day's first instant is 01:00 local, 05:00Z, and the day lasts 23 hours.
  const auto* havana = zone("America/Havana");
  const auto bounds = local_day_bounds(havana, LocalDate{2026_y / 3 / 8});
  EXPECT_EQ(bounds.begin, utc(2026_y / 3 / 8, 5h));
  EXPECT_EQ(length_of(bounds), 23h);
  EXPECT_EQ(local_date_of(havana, bounds.begin), LocalDate{2026_y / 3 / 8});
  EXPECT_EQ(local_date_of(havana, bounds.begin - 1us), LocalDate{2026_y / 3 / 7});
}

TEST(LocalDays, SantiagoSpringForwardSkipsMidnight) {
  // Chile moves from -04 to -03 at 24:00 on the first Saturday of September.
  const auto* santiago = zone("America/Santiago");
  const auto bounds = local_day_bounds(santiago, LocalDate{2026_y / 9 / 6});
  EXPECT_EQ(bounds.begin, utc(2026_y / 9 / 6, 4h));
  EXPECT_EQ(length_of(bounds), 23h);
  EXPECT_EQ(local_date_of(santiago, bounds.begin - 1us), LocalDate{2026_y / 9 / 5});
}

TEST(LocalDays, WhenMidnightHappensTwiceTheDayStartsAtTheFirst) {
  // Havana falls back at 01:00 CDT to 00:00 CST on 2026-11-01: midnight occurs at 04:00Z and
  // 05:00Z.
  const auto bounds = local_day_bounds(zone("America/Havana"), LocalDate{2026_y / 11 / 1});
  EXPECT_EQ(bounds.begin, utc(2026_y / 11 / 1, 4h));
  EXPECT_EQ(length_of(bounds), 25h);
}

TEST(LocalDays, AMissingZoneMeansUtc) {
  const auto bounds = local_day_bounds(nullptr, LocalDate{2026_y / 3 / 29});
  EXPECT_EQ(bounds.begin, utc(2026_y / 3 / 29));
  EXPECT_EQ(length_of(bounds), 24h);
  EXPECT_EQ(local_date_of(nullptr, utc(2026_y / 3 / 29, 23h)), LocalDate{2026_y / 3 / 29});
}

TEST(LocalDates, KiritimatiAtPlus14IsAlreadyTomorrow) {
  const auto* kiritimati = zone("Pacific/Kiritimati");
  EXPECT_EQ(local_date_of(kiritimati, utc(2026_y / 1 / 1, 9h + 59min + 59s + 999999us)),
            LocalDate{2026_y / 1 / 1});
  EXPECT_EQ(local_date_of(kiritimati, utc(2026_y / 1 / 1, 10h)), LocalDate{2026_y / 1 / 2});
}

TEST(LocalDates, PagoPagoAtMinus11IsStillYesterday) {
  const auto* pago_pago = zone("Pacific/Pago_Pago");
  EXPECT_EQ(local_date_of(pago_pago, utc(2026_y / 1 / 1, 10h + 59min + 59s)),
            LocalDate{2025_y / 12 / 31});
  EXPECT_EQ(local_date_of(pago_pago, utc(2026_y / 1 / 1, 11h)), LocalDate{2026_y / 1 / 1});
}

TEST(LocalDates, TheSameInstantHasDifferentDatesAcrossTheDateLine) {
  const auto instant = utc(2026_y / 6 / 15, 10h + 30min);
  EXPECT_EQ(local_date_of(zone("Pacific/Kiritimati"), instant), LocalDate{2026_y / 6 / 16});
  EXPECT_EQ(local_date_of(zone("Pacific/Pago_Pago"), instant), LocalDate{2026_y / 6 / 14});
}

TEST(Clock, NowIsTheSystemTimeToTheMicrosecond) {
  const auto before = std::chrono::system_clock::now();
  const Timestamp current = now();
  const auto after = std::chrono::system_clock::now();
  EXPECT_GE(current, date::floor<std::chrono::microseconds>(before));
  EXPECT_LE(current, after);
}

}  // namespace
}  // namespace attendance::domain
