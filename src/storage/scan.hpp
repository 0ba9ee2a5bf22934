#pragma once
// Scans of many rows read straight from the database's C API, on the SOCI session's own
// connection: SQLite's statements, or PostgreSQL's with results in binary form.
//
// SOCI hands each column of each row over through its into() elements: a virtual call, a type
// check and a copy per column, which was 13 % of the CPU of serving a page of 100 attendances on
// SQLite. On PostgreSQL it also asks for every result as text, so the database renders each
// number and instant as text and SOCI parses it back (docs/decisions.md). A scan runs the prepared
// statement itself and lets the caller read the columns where the database client keeps them.
// Used for pages of attendances and attendances by id; every other query goes through SOCI.
//
//   scan::each_row(s, templ, params, [&](const scan::Columns& row) {
//     out.push_back(row.integer(0));
//   });
//
// Templates are expanded as sql::expand does, except that @ts(col) reads the stored instant on
// PostgreSQL; integer() turns it into microseconds since the Unix epoch on either backend.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "storage/session.hpp"
#include "storage/sql.hpp"

namespace sqlite_api {  // where SOCI's header puts SQLite's C API
struct sqlite3_stmt;
}
struct pg_result;  // libpq's PGresult

namespace attendance::storage::scan {

// The current row of a scan; valid only inside the visit it is passed to. A column read as a
// kind it doesn't hold (text as an integer, say) throws std::logic_error on PostgreSQL; SQLite
// converts as sqlite3_column_* does.
class Columns {
 public:
  std::int64_t integer(int column) const;  // integers, and instants as microseconds
  double real(int column) const;
  std::string_view text(int column) const;  // empty for NULL
  std::optional<std::string_view> optional_text(int column) const;  // nullopt for NULL
  bool is_null(int column) const;

  static Columns of_sqlite(sqlite_api::sqlite3_stmt* statement) { return Columns(statement, nullptr, nullptr); }
  // types: the PostgreSQL type of each column of result; row: set_row() moves it.
  static Columns of_postgresql(const pg_result* result, const unsigned* types) { return Columns(nullptr, result, types); }
  void set_row(int row) { pg_row_ = row; }

 private:
  Columns(sqlite_api::sqlite3_stmt* statement, const pg_result* result, const unsigned* types)
      : sqlite_(statement), pg_(result), pg_types_(types) {}
  sqlite_api::sqlite3_stmt* sqlite_;
  const pg_result* pg_;
  const unsigned* pg_types_;
  int pg_row_ = 0;
};

using Visit = std::function<void(const Columns&)>;

// One query of each_row_of_all.
struct Query {
  std::string_view templ;
  const sql::Params* params;
};
using VisitOf = std::function<void(std::size_t query, const Columns&)>;
using Finished = std::function<void(std::size_t query, std::size_t rows)>;

// Runs the statement of templ (kept prepared in the connection's statement cache) with params
// bound by position and calls visit for every row; returns the number of rows. A template names
// each placeholder once. Throws soci::soci_error on a database failure (soci::postgresql_soci_error,
// with its SQLSTATE, on PostgreSQL). visit may run other queries on s, but not templ itself: its
// statement is in use (the connection's statement cache is held, so none in use is freed).
std::size_t each_row(Session& s, std::string_view templ, const sql::Params& params, const Visit& visit);

// Runs the queries in order: visit(i, row) for every row of queries[i], then finished(i, rows).
// On PostgreSQL they go in one round trip (libpq's pipeline mode), and their results all arrive
// before the first visit. visit and finished may run other queries on s, as each_row's visit may.
// Failures as each_row's.
void each_row_of_all(Session& s, std::span<const Query> queries, const VisitOf& visit, const Finished& finished);

// The two backends' halves of each_row and Columns (sqlite_scan.cpp, postgresql_scan.cpp).
namespace detail {
std::size_t sqlite_each_row(Session& s, std::string_view templ, const sql::Params& params, const Visit& visit);
void postgresql_each_row_of_all(Session& s, std::span<const Query> queries, const VisitOf& visit,
                                const Finished& finished);
std::int64_t sqlite_integer(sqlite_api::sqlite3_stmt* statement, int column);
double sqlite_real(sqlite_api::sqlite3_stmt* statement, int column);
std::optional<std::string_view> sqlite_optional_text(sqlite_api::sqlite3_stmt* statement, int column);
bool sqlite_is_null(sqlite_api::sqlite3_stmt* statement, int column);
std::int64_t postgresql_integer(const pg_result* result, const unsigned* types, int row, int column);
double postgresql_real(const pg_result* result, const unsigned* types, int row, int column);
std::optional<std::string_view> postgresql_optional_text(const pg_result* result, const unsigned* types, int row,
                                                         int column);
bool postgresql_is_null(const pg_result* result, int row, int column);
}  // namespace detail

inline std::int64_t Columns::integer(int column) const {
  return sqlite_ ? detail::sqlite_integer(sqlite_, column) : detail::postgresql_integer(pg_, pg_types_, pg_row_, column);
}
inline double Columns::real(int column) const {
  return sqlite_ ? detail::sqlite_real(sqlite_, column) : detail::postgresql_real(pg_, pg_types_, pg_row_, column);
}
inline std::optional<std::string_view> Columns::optional_text(int column) const {
  return sqlite_ ? detail::sqlite_optional_text(sqlite_, column)
                 : detail::postgresql_optional_text(pg_, pg_types_, pg_row_, column);
}
inline std::string_view Columns::text(int column) const { return optional_text(column).value_or(std::string_view()); }
inline bool Columns::is_null(int column) const {
  return sqlite_ ? detail::sqlite_is_null(sqlite_, column) : detail::postgresql_is_null(pg_, pg_row_, column);
}

inline void each_row_of_all(Session& s, std::span<const Query> queries, const VisitOf& visit,
                            const Finished& finished) {
  if (s.backend == Backend::postgresql) return detail::postgresql_each_row_of_all(s, queries, visit, finished);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const auto rows = detail::sqlite_each_row(s, queries[i].templ, *queries[i].params,
                                              [&visit, i](const Columns& row) { visit(i, row); });
    finished(i, rows);
  }
}

inline std::size_t each_row(Session& s, std::string_view templ, const sql::Params& params, const Visit& visit) {
  if (s.backend == Backend::sqlite) return detail::sqlite_each_row(s, templ, params, visit);
  const Query query{templ, &params};
  std::size_t count = 0;
  detail::postgresql_each_row_of_all(
      s, std::span(&query, 1), [&visit](std::size_t, const Columns& row) { visit(row); },
      [&count](std::size_t, std::size_t rows) { count = rows; });
  return count;
}

}  // namespace attendance::storage::scan
