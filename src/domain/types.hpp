#pragma once
// The records of the data model (DESIGN.md section 2). Plain values: no I/O, no JSON.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

namespace attendance::domain {

using Id = std::int64_t;
// An instant, kept to the microsecond; rendered in UTC with `Z`.
using Timestamp = date::sys_time<std::chrono::microseconds>;
// A calendar date as a school sees it on its own wall clock (no time zone attached).
using LocalDate = date::local_days;

struct School {
  Id id = 0;
  std::string name;
  std::string timezone = "UTC";             // IANA name, validated against the tz database
  std::vector<int> school_days{1, 2, 3, 4, 5};  // ISO weekdays, 1 = Monday .. 7 = Sunday
  double min_daily_hours = 4.0;
  double min_period_ratio = 0.8;
  double fever_threshold = 38.0;            // °C; at or above is a fever
  Timestamp inserted_at{};
  Timestamp updated_at{};
};

struct Closure {
  Id school_id = 0;
  LocalDate date{};
  std::string reason;
};

struct User {
  Id id = 0;
  Id school_id = 0;
  std::string name;
  std::optional<std::string> external_id;  // unique within the school (card number, ...)
  LocalDate enrolled_on{};
  Timestamp inserted_at{};
  Timestamp updated_at{};
};

enum class EventType { checkin, checkout };

struct Attendance {
  Id id = 0;
  Id user_id = 0;
  Id school_id = 0;
  Timestamp timestamp{};
  EventType type = EventType::checkin;
  double temperature = 0.0;
  std::optional<std::string> image_hash;   // content hash of the stored image, if any
  std::optional<std::string> client_id;    // the client's own id, for safe retries
  Timestamp inserted_at{};
};

enum class Role { admin, school_admin, device };

struct ApiToken {
  Id id = 0;
  std::string name;
  Role role = Role::device;
  std::optional<Id> school_id;  // empty exactly for admin tokens
  Timestamp inserted_at{};
  std::optional<Timestamp> revoked_at;
};

// A stored photo: bytes kept once per content hash.
struct Image {
  std::string hash;          // hex SHA-256 (libsodium crypto_hash_sha256) of the bytes
  std::string content_type;  // image/jpeg, image/png or image/webp
  std::string bytes;
};

std::string_view to_string(EventType type);
std::optional<EventType> parse_event_type(std::string_view text);
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

}  // namespace attendance::domain
