// Queries behind the live views of a school: who is in now, and fever alerts.
#include <string>

#include "storage/page_order.hpp"
#include "storage/repositories.hpp"
#include "storage/rows.hpp"

namespace attendance::storage {

using sql::Param;

namespace {

// A check-in is still open when no later event of its user exists up to `until`.
constexpr std::string_view kCountCheckedIn =
    "SELECT COUNT(*) FROM attendances a"
    " WHERE a.school_id = :school_id AND a.type = 'checkin'"
    " AND a.\"timestamp\" >= @at(:from) AND a.\"timestamp\" <= @at(:until)"
    " AND NOT EXISTS (SELECT 1 FROM attendances b WHERE b.user_id = a.user_id"
    " AND b.\"timestamp\" > a.\"timestamp\" AND b.\"timestamp\" <= @at(:until_again))";

constexpr std::string_view kFeverSelect =
    "SELECT a.id, a.user_id, a.school_id, @ts(a.\"timestamp\"), a.type, a.temperature, a.image_hash,"
    " a.client_id, @ts(a.inserted_at), u.name"
    " FROM attendances a JOIN users u ON u.id = a.user_id"
    " WHERE a.school_id = :school_id AND a.temperature >= :threshold";
constexpr std::string_view kFeverBefore = " AND a.id < :before";
constexpr std::string_view kFeverFrom = " AND a.\"timestamp\" >= @at(:from)";
constexpr std::string_view kFeverTo = " AND a.\"timestamp\" <= @at(:to)";

// An attendance row followed by its user's name.
struct FeverRow {
  rows::AttendanceRow attendance;
  std::string user_name;
  void bind(soci::statement& st) {
    attendance.bind(st);
    st.exchange(soci::into(user_name));
  }
  FeverEvent value() const { return {attendance.value(), user_name}; }
};

}  // namespace

std::int64_t count_checked_in(Session& s, Id school_id, Timestamp day_begin, Timestamp until) {
  const long long until_micros = sql::micros_of(until);
  return sql::fetch_integer(s, kCountCheckedIn,
                            {Param::of(static_cast<long long>(school_id)), Param::of(sql::micros_of(day_begin)),
                             Param::of(until_micros), Param::of(until_micros)});
}

std::vector<FeverEvent> list_fever_events(Session& s, const FeverFilter& filter, const Page& page) {
  std::string query(kFeverSelect);
  sql::Params params{Param::of(static_cast<long long>(filter.school_id)), Param::of(filter.threshold)};
  if (page.after) {
    query += kFeverBefore;
    params.push_back(Param::of(static_cast<long long>(*page.after)));
  }
  if (filter.from) {
    query += kFeverFrom;
    params.push_back(Param::of(sql::micros_of(*filter.from)));
  }
  if (filter.to) {
    query += kFeverTo;
    params.push_back(Param::of(sql::micros_of(*filter.to)));
  }
  query += order_and_limit("a.id DESC", page, params);
  return sql::fetch_all<FeverRow>(s, query, std::move(params));
}

}  // namespace attendance::storage
