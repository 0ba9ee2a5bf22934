#include "app/bootstrap.hpp"

#include "domain/result.hpp"
#include "domain/secrets.hpp"
#include "storage/repositories.hpp"

namespace attendance::app {

std::optional<std::string> ensure_admin_token(storage::Database& db, const std::optional<std::string>& configured) {
  domain::ApiToken admin;
  admin.role = domain::Role::admin;
  if (configured) {
    admin.name = "bootstrap admin (ATTENDANCE_ADMIN_TOKEN)";
    db.write_now([&admin, hash = domain::hash_token_secret(*configured)](storage::Session& s) {
      if (!storage::find_active_token_by_hash(s, hash)) storage::insert_token(s, admin, hash);
      return domain::Done{};
    });
    return std::nullopt;
  }
  auto secret = domain::generate_token_secret();
  admin.name = "bootstrap admin";
  bool created = db.write_now([&admin, hash = domain::hash_token_secret(secret)](storage::Session& s) {
    if (storage::count_active_admin_tokens(s) > 0) return false;
    storage::insert_token(s, admin, hash);
    return true;
  });
  if (!created) return std::nullopt;
  return secret;
}

}  // namespace attendance::app
