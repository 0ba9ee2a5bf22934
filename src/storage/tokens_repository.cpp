// API tokens. Only the hash of a secret is ever stored.
#include <algorithm>
#include <string>

#include "storage/page_order.hpp"
#include "storage/repositories.hpp"
#include "storage/rows.hpp"

namespace attendance::storage {

using sql::Param;

namespace {

const std::string kSelectToken = "SELECT " + std::string(rows::kTokenColumns) + " FROM api_tokens";
constexpr std::string_view kInsertToken =
    "INSERT INTO api_tokens (name, role, school_id, secret_hash, inserted_at, origin)"
    " VALUES (:name, :role, :school_id, :secret_hash, @at(:inserted_at), :origin) RETURNING id";
const std::string kFindByHash = kSelectToken + " WHERE secret_hash = :secret_hash";
const std::string kFindActiveByHash = kFindByHash + " AND revoked_at IS NULL";
const std::string kListTokens = kSelectToken + " WHERE id > :after";
const std::string kFindToken = kSelectToken + " WHERE id = :id";
constexpr std::string_view kRevokeToken =
    "UPDATE api_tokens SET revoked_at = @at(:now) WHERE id = :id AND revoked_at IS NULL";
constexpr std::string_view kRevokeEnvironmentBefore =
    "UPDATE api_tokens SET revoked_at = @at(:now)"
    " WHERE origin = 'environment' AND id < :id AND revoked_at IS NULL RETURNING id";
constexpr std::string_view kActiveAmong =
    "SELECT id FROM api_tokens WHERE id IN (@json_ids(:ids)) AND revoked_at IS NULL";
constexpr std::string_view kCountActiveAdmins =
    "SELECT COUNT(*) FROM api_tokens WHERE role = 'admin' AND revoked_at IS NULL";

Param id_param(Id id) { return Param::of(static_cast<long long>(id)); }

std::string origin_text(TokenOrigin origin) {
  switch (origin) {
    case TokenOrigin::environment: return "environment";
    case TokenOrigin::generated: return "generated";
    case TokenOrigin::api: break;
  }
  return "api";
}

std::vector<Id> ids_of(Session& s, std::string_view query, sql::Params params) {
  std::vector<Id> ids;
  for (long long id : sql::fetch_all<sql::IntegerRow>(s, query, std::move(params))) ids.push_back(id);
  return ids;
}

}  // namespace

domain::ApiToken insert_token(Session& s, const domain::ApiToken& token, const std::string& secret_hash,
                              TokenOrigin origin) {
  std::optional<long long> school_id;
  if (token.school_id) school_id = *token.school_id;
  const Id id = sql::fetch_integer(s, kInsertToken,
                                   {Param::of(token.name), Param::of(std::string(domain::to_string(token.role))),
                                    Param::of(school_id), Param::of(secret_hash),
                                    Param::of(sql::micros_of(sql::now())), Param::of(origin_text(origin))});
  return find_token(s, id).value();
}

std::optional<domain::ApiToken> find_active_token_by_hash(Session& s, const std::string& secret_hash) {
  return sql::fetch_one<rows::TokenRow>(s, kFindActiveByHash, {Param::of(secret_hash)});
}

std::optional<domain::ApiToken> find_token_by_hash(Session& s, const std::string& secret_hash) {
  return sql::fetch_one<rows::TokenRow>(s, kFindByHash, {Param::of(secret_hash)});
}

std::vector<domain::ApiToken> list_tokens(Session& s, const Page& page) {
  sql::Params params{Param::of(static_cast<long long>(page.after.value_or(0)))};
  const auto query = kListTokens + order_and_limit("id", page, params);
  return sql::fetch_all<rows::TokenRow>(s, query, std::move(params));
}

std::optional<domain::ApiToken> find_token(Session& s, Id id) {
  return sql::fetch_one<rows::TokenRow>(s, kFindToken, {id_param(id)});
}

bool revoke_token(Session& s, Id id) {
  return sql::execute(s, kRevokeToken, {Param::of(sql::micros_of(sql::now())), id_param(id)}) > 0;
}

std::vector<Id> revoke_environment_tokens_before(Session& s, Id id) {
  auto revoked = ids_of(s, kRevokeEnvironmentBefore, {Param::of(sql::micros_of(sql::now())), id_param(id)});
  std::sort(revoked.begin(), revoked.end());  // RETURNING follows no ORDER BY
  return revoked;
}

std::vector<Id> active_tokens_among(Session& s, const std::vector<Id>& ids) {
  return ids_of(s, kActiveAmong, {sql::json_ids(ids)});
}

std::int64_t count_active_admin_tokens(Session& s) { return sql::fetch_integer(s, kCountActiveAdmins, {}); }

}  // namespace attendance::storage
