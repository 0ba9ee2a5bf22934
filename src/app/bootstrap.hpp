#pragma once

#include <optional>
#include <string>

#include "storage/database.hpp"

namespace attendance::app {

// Makes sure someone can administer the service:
// - with a configured secret, an admin token with that secret exists (created if missing; one
//   that was revoked stays revoked, with a warning);
// - without one, when no active admin token exists, creates one and returns its secret so the
//   caller can show it, once.
std::optional<std::string> ensure_admin_token(storage::Database& db, const std::optional<std::string>& configured);

}  // namespace attendance::app
