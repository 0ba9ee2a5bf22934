#include "app/bootstrap.hpp"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "domain/result.hpp"
#include "domain/secrets.hpp"
#include "storage/migrations.hpp"
#include "storage/repositories.hpp"

namespace attendance::app {

namespace {

// The configured secret's token as the setup transaction found it.
enum class Configured { active_admin, revoked, not_admin };

struct ConfiguredOutcome {
  Configured found = Configured::active_admin;
  std::vector<domain::Id> retired;
};

std::vector<domain::Id> ensure_configured(storage::Database& db, const std::string& secret) {
  domain::ApiToken admin;
  admin.role = domain::Role::admin;
  admin.name = "bootstrap admin (ATTENDANCE_ADMIN_TOKEN)";
  // Each check and its writes take the setup lock: processes starting together on a fresh
  // database would otherwise each see no token and each create one.
  auto outcome = db.write_now([&admin, hash = domain::hash_token_secret(secret)](storage::Session& s) {
    storage::take_setup_lock(s);
    auto token = storage::find_token_by_hash(s, hash);
    if (!token) token = storage::insert_token(s, admin, hash, storage::TokenOrigin::environment);
    if (token->revoked_at) return ConfiguredOutcome{Configured::revoked, {}};
    if (token->role != domain::Role::admin) return ConfiguredOutcome{Configured::not_admin, {}};
    // Older only: a process still started with an earlier secret must not retire a newer one.
    return ConfiguredOutcome{Configured::active_admin, storage::revoke_environment_tokens_before(s, token->id)};
  });
  switch (outcome.found) {
    case Configured::revoked:
      // A revocation is an operator's decision: a restart with the old variable doesn't undo it.
      spdlog::warn("ATTENDANCE_ADMIN_TOKEN is the secret of a revoked token, which stays revoked; "
                   "set a new secret to create another admin token");
      break;
    case Configured::not_admin:
      spdlog::warn("ATTENDANCE_ADMIN_TOKEN is the secret of a token that is not an admin's; "
                   "no admin token was created and none was revoked");
      break;
    case Configured::active_admin:
      if (!outcome.retired.empty()) {
        spdlog::info(
            "ATTENDANCE_ADMIN_TOKEN has a new secret: revoked {} admin token(s) of its earlier values (ids {})",
            outcome.retired.size(), fmt::join(outcome.retired, ", "));
      }
      break;
  }
  return outcome.retired;
}

std::optional<std::string> ensure_generated(storage::Database& db) {
  auto secret = domain::generate_token_secret();
  domain::ApiToken admin;
  admin.role = domain::Role::admin;
  admin.name = "bootstrap admin";
  bool created = db.write_now([&admin, hash = domain::hash_token_secret(secret)](storage::Session& s) {
    storage::take_setup_lock(s);
    if (storage::count_active_admin_tokens(s) > 0) return false;
    storage::insert_token(s, admin, hash, storage::TokenOrigin::generated);
    return true;
  });
  if (!created) return std::nullopt;
  return secret;
}

}  // namespace

AdminTokenStart ensure_admin_token(storage::Database& db, const std::optional<std::string>& configured) {
  if (configured) return AdminTokenStart{std::nullopt, ensure_configured(db, *configured)};
  return AdminTokenStart{ensure_generated(db), {}};
}

}  // namespace attendance::app
