#include "http/auth.hpp"

#include <algorithm>

#include "domain/secrets.hpp"
#include "http/token_cache.hpp"
#include "storage/database.hpp"
#include "storage/repositories.hpp"

namespace attendance::http {

std::optional<std::string_view> bearer_secret(std::string_view header) {
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size()) return std::nullopt;
  auto scheme = header.substr(0, kScheme.size());
  bool scheme_matches = std::equal(scheme.begin(), scheme.end(), kScheme.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  if (!scheme_matches) return std::nullopt;
  auto secret = header.substr(kScheme.size());
  while (!secret.empty() && secret.front() == ' ') secret.remove_prefix(1);
  while (!secret.empty() && secret.back() == ' ') secret.remove_suffix(1);
  if (secret.empty() || secret.size() > 256) return std::nullopt;
  return secret;
}

boost::asio::awaitable<std::optional<Principal>> authenticate(AppContext& app, std::string_view authorization) {
  auto secret = bearer_secret(authorization);
  if (!secret) co_return std::nullopt;
  auto hash = domain::hash_token_secret(*secret);
  if (app.tokens) {
    if (auto known = app.tokens->find(hash)) co_return known;
  }
  // Read before the lookup starts: a clear() while it is in flight keeps its answer out.
  const auto generation = app.tokens ? app.tokens->generation() : 0;
  auto pending = app.db.read(
      [hash](storage::Session& s) { return storage::find_active_token_by_hash(s, hash); });
  auto token = co_await std::move(pending);
  if (!token) co_return std::nullopt;
  Principal principal{token->id, token->role, token->school_id};
  if (app.tokens) app.tokens->remember(hash, principal, generation);
  co_return principal;
}

bool has_role(const Principal& caller, std::initializer_list<domain::Role> allowed) {
  return std::find(allowed.begin(), allowed.end(), caller.role) != allowed.end();
}

}  // namespace attendance::http
