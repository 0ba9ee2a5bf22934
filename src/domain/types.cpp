#include "domain/types.hpp"

namespace attendance::domain {

std::string_view to_string(EventType type) {
  return type == EventType::checkin ? "checkin" : "checkout";
}

std::optional<EventType> parse_event_type(std::string_view text) {
  if (text == "checkin") return EventType::checkin;
  if (text == "checkout") return EventType::checkout;
  return std::nullopt;
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::admin: return "admin";
    case Role::school_admin: return "school_admin";
    case Role::device: return "device";
  }
  return "device";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") return Role::admin;
  if (text == "school_admin") return Role::school_admin;
  if (text == "device") return Role::device;
  return std::nullopt;
}

}  // namespace attendance::domain
