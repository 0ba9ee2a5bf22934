// Users.
#include <stdexcept>
#include <string>

#include "storage/page_order.hpp"
#include "storage/repositories.hpp"
#include "storage/rows.hpp"

namespace attendance::storage {

using sql::Param;

namespace {

const std::string kSelectUser = "SELECT " + std::string(rows::kUserColumns) + " FROM users";
const std::string kListUsers = kSelectUser + " WHERE id > :after";
const std::string kListUsersOfSchool =
    kSelectUser + " WHERE school_id = :school_id AND id > :after";
const std::string kFindUser = kSelectUser + " WHERE id = :id";
// FOR UPDATE on PostgreSQL only: SQLite's single writer already serializes the write lane.
const std::string kFindUserForUpdate = kSelectUser + " WHERE id = :id @for_update";
const std::string kFindUserWithSchoolForUpdate = "SELECT " + rows::qualified(rows::kUserColumns, "u") + ", " +
                                                 rows::qualified(rows::kSchoolColumns, "s") +
                                                 " FROM users u JOIN schools s ON s.id = u.school_id"
                                                 " WHERE u.id IN (@json_ids(:ids)) ORDER BY u.id @for_update_of(u)";
const std::string kFindUserByExternalId = kSelectUser + " WHERE school_id = :school_id AND external_id = :external_id";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (school_id, name, external_id, enrolled_on, inserted_at, updated_at)"
    " VALUES (:school_id, :name, :external_id, @day(:enrolled_on), @at(:inserted_at), @at(:updated_at))"
    " RETURNING id";
constexpr std::string_view kUpdateUser =
    "UPDATE users SET school_id = :school_id, name = :name, external_id = :external_id,"
    " enrolled_on = @day(:enrolled_on), updated_at = @at(:updated_at) WHERE id = :id";
constexpr std::string_view kDeleteUserAttendances = "DELETE FROM attendances WHERE user_id = :id";
constexpr std::string_view kDeleteUser = "DELETE FROM users WHERE id = :id";
constexpr std::string_view kCountAttendancesOfUser = "SELECT COUNT(*) FROM attendances WHERE user_id = :id";

Param id_param(Id id) { return Param::of(static_cast<long long>(id)); }

sql::Params settable_fields(const domain::User& user) {
  return {id_param(user.school_id), Param::of(user.name), Param::of(user.external_id),
          Param::of(sql::text_of_date(user.enrolled_on))};
}

}  // namespace

std::vector<domain::User> list_users(Session& s, const UserFilter& filter, const Page& page) {
  sql::Params params;
  if (filter.school_id) params.push_back(id_param(*filter.school_id));
  params.push_back(Param::of(static_cast<long long>(page.after.value_or(0))));
  const auto query = (filter.school_id ? kListUsersOfSchool : kListUsers) + order_and_limit("id", page, params);
  return sql::fetch_all<rows::UserRow>(s, query, std::move(params));
}

std::optional<domain::User> find_user(Session& s, Id id) {
  return sql::fetch_one<rows::UserRow>(s, kFindUser, {id_param(id)});
}

std::optional<domain::User> find_user_for_update(Session& s, Id id) {
  return sql::fetch_one<rows::UserRow>(s, kFindUserForUpdate, {id_param(id)});
}

std::optional<UserWithSchool> find_user_with_school_for_update(Session& s, Id user_id) {
  auto found = find_users_with_schools_for_update(s, {user_id});
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<UserWithSchool> find_users_with_schools_for_update(Session& s, const std::vector<Id>& user_ids) {
  // Locked in id order, so two transactions locking overlapping sets can't deadlock.
  auto rows = sql::fetch_all<rows::UserWithSchoolRow>(s, kFindUserWithSchoolForUpdate, {sql::json_ids(user_ids)});
  std::vector<UserWithSchool> found;
  found.reserve(rows.size());
  for (auto& row : rows) found.push_back(UserWithSchool{std::move(row.first), std::move(row.second)});
  return found;
}

std::optional<domain::User> find_user_by_external_id(Session& s, Id school_id, const std::string& external_id) {
  return sql::fetch_one<rows::UserRow>(s, kFindUserByExternalId, {id_param(school_id), Param::of(external_id)});
}

domain::User insert_user(Session& s, const domain::User& user) {
  auto params = settable_fields(user);
  const long long now = sql::micros_of(sql::now());
  params.push_back(Param::of(now));
  params.push_back(Param::of(now));
  const Id id = sql::fetch_integer(s, kInsertUser, std::move(params));
  return find_user(s, id).value();
}

domain::User update_user(Session& s, const domain::User& user) {
  auto params = settable_fields(user);
  params.push_back(Param::of(sql::micros_of(sql::now())));
  params.push_back(id_param(user.id));
  if (sql::execute(s, kUpdateUser, std::move(params)) == 0) {
    throw std::out_of_range("update_user: no user " + std::to_string(user.id));
  }
  return find_user(s, user.id).value();
}

void delete_user(Session& s, Id id) {
  sql::execute(s, kDeleteUserAttendances, {id_param(id)});
  sql::execute(s, kDeleteUser, {id_param(id)});
}

std::int64_t count_attendances_of_user(Session& s, Id user_id) {
  return sql::fetch_integer(s, kCountAttendancesOfUser, {id_param(user_id)});
}

}  // namespace attendance::storage
