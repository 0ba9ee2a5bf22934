#include "domain/recording.hpp"

#include <string>

#include "domain/time.hpp"

namespace attendance::domain {
namespace {

// "check-in at 08:00:00Z (attendance 812)"
std::string describe(const Attendance& event, std::string_view preposition) {
  const std::string kind = event.type == EventType::checkin ? "check-in" : "check-out";
  return kind + " " + std::string(preposition) + " " + format_utc_time_of_day(event.timestamp) +
         " (attendance " + std::to_string(event.id) + ")";
}

std::string at(const Attendance& event) {
  return format_utc_time_of_day(event.timestamp) + " (attendance " + std::to_string(event.id) + ")";
}

// The neighbours of an instant among events, by time; events need not be sorted.
struct Neighbours {
  const Attendance* before = nullptr;  // the latest event strictly earlier
  const Attendance* after = nullptr;   // the earliest event strictly later
};

Neighbours neighbours_of(const std::vector<Attendance>& events, Timestamp instant,
                         std::optional<Id> skip = std::nullopt) {
  Neighbours result;
  for (const auto& event : events) {
    if (skip && event.id == *skip) continue;
    if (event.timestamp < instant &&
        (result.before == nullptr || event.timestamp >= result.before->timestamp)) {
      result.before = &event;
    }
    if (event.timestamp > instant &&
        (result.after == nullptr || event.timestamp < result.after->timestamp)) {
      result.after = &event;
    }
  }
  return result;
}

}  // namespace

bool is_double_scan(const std::optional<Attendance>& latest, const Candidate& candidate, Timestamp day_begin) {
  if (!latest || latest->type != candidate.type || latest->timestamp < day_begin) return false;
  const auto gap = candidate.timestamp - latest->timestamp;
  return gap >= Timestamp::duration::zero() && gap <= kDoubleScanWindow;
}

std::optional<Error> check_insert(const std::vector<Attendance>& day_events,
                                  const Candidate& candidate) {
  for (const auto& event : day_events) {
    if (event.timestamp == candidate.timestamp) {
      return Error::conflict("timestamp", "another event is at the same instant (attendance " +
                                              std::to_string(event.id) + ")");
    }
  }

  // Only the neighbours are checked: a day that already alternates stays alternating exactly
  // when the candidate differs in type from both, and the first event of a day is a check-in.
  const auto [before, after] = neighbours_of(day_events, candidate.timestamp);
  if (candidate.type == EventType::checkin) {
    if (before != nullptr && before->type == EventType::checkin) {
      return Error::conflict("type", "already checked in since " + at(*before));
    }
  } else {
    if (before == nullptr) {
      // A kiosk whose clock runs fast stamps a check-in later than the check-out that follows
      // it; naming that check-in tells support staff where to look.
      if (after != nullptr) {
        return Error::conflict("type", "not checked in: the day's first " + describe(*after, "is at") +
                                           ", after this check-out");
      }
      return Error::conflict("type", "not checked in: no check-in before this check-out today");
    }
    if (before->type == EventType::checkout) {
      return Error::conflict("type", "already checked out at " + at(*before));
    }
  }
  if (after != nullptr && after->type == candidate.type) {
    return Error::conflict("type", "conflicts with the " + describe(*after, "at"));
  }
  return std::nullopt;
}

std::optional<Error> check_delete(const std::vector<Attendance>& day_events, Id removed_id) {
  const Attendance* removed = nullptr;
  for (const auto& event : day_events) {
    if (event.id == removed_id) removed = &event;
  }
  if (removed == nullptr) return std::nullopt;

  const auto [before, after] = neighbours_of(day_events, removed->timestamp, removed_id);
  if (after == nullptr) return std::nullopt;  // removing the day's last event never breaks it
  if (after->type == EventType::checkout &&
      (before == nullptr || before->type == EventType::checkout)) {
    return Error::conflict("id",
                           "the " + describe(*after, "at") + " would be left without its check-in");
  }
  if (after->type == EventType::checkin && before != nullptr &&
      before->type == EventType::checkin) {
    return Error::conflict("id", "the " + describe(*after, "at") +
                                     " would follow the check-in at " + at(*before) +
                                     " with no check-out between");
  }
  return std::nullopt;
}

}  // namespace attendance::domain
