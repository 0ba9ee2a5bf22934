// Attendances (check-in / check-out events).
#include <algorithm>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>

#include <boost/json.hpp>

#include "storage/page_order.hpp"
#include "storage/repositories.hpp"
#include "storage/rows.hpp"

namespace attendance::storage {

using sql::Param;

namespace {

const std::string kSelectAttendance = "SELECT " + std::string(rows::kAttendanceColumns) + " FROM attendances";
// The parts of a page's statement (page_statement).
constexpr std::string_view kWhereAfter = " WHERE id > :after";
constexpr std::string_view kAndSchool = " AND school_id = :school_id";
constexpr std::string_view kAndUser = " AND user_id = :user_id";
constexpr std::string_view kAndType = " AND type = :type";
constexpr std::string_view kAndFrom = " AND \"timestamp\" >= @at(:from)";
constexpr std::string_view kAndTo = " AND \"timestamp\" <= @at(:to)";

const std::string kFindAttendance = kSelectAttendance + " WHERE id = :id";
const std::string kFindWithFeverThreshold =
    "SELECT " + std::string(rows::kAttendanceColumns) +
    ", (SELECT fever_threshold FROM schools WHERE schools.id = attendances.school_id) FROM attendances"
    " WHERE id IN (@json_ids(:ids))";
const std::string kOfUserBetween = kSelectAttendance +
                                   " WHERE user_id = :user_id AND \"timestamp\" >= @at(:from)"
                                   " AND \"timestamp\" < @at(:to) ORDER BY \"timestamp\", id";
// Three index lookups per query in one statement: the range's events, the event with the
// client's id, and the latest event. The queries come as one JSON parameter, [[user, from, to,
// client_id], ...], so any number of them is the same kept statement.
const std::string kWindows =
    "WITH w AS (SELECT @json_table(:queries, w_user bigint, w_from bigint, w_to bigint, w_client text)) ";
const std::string kEventsAround =
    kWindows + "SELECT " + std::string(rows::kAttendanceColumns) +
    " FROM w JOIN attendances ON user_id = w_user AND \"timestamp\" >= @at(w_from) AND \"timestamp\" < @at(w_to)"
    " UNION SELECT " + std::string(rows::kAttendanceColumns) +
    " FROM w JOIN attendances ON user_id = w_user AND client_id = w_client"
    " UNION SELECT " + std::string(rows::kAttendanceColumns) +
    " FROM w JOIN attendances ON id = (SELECT latest.id FROM attendances latest WHERE latest.user_id = w_user"
    " ORDER BY latest.\"timestamp\" DESC, latest.id DESC LIMIT 1)"
    " ORDER BY 2, 4, 1";
const std::string kOfSchoolBetween = kSelectAttendance +
                                     " WHERE school_id = :school_id AND \"timestamp\" >= @at(:from)"
                                     " AND \"timestamp\" < @at(:to) ORDER BY user_id, \"timestamp\", id";
constexpr std::string_view kInsertAttendance =
    "INSERT INTO attendances (user_id, school_id, \"timestamp\", type, temperature, image_hash, client_id,"
    " inserted_at)"
    " VALUES (:user_id, :school_id, @at(:timestamp), :type, :temperature, :image_hash, :client_id,"
    " @at(:inserted_at)) RETURNING id";
// PostgreSQL: ids reserved first, then every row in one statement, so a job's inserts are two
// round trips whatever their number.
constexpr std::string_view kNextAttendanceIds =
    "SELECT nextval(pg_get_serial_sequence('attendances', 'id')) FROM generate_series(1, :count)";
constexpr std::string_view kInsertAttendanceRows =
    "INSERT INTO attendances (id, user_id, school_id, \"timestamp\", type, temperature, image_hash, client_id,"
    " inserted_at)"
    " SELECT r_id, r_user, r_school, @at(r_timestamp), r_type, r_temperature, r_image, r_client, @at(r_inserted)"
    " FROM (SELECT @json_table(:rows, r_id bigint, r_user bigint, r_school bigint, r_timestamp bigint, r_type text,"
    " r_temperature double precision, r_image text, r_client text, r_inserted bigint)) AS r";
constexpr std::string_view kDeleteAttendance = "DELETE FROM attendances WHERE id = :id";

Param id_param(Id id) { return Param::of(static_cast<long long>(id)); }

Param instant_param(Timestamp t) { return Param::of(sql::micros_of(t)); }

// An item of a JSON parameter (@json_table): the text, or null.
boost::json::value text_or_null(const std::optional<std::string>& text) {
  if (text) return boost::json::string(*text);
  return nullptr;
}

// The statement of one page: a constant condition per filter given, then the keyset clause.
sql::Params page_statement(const AttendancePage& request, std::string& query) {
  const auto& [filter, page] = request;
  query = kSelectAttendance;
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
  query += order_and_limit("id", page, params);
  return params;
}

}  // namespace

void fetch_attendance_pages(Session& s, std::span<const AttendancePage> pages, std::vector<domain::Attendance>& rows,
                            const std::function<void(std::size_t page, std::size_t count)>& on_page) {
  std::vector<std::string> statements(pages.size());
  std::vector<sql::Params> params(pages.size());
  std::vector<scan::Query> queries(pages.size());
  for (std::size_t i = 0; i < pages.size(); ++i) {
    params[i] = page_statement(pages[i], statements[i]);
    queries[i] = scan::Query{statements[i], &params[i]};
  }
  std::size_t count = 0;
  auto read_row = [&rows, &count](std::size_t, const scan::Columns& row) {
    // An existing Attendance, whose strings keep their memory, or a new one.
    if (count == rows.size()) rows.emplace_back();
    rows::AttendanceRow::read(row, rows[count++]);
  };
  auto finish_page = [&on_page, &count](std::size_t page, std::size_t fetched) {
    on_page(page, fetched);
    count = 0;
  };
  scan::each_row_of_all(s, queries, read_row, finish_page);
}

std::vector<domain::Attendance> list_attendances(Session& s, const AttendanceFilter& filter, const Page& page) {
  std::vector<domain::Attendance> rows;
  const AttendancePage request{filter, page};
  fetch_attendance_pages(s, std::span(&request, 1), rows, [&rows](std::size_t, std::size_t count) { rows.resize(count); });
  return rows;
}

std::optional<domain::Attendance> find_attendance(Session& s, Id id) {
  return sql::fetch_one<rows::AttendanceRow>(s, kFindAttendance, {id_param(id)});
}

std::vector<std::pair<domain::Attendance, double>> find_attendances_with_fever_thresholds(Session& s,
                                                                                       const std::vector<Id>& ids) {
  std::vector<std::pair<domain::Attendance, double>> found;
  found.reserve(ids.size());
  scan::each_row(s, kFindWithFeverThreshold, {sql::json_ids(ids)}, [&found](const scan::Columns& row) {
    auto& [event, threshold] = found.emplace_back();
    rows::AttendanceRow::read(row, event);
    threshold = row.real(rows::kAttendanceColumnCount);
  });
  return found;
}

std::vector<domain::Attendance> attendances_of_user_between(Session& s, Id user_id, Timestamp from, Timestamp to) {
  return sql::fetch_all<rows::AttendanceRow>(s, kOfUserBetween,
                                             {id_param(user_id), instant_param(from), instant_param(to)});
}

std::vector<domain::Attendance> events_around(Session& s, const std::vector<RecentQuery>& queries) {
  boost::json::array list;
  list.reserve(queries.size());
  for (const auto& q : queries) {
    list.push_back(boost::json::array{q.user_id, sql::micros_of(q.from), sql::micros_of(q.to), text_or_null(q.client_id)});
  }
  return sql::fetch_all<rows::AttendanceRow>(s, kEventsAround, {Param::of(boost::json::serialize(list))});
}

RecentEvents recent_events_among(const std::vector<domain::Attendance>& events, Timestamp from, Timestamp to,
                                 const std::optional<std::string>& client_id) {
  RecentEvents recent;
  if (!events.empty()) recent.latest = events.back();
  if (client_id) {
    for (const auto& event : events) {
      if (event.client_id == client_id) recent.same_client_id = event;
    }
  }
  // Ordered by timestamp, so the range's events are one run of them.
  auto before = [](const domain::Attendance& event, Timestamp t) { return event.timestamp < t; };
  auto first = std::lower_bound(events.begin(), events.end(), from, before);
  auto last = std::lower_bound(first, events.end(), to, before);
  recent.between.assign(first, last);
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

AttendanceInserts::AttendanceInserts(Session& s, std::size_t at_most) : session_(s), at_most_(at_most) {}

AttendanceInserts::~AttendanceInserts() = default;

domain::Attendance AttendanceInserts::add(const domain::Attendance& row) {
  if (!session_.is_postgresql()) return insert_attendance(session_, row);
  if (reserved_.empty()) {
    // The first row reserves an id for every row the job may add; those it doesn't are a gap in
    // the sequence, as a rolled-back insert leaves.
    auto ids = sql::fetch_all<sql::IntegerRow>(session_, kNextAttendanceIds,
                                               {Param::of(static_cast<long long>(std::max<std::size_t>(1, at_most_)))});
    std::sort(ids.begin(), ids.end(), std::greater<>());  // taken from the back, smallest first
    reserved_.assign(ids.begin(), ids.end());
    inserted_at_ = sql::now();
  }
  if (reserved_.empty() || pending_.size() >= at_most_) throw std::logic_error("AttendanceInserts: more rows than announced");
  domain::Attendance stored = row;
  stored.id = reserved_.back();
  reserved_.pop_back();
  stored.inserted_at = inserted_at_;
  pending_.push_back(stored);
  return stored;
}

void AttendanceInserts::flush() {
  if (pending_.empty()) return;
  boost::json::array list;
  list.reserve(pending_.size());
  for (const auto& row : pending_) {
    list.push_back(boost::json::array{row.id, row.user_id, row.school_id, sql::micros_of(row.timestamp),
                                      domain::to_string(row.type), row.temperature, text_or_null(row.image_hash),
                                      text_or_null(row.client_id), sql::micros_of(row.inserted_at)});
  }
  sql::execute(session_, kInsertAttendanceRows, {Param::of(boost::json::serialize(list))});
  pending_.clear();
}

void delete_attendance(Session& s, Id id) { sql::execute(s, kDeleteAttendance, {id_param(id)}); }

}  // namespace attendance::storage
