// Schools and their closures.
#include <stdexcept>
#include <string>

#include "storage/page_order.hpp"
#include "storage/repositories.hpp"
#include "storage/rows.hpp"

namespace attendance::storage {

using sql::Param;

namespace {

const std::string kSelectSchool = "SELECT " + std::string(rows::kSchoolColumns) + " FROM schools";
const std::string kListSchools = kSelectSchool + " WHERE id > :after";
const std::string kListOneSchool = kSelectSchool + " WHERE id > :after AND id = :only";
const std::string kFindSchool = kSelectSchool + " WHERE id = :id";
constexpr std::string_view kInsertSchool =
    "INSERT INTO schools (name, timezone, school_days, min_daily_hours, min_period_ratio, fever_threshold,"
    " inserted_at, updated_at)"
    " VALUES (:name, :timezone, :school_days, :min_daily_hours, :min_period_ratio, :fever_threshold,"
    " @at(:inserted_at), @at(:updated_at)) RETURNING id";
constexpr std::string_view kUpdateSchool =
    "UPDATE schools SET name = :name, timezone = :timezone, school_days = :school_days,"
    " min_daily_hours = :min_daily_hours, min_period_ratio = :min_period_ratio,"
    " fever_threshold = :fever_threshold, updated_at = @at(:updated_at) WHERE id = :id";
// Children first: the foreign keys are enforced on both backends.
constexpr std::string_view kDeleteSchoolAttendancesByUser =
    "DELETE FROM attendances WHERE user_id IN (SELECT id FROM users WHERE school_id = :id)";
constexpr std::string_view kDeleteSchoolAttendances = "DELETE FROM attendances WHERE school_id = :id";
constexpr std::string_view kDeleteSchoolUsers = "DELETE FROM users WHERE school_id = :id";
constexpr std::string_view kDeleteSchoolClosures = "DELETE FROM closures WHERE school_id = :id";
constexpr std::string_view kDeleteSchoolTokens = "DELETE FROM api_tokens WHERE school_id = :id";
constexpr std::string_view kDeleteSchool = "DELETE FROM schools WHERE id = :id";
constexpr std::string_view kCountUsersOfSchool = "SELECT COUNT(*) FROM users WHERE school_id = :id";

const std::string kListClosures =
    "SELECT " + std::string(rows::kClosureColumns) + " FROM closures WHERE school_id = :school_id";
constexpr std::string_view kClosureFrom = " AND \"date\" >= @day(:from)";
constexpr std::string_view kClosureTo = " AND \"date\" <= @day(:to)";
constexpr std::string_view kClosureOrder = " ORDER BY \"date\"";
constexpr std::string_view kUpsertClosure =
    "INSERT INTO closures (school_id, \"date\", reason) VALUES (:school_id, @day(:date), :reason)"
    " ON CONFLICT (school_id, \"date\") DO UPDATE SET reason = excluded.reason";
constexpr std::string_view kDeleteClosure =
    "DELETE FROM closures WHERE school_id = :school_id AND \"date\" = @day(:date)";

Param id_param(Id id) { return Param::of(static_cast<long long>(id)); }

sql::Params settable_fields(const domain::School& school) {
  return {Param::of(school.name),
          Param::of(school.timezone),
          Param::of(rows::text_of_days(school.school_days)),
          Param::of(school.min_daily_hours),
          Param::of(school.min_period_ratio),
          Param::of(school.fever_threshold)};
}

}  // namespace

std::vector<domain::School> list_schools(Session& s, std::optional<Id> only_school, const Page& page) {
  sql::Params params{Param::of(static_cast<long long>(page.after.value_or(0)))};
  if (only_school) params.push_back(id_param(*only_school));
  const auto query = (only_school ? kListOneSchool : kListSchools) + order_and_limit("id", page, params);
  return sql::fetch_all<rows::SchoolRow>(s, query, std::move(params));
}

std::optional<domain::School> find_school(Session& s, Id id) {
  return sql::fetch_one<rows::SchoolRow>(s, kFindSchool, {id_param(id)});
}

domain::School insert_school(Session& s, const domain::School& school) {
  auto params = settable_fields(school);
  const long long now = sql::micros_of(sql::now());
  params.push_back(Param::of(now));
  params.push_back(Param::of(now));
  const Id id = sql::fetch_integer(s, kInsertSchool, std::move(params));
  return find_school(s, id).value();
}

domain::School update_school(Session& s, const domain::School& school) {
  auto params = settable_fields(school);
  params.push_back(Param::of(sql::micros_of(sql::now())));
  params.push_back(id_param(school.id));
  if (sql::execute(s, kUpdateSchool, std::move(params)) == 0) {
    throw std::out_of_range("update_school: no school " + std::to_string(school.id));
  }
  return find_school(s, school.id).value();
}

void delete_school(Session& s, Id id) {
  for (auto statement : {kDeleteSchoolAttendancesByUser, kDeleteSchoolAttendances, kDeleteSchoolUsers,
                         kDeleteSchoolClosures, kDeleteSchoolTokens, kDeleteSchool}) {
    sql::execute(s, statement, {id_param(id)});
  }
}

std::int64_t count_users_of_school(Session& s, Id school_id) {
  return sql::fetch_integer(s, kCountUsersOfSchool, {id_param(school_id)});
}

std::vector<domain::Closure> list_closures(Session& s, Id school_id, std::optional<LocalDate> from,
                                           std::optional<LocalDate> to) {
  std::string query = kListClosures;
  sql::Params params{id_param(school_id)};
  if (from) {
    query += kClosureFrom;
    params.push_back(Param::of(sql::text_of_date(*from)));
  }
  if (to) {
    query += kClosureTo;
    params.push_back(Param::of(sql::text_of_date(*to)));
  }
  query += kClosureOrder;
  return sql::fetch_all<rows::ClosureRow>(s, query, std::move(params));
}

void upsert_closure(Session& s, const domain::Closure& closure) {
  sql::execute(s, kUpsertClosure,
               {id_param(closure.school_id), Param::of(sql::text_of_date(closure.date)), Param::of(closure.reason)});
}

bool delete_closure(Session& s, Id school_id, LocalDate date) {
  return sql::execute(s, kDeleteClosure, {id_param(school_id), Param::of(sql::text_of_date(date))}) > 0;
}

}  // namespace attendance::storage
