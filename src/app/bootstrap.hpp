#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/types.hpp"
#include "storage/database.hpp"

namespace attendance::app {

// What ensure_admin_token did that its caller acts on.
struct AdminTokenStart {
  std::optional<std::string> generated_secret;  // a new token's secret, for the caller to show once
  // Tokens of earlier ATTENDANCE_ADMIN_TOKEN values it revoked: every process must forget them
  // (http::tokens_changed) before they are served again.
  std::vector<domain::Id> retired;
};

// Makes sure someone can administer the service:
// - with a configured secret, an admin token with that secret exists (created if missing, marked
//   as made from the environment), and every older active token made from the environment is
//   revoked: rotating the variable retires the old secret. A configured secret whose token was
//   revoked stays revoked and creates and revokes nothing (a process still started with the old
//   secret during a rolling restart doesn't undo the rotation), with a warning; so does one that
//   is another role's secret. Tokens minted through the API, or generated, are never revoked here.
// - without one, when no active admin token exists, creates one and returns its secret so the
//   caller can show it, once.
// Processes starting together take turns (the setup lock), so they agree on one outcome.
AdminTokenStart ensure_admin_token(storage::Database& db, const std::optional<std::string>& configured);

}  // namespace attendance::app
