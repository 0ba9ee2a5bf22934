// Attendances (check-in / check-out events).
#include <string>

#include "storage/repositories.hpp"
#include "storage/rows.hpp"

namespace attendance::storage {

using sql::Param;

namespace {

const std::string kSelectAttendance = "SELECT " + std::string(rows::kAttendanceColumns) + " FROM attendances";
// list_attendances appends one constant condition per filter given, then the keyset clause.
constexpr std::string_view kWhereAfter = " WHERE id > :after";
constexpr std::string_view kAndSchool = " AND school_id = :school_id";
constexpr std::string_view kAndUser = " AND user_id = :user_id";
constexpr std::string_view kAndType = " AND type = :type";
constexpr std::string_view kAndFrom = " AND \"timestamp\" >= @at(:from)";
constexpr std::string_view kAndTo = " AND \"timestamp\" <= @at(:to)";
constexpr std::string_view kOrderByIdLimit = " ORDER BY id LIMIT :limit";

const std::string kFindAttendance = kSelectAttendance + " WHERE id = :id";
const std::string kFindWithFeverThreshold =
    "SELECT " + std::string(rows::kAttendanceColumns) +
    ", (SELECT fever_threshold FROM schools WHERE schools.id = attendances.school_id) FROM attendances WHERE id = :id";
const std::string kFindByClientId = kSelectAttendance + " WHERE user_id = :user_id AND client_id = :client_id";
const std::string kLatestOfUser =
    kSelectAttendance + " WHERE user_id = :user_id ORDER BY \"timestamp\" DESC, id DESC LIMIT 1";
const std::string kOfUserBetween = kSelectAttendance +
                                   " WHERE user_id = :user_id AND \"timestamp\" >= @at(:from)"
                                   " AND \"timestamp\" < @at(:to) ORDER BY \"timestamp\", id";
// Three index lookups in one query: the range's events, the event with the client's id, and
// the latest event (which sorts last, being the user's greatest (timestamp, id)).
const std::string kRecentOfUser =
    kSelectAttendance + " WHERE user_id = :user_id AND \"timestamp\" >= @at(:from) AND \"timestamp\" < @at(:to)"
    " UNION " + kSelectAttendance + " WHERE user_id = :client_user_id AND client_id = :client_id"
    " UNION " + kSelectAttendance + " WHERE id = (SELECT id FROM attendances WHERE user_id = :latest_user_id"
    " ORDER BY \"timestamp\" DESC, id DESC LIMIT 1)"
    " ORDER BY 4, 1";
const std::string kOfSchoolBetween = kSelectAttendance +
                                     " WHERE school_id = :school_id AND \"timestamp\" >= @at(:from)"
                                     " AND \"timestamp\" < @at(:to) ORDER BY user_id, \"timestamp\", id";
constexpr std::string_view kInsertAttendance =
    "INSERT INTO attendances (user_id, school_id, \"timestamp\", type, temperature, image_hash, client_id,"
    " inserted_at)"
    " VALUES (:user_id, :school_id, @at(:timestamp), :type, :temperature, :image_hash, :client_id,"
    " @at(:inserted_at)) RETURNING id";
constexpr std::string_view kDeleteAttendance = "DELETE FROM attendances WHERE id = :id";

Param id_param(Id id) { return Param::of(static_cast<long long>(id)); }

Param instant_param(Timestamp t) { return Param::of(sql::micros_of(t)); }

// An attendance row followed by its school's fever threshold.
struct AttendanceWithThresholdRow {
  rows::AttendanceRow attendance;
  double threshold = 0;
  void bind(soci::statement& st) {
    attendance.bind(st);
    st.exchange(soci::into(threshold));
  }
  std::pair<domain::Attendance, double> value() const { return {attendance.value(), threshold}; }
};

}  // namespace

std::vector<domain::Attendance> list_attendances(Session& s, const AttendanceFilter& filter, const Page& page) {
  std::string query = kSelectAttendance;
  query += kWhereAfter;
  sql::Params params{Param::of(static_cast<long long>(page.after.value_or(0)))};
  if (filter.school_id) {
    query += kAndSchool;
    params.push_back(id_param(*filter.school_id));
  }
  if (filter.user_id) {
    query += kAndUser;
    params.push_back(id_param(*filter.user_id));
  }
  if (filter.type) {
    query += kAndType;
    params.push_back(Param::of(std::string(domain::to_string(*filter.type))));
  }
  if (filter.from) {
    query += kAndFrom;
    params.push_back(instant_param(*filter.from));
  }
  if (filter.to) {
    query += kAndTo;
    params.push_back(instant_param(*filter.to));
  }
  query += kOrderByIdLimit;
  params.push_back(Param::of(static_cast<long long>(page.limit)));
  return sql::fetch_all<rows::AttendanceRow>(s, query, std::move(params));
}

std::optional<domain::Attendance> find_attendance(Session& s, Id id) {
  return sql::fetch_one<rows::AttendanceRow>(s, kFindAttendance, {id_param(id)});
}

std::optional<std::pair<domain::Attendance, double>> find_attendance_with_fever_threshold(Session& s, Id id) {
  return sql::fetch_one<AttendanceWithThresholdRow>(s, kFindWithFeverThreshold, {id_param(id)});
}

std::optional<domain::Attendance> find_attendance_by_client_id(Session& s, Id user_id, const std::string& client_id) {
  return sql::fetch_one<rows::AttendanceRow>(s, kFindByClientId, {id_param(user_id), Param::of(client_id)});
}

std::optional<domain::Attendance> latest_attendance_of_user(Session& s, Id user_id) {
  return sql::fetch_one<rows::AttendanceRow>(s, kLatestOfUser, {id_param(user_id)});
}

std::vector<domain::Attendance> attendances_of_user_between(Session& s, Id user_id, Timestamp from, Timestamp to) {
  return sql::fetch_all<rows::AttendanceRow>(s, kOfUserBetween,
                                             {id_param(user_id), instant_param(from), instant_param(to)});
}

RecentEvents recent_events_of_user(Session& s, Id user_id, Timestamp from, Timestamp to,
                                   const std::optional<std::string>& client_id) {
  auto rows = sql::fetch_all<rows::AttendanceRow>(s, kRecentOfUser,
                                                  {id_param(user_id), instant_param(from), instant_param(to),
                                                   id_param(user_id), Param::of(client_id), id_param(user_id)});
  RecentEvents recent;
  if (!rows.empty()) recent.latest = rows.back();
  for (auto& event : rows) {
    if (client_id && event.client_id == client_id) recent.same_client_id = event;
    if (event.timestamp >= from && event.timestamp < to) recent.between.push_back(std::move(event));
  }
  return recent;
}

std::vector<domain::Attendance> attendances_of_school_between(Session& s, Id school_id, Timestamp from,
                                                              Timestamp to) {
  return sql::fetch_all<rows::AttendanceRow>(s, kOfSchoolBetween,
                                             {id_param(school_id), instant_param(from), instant_param(to)});
}

domain::Attendance insert_attendance(Session& s, const domain::Attendance& attendance) {
  // Both backends keep instants to the microsecond, so the stored row is what was sent: no read-back.
  domain::Attendance stored = attendance;
  stored.inserted_at = sql::now();
  stored.id = sql::fetch_integer(s, kInsertAttendance,
                                 {id_param(attendance.user_id), id_param(attendance.school_id),
                                  instant_param(attendance.timestamp),
                                  Param::of(std::string(domain::to_string(attendance.type))),
                                  Param::of(attendance.temperature), Param::of(attendance.image_hash),
                                  Param::of(attendance.client_id), instant_param(stored.inserted_at)});
  return stored;
}

void delete_attendance(Session& s, Id id) { sql::execute(s, kDeleteAttendance, {id_param(id)}); }

}  // namespace attendance::storage
