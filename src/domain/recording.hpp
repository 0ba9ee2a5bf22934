#pragma once
// The recording rules of DESIGN.md section 4 that decide whether an event may be stored or
// deleted, given what the user already has. Pure: callers load the events, these decide.

#include <optional>
#include <vector>

#include "domain/result.hpp"
#include "domain/types.hpp"

namespace attendance::domain {

// A check-in or check-out about to be stored.
struct Candidate {
  Timestamp timestamp;
  EventType type;
};

// How close to the user's latest event a same-type event is taken as the same scan.
inline constexpr auto kDoubleScanWindow = std::chrono::minutes(2);
// How far ahead of the server's clock an event may be stamped.
inline constexpr auto kMaxClockSkew = std::chrono::minutes(5);

// Whether the candidate repeats the user's latest event: same type, at or at most
// kDoubleScanWindow after it, and in the candidate's own local day (from day_begin): the first
// check-in of a day is never a repeat of the day before's last, which is left open.
bool is_double_scan(const std::optional<Attendance>& latest, const Candidate& candidate, Timestamp day_begin);

// day_events: the user's events of the candidate's local day, oldest first.
// Empty when inserting keeps the day alternating (check-in first, then check-out, check-in, ...,
// no two at the same instant); else a 409 Error whose field ("type" or "timestamp") has a message
// naming the conflicting event, e.g. "already checked in since 07:58:12Z (attendance 812)".
// Field "timestamp": "another event is at the same instant (attendance 812)". Field "type":
//   "already checked in since 07:58:12Z (attendance 812)"       a check-in after an open check-in
//   "already checked out at 12:01:00Z (attendance 815)"          a check-out after a check-out
//   "not checked in: no check-in before this check-out today"    a check-out first in the day
//   "not checked in: the day's first check-in is at 08:00:00Z (attendance 812), after this
//    check-out"                                                  ... when a later event exists
//   "conflicts with the check-out at 12:00:00Z (attendance 813)" the next event has the same type
// Only the candidate's neighbours in time are checked, so a day that is already broken (legacy
// data) does not block events that fit where they land. day_events need not be sorted.
std::optional<Error> check_insert(const std::vector<Attendance>& day_events, const Candidate& candidate);

// day_events: the events of the removed event's local day, oldest first, including it.
// Empty when the day still alternates without it; else a 409 on field "id" naming the event that
// would break: "the check-out at 12:00:00Z (attendance 813) would be left without its check-in",
// or
// "the check-in at 13:00:00Z (attendance 814) would follow the check-in at 08:00:00Z
// (attendance 812) with no check-out between". Deleting the day's last event is always fine; an id
// not among day_events is not checked (empty).
std::optional<Error> check_delete(const std::vector<Attendance>& day_events, Id removed_id);

}  // namespace attendance::domain
