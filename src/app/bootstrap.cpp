#include "app/bootstrap.hpp"

#include <spdlog/spdlog.h>

#include "domain/result.hpp"
#include "domain/secrets.hpp"
#include "storage/migrations.hpp"
#include "storage/repositories.hpp"

namespace attendance::app {

std::optional<std::string> ensure_admin_token(storage::Database& db, const std::optional<std::string>& configured) {
  domain::ApiToken admin;
  admin.role = domain::Role::admin;
  // Each check and its insert take the setup lock: processes starting together on a fresh
  // database would otherwise each see no token and each create one.
  if (configured) {
    admin.name = "bootstrap admin (ATTENDANCE_ADMIN_TOKEN)";
    const bool revoked = db.write_now([&admin, hash = domain::hash_token_secret(*configured)](storage::Session& s) {
      storage::take_setup_lock(s);
      auto existing = storage::find_token_by_hash(s, hash);
      if (!existing) storage::insert_token(s, admin, hash);
      return existing && existing->revoked_at;
    });
    // A revocation is an operator's decision: a restart with the old variable doesn't undo it.
    if (revoked) {
      spdlog::warn("ATTENDANCE_ADMIN_TOKEN is the secret of a revoked token, which stays revoked; "
                   "set a new secret to create another admin token");
    }
    return std::nullopt;
  }
  auto secret = domain::generate_token_secret();
  admin.name = "bootstrap admin";
  bool created = db.write_now([&admin, hash = domain::hash_token_secret(secret)](storage::Session& s) {
    storage::take_setup_lock(s);
    if (storage::count_active_admin_tokens(s) > 0) return false;
    storage::insert_token(s, admin, hash);
    return true;
  });
  if (!created) return std::nullopt;
  return secret;
}

}  // namespace attendance::app
