#include "domain/recording.hpp"

#include <gtest/gtest.h>

namespace attendance::domain {
namespace {

using namespace date::literals;
using namespace std::chrono_literals;

constexpr auto in = EventType::checkin;
constexpr auto out = EventType::checkout;

Timestamp at(std::chrono::microseconds time_of_day) {
  return Timestamp{date::sys_days{2026_y / 11 / 27}} + time_of_day;
}

Attendance event(Id id, std::chrono::microseconds time_of_day, EventType type) {
  Attendance attendance;
  attendance.id = id;
  attendance.user_id = 7;
  attendance.school_id = 1;
  attendance.timestamp = at(time_of_day);
  attendance.type = type;
  attendance.temperature = 36.6;
  return attendance;
}

Candidate candidate(std::chrono::microseconds time_of_day, EventType type) {
  return Candidate{at(time_of_day), type};
}

// The single message of a 409 on `field`, or a description of what came back instead.
std::string conflict_message(const std::optional<Error>& error, const std::string& field) {
  if (!error) return "<no error>";
  if (error->kind != ErrorKind::conflict) return "<not a conflict>";
  const auto it = error->fields.find(field);
  if (it == error->fields.end() || it->second.size() != 1)
    return "<no single message on " + field + ">";
  return it->second.front();
}

const std::vector<Attendance> kMorning = {event(812, 7h + 58min + 12s, in), event(813, 12h, out)};

// --- Double scans -------------------------------------------------------------------------------

const Timestamp kDayBegin = at(0h);  // the candidates' local day (UTC here)

TEST(DoubleScan, SameTypeExactlyTwoMinutesLaterIsTheSameScan) {
  const auto latest = event(812, 8h, in);
  EXPECT_TRUE(is_double_scan(latest, candidate(8h + 2min, in), kDayBegin));
}

TEST(DoubleScan, SameTypeAtTheSameInstantIsTheSameScan) {
  EXPECT_TRUE(is_double_scan(event(812, 8h, in), candidate(8h, in), kDayBegin));
}

TEST(DoubleScan, OneMicrosecondPastTwoMinutesIsANewEvent) {
  EXPECT_FALSE(is_double_scan(event(812, 8h, in), candidate(8h + 2min + 1us, in), kDayBegin));
}

TEST(DoubleScan, ADifferentTypeIsNeverTheSameScan) {
  EXPECT_FALSE(is_double_scan(event(812, 8h, in), candidate(8h + 30s, out), kDayBegin));
}

TEST(DoubleScan, AnEarlierTimestampIsNotTheSameScan) {
  EXPECT_FALSE(is_double_scan(event(812, 8h, in), candidate(8h - 1s, in), kDayBegin));
}

TEST(DoubleScan, TheFirstCheckInOfADayNeverRepeatsTheDayBeforesLast) {
  // 23:59:30 the day before, still open; 00:00:30 is today's first check-in.
  EXPECT_FALSE(is_double_scan(event(812, -30s, in), candidate(30s, in), kDayBegin));
  EXPECT_TRUE(is_double_scan(event(812, 0h, in), candidate(30s, in), kDayBegin));
}

TEST(DoubleScan, WithoutAnyEarlierEventThereIsNothingToRepeat) {
  EXPECT_FALSE(is_double_scan(std::nullopt, candidate(8h, in), kDayBegin));
}

// --- Inserting ----------------------------------------------------------------------------------

TEST(RecordingRules, FirstCheckInOfTheDayIsAccepted) {
  EXPECT_FALSE(check_insert({}, candidate(8h, in)));
}

TEST(RecordingRules, CheckOutAfterCheckInIsAccepted) {
  EXPECT_FALSE(check_insert({event(812, 8h, in)}, candidate(12h, out)));
}

TEST(RecordingRules, CheckInAfterCheckOutStartsANewInterval) {
  EXPECT_FALSE(check_insert(kMorning, candidate(13h, in)));
}

TEST(RecordingRules, FirstEventOfTheDayBeingACheckOutIsAConflict) {
  const auto error = check_insert({}, candidate(8h, out));
  EXPECT_EQ(conflict_message(error, "type"),
            "not checked in: no check-in before this check-out today");
}

TEST(RecordingRules, CheckOutBeforeTheDaysFirstCheckInIsAConflict) {
  const auto error = check_insert(kMorning, candidate(7h, out));
  EXPECT_EQ(conflict_message(error, "type"),
            "not checked in: the day's first check-in is at 07:58:12Z (attendance 812), after this "
            "check-out");
}

TEST(RecordingRules, SecondCheckInWhileCheckedInIsAConflictNamingTheOpenCheckIn) {
  const auto error = check_insert({event(812, 7h + 58min + 12s, in)}, candidate(9h, in));
  EXPECT_EQ(conflict_message(error, "type"), "already checked in since 07:58:12Z (attendance 812)");
}

TEST(RecordingRules, SecondCheckOutIsAConflictNamingTheEarlierCheckOut) {
  const auto error = check_insert(kMorning, candidate(12h + 1min, out));
  EXPECT_EQ(conflict_message(error, "type"), "already checked out at 12:00:00Z (attendance 813)");
}

TEST(RecordingRules, CheckInBetweenCheckInAndCheckOutIsAConflictNamingTheCheckIn) {
  const auto error = check_insert(kMorning, candidate(10h, in));
  EXPECT_EQ(conflict_message(error, "type"), "already checked in since 07:58:12Z (attendance 812)");
}

TEST(RecordingRules, CheckOutBetweenCheckInAndCheckOutConflictsWithTheLaterCheckOut) {
  const auto error = check_insert(kMorning, candidate(10h, out));
  EXPECT_EQ(conflict_message(error, "type"),
            "conflicts with the check-out at 12:00:00Z (attendance 813)");
}

TEST(RecordingRules, CheckInBeforeTheDaysFirstCheckInConflictsWithIt) {
  const auto error = check_insert(kMorning, candidate(7h, in));
  EXPECT_EQ(conflict_message(error, "type"),
            "conflicts with the check-in at 07:58:12Z (attendance 812)");
}

TEST(RecordingRules, AnEventAtTheSameInstantAsAnotherIsAConflictOnTheTimestamp) {
  const auto error = check_insert(kMorning, candidate(12h, in));
  EXPECT_EQ(conflict_message(error, "timestamp"),
            "another event is at the same instant (attendance 813)");
  EXPECT_EQ(error->fields.count("type"), 0U);
}

TEST(RecordingRules, NeighboursAreFoundByTimeEvenWhenTheDayIsUnsorted) {
  const std::vector<Attendance> shuffled = {event(813, 12h, out), event(812, 8h, in)};
  EXPECT_FALSE(check_insert(shuffled, candidate(13h, in)));
  EXPECT_EQ(conflict_message(check_insert(shuffled, candidate(10h, in)), "type"),
            "already checked in since 08:00:00Z (attendance 812)");
}

// --- Deleting -----------------------------------------------------------------------------------

const std::vector<Attendance> kFullDay = {event(812, 8h, in), event(813, 12h, out),
                                          event(814, 13h, in), event(815, 16h, out)};

TEST(DeletingRules, DeletingTheLastEventOfTheDayIsAccepted) {
  EXPECT_FALSE(check_delete(kFullDay, 815));
}

TEST(DeletingRules, DeletingTheOnlyEventIsAccepted) {
  EXPECT_FALSE(check_delete({event(812, 8h, in)}, 812));
}

TEST(DeletingRules, DeletingTheFirstCheckInLeavesItsCheckOutOrphaned) {
  const auto error = check_delete(kMorning, 812);
  EXPECT_EQ(conflict_message(error, "id"),
            "the check-out at 12:00:00Z (attendance 813) would be left without its check-in");
}

TEST(DeletingRules, DeletingACheckInInTheMiddleLeavesTheNextCheckOutWithoutItsCheckIn) {
  const auto error = check_delete(kFullDay, 814);
  EXPECT_EQ(conflict_message(error, "id"),
            "the check-out at 16:00:00Z (attendance 815) would be left without its check-in");
}

TEST(DeletingRules, DeletingACheckOutInTheMiddleJoinsTwoCheckIns) {
  const auto error = check_delete(kFullDay, 813);
  EXPECT_EQ(conflict_message(error, "id"),
            "the check-in at 13:00:00Z (attendance 814) would follow the check-in at 08:00:00Z "
            "(attendance 812) with no check-out between");
}

TEST(DeletingRules, AnEventNotInTheDayHasNothingToBreak) {
  EXPECT_FALSE(check_delete(kFullDay, 999));
}

}  // namespace
}  // namespace attendance::domain
