#pragma once
// Notices: what one server process tells the others sharing its PostgreSQL database after a
// write commits, so that their aggregate caches, live streams and token caches follow. Plain
// values and their compact JSON form (a NOTIFY payload, at most 7999 bytes); no I/O here.
//
//   std::string payload = encode_notice(SchoolNotice{7}, "3f9a0c1d2e4b5a69");
//   auto decoded = decode_notice(payload);   // {origin "3f9a0c1d2e4b5a69", SchoolNotice{7}}
//
// An attendance notice carries the event as the live stream renders it, so a receiver publishes
// it to its own subscribers without reading the database (a deleted event's row is gone by then).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>

#include "domain/types.hpp"

namespace attendance::http {

enum class Change { recorded, deleted };

// An event of the school was recorded or deleted.
struct AttendanceNotice {
  domain::Id school_id = 0;
  std::string timezone;        // the school's, for the occupancy recount ("today")
  domain::LocalDate day{};     // the event's school-local date: the cached day it invalidates
  Change change = Change::recorded;
  // The event as render.cpp's to_json(Attendance, fever_threshold) writes it; empty when it did
  // not fit in a payload (the receiver then invalidates and recounts, but publishes no event).
  boost::json::object attendance;
  std::optional<std::string> fever_user_name;  // set for a recorded fever: the alert names the user
};

// Users, closures or settings of the school changed (or it was deleted).
struct SchoolNotice {
  domain::Id school_id = 0;
};

// A token was created or revoked: cached token lookups are stale.
struct TokensNotice {};

// The sender may have missed notices or failed to send some: drop everything derived from data.
struct ResetNotice {};

using Notice = std::variant<AttendanceNotice, SchoolNotice, TokensNotice, ResetNotice>;

inline constexpr std::size_t kMaxNoticeBytes = 7999;  // PostgreSQL's NOTIFY payload limit

// The JSON payload, tagged with the sending process's origin; never longer than kMaxNoticeBytes
// (an attendance notice too long for it loses its rendered event, see AttendanceNotice).
std::string encode_notice(const Notice& notice, std::string_view origin);

struct DecodedNotice {
  std::string origin;
  Notice notice;
};
// Nullopt for anything that is not a notice of this version, malformed or with fields out of
// range; the caller can't tell what it would have invalidated.
std::optional<DecodedNotice> decode_notice(std::string_view payload);

// A random tag for this process (16 hex digits), different in every process.
std::string new_origin();

}  // namespace attendance::http
