#pragma once
// Who is calling: the API token behind the request and what its role may reach.

#include <optional>

#include "domain/types.hpp"

namespace attendance::http {

struct Principal {
  domain::Id token_id = 0;
  domain::Role role = domain::Role::device;
  std::optional<domain::Id> school_id;  // empty for admin

  bool is_admin() const { return role == domain::Role::admin; }
  // Objects of a school the caller can't reach are answered as if they did not exist (404).
  bool reaches_school(domain::Id school) const { return is_admin() || school_id == school; }
  // The school a list is confined to: none for admin (all schools), the own school otherwise.
  std::optional<domain::Id> confined_school() const { return is_admin() ? std::nullopt : school_id; }
};

}  // namespace attendance::http
