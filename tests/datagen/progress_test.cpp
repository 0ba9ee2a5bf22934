// The progress line of both modes: the bar, the count, the rate, and an ETA that is the work left
// at the rate so far; at the end the time taken instead.

#include <gtest/gtest.h>

#include "tools/datagen/progress.hpp"

namespace attendance::datagen {
namespace {

TEST(ProgressLine, ShowsTheBarTheRateAndTheEtaOfTheWorkLeft) {
  // A quarter done in 10 s: 25/s, and the 750 left take 30 s more.
  EXPECT_EQ(progress_line("events", 1000, 250, 10.0, false),
            "[#######.......................] 250/1000 events  25.0%  25/s  ETA 0:30");
  // 1 % in 37 s: 99,000 left at 27/s is an hour and a minute.
  const auto line = progress_line("user-days", 100000, 1000, 37.0, false);
  EXPECT_TRUE(line.ends_with("1000/100000 user-days   1.0%  27/s  ETA 1:01:03")) << line;
}

TEST(ProgressLine, EndsWithTheTimeTakenAndAFullBar) {
  EXPECT_EQ(progress_line("events", 1000, 1000, 125.0, true),
            "[##############################] 1000/1000 events 100.0%  8/s  elapsed 2:05");
}

TEST(ProgressLine, WithoutATotalShowsTheCountTheRateAndTheTime) {
  EXPECT_EQ(progress_line("events", 0, 500, 2.0, false), "500 events  250/s  elapsed 0:02");
}

TEST(FormatDuration, RoundsToSecondsAndAddsHoursWhenThereAreAny) {
  EXPECT_EQ(format_duration(0.4), "0:00");
  EXPECT_EQ(format_duration(59.6), "1:00");
  EXPECT_EQ(format_duration(3725), "1:02:05");
}

}  // namespace
}  // namespace attendance::datagen
