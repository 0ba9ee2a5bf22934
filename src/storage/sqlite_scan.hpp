#pragma once
// Scans of many rows read straight from SQLite's C API, on the SOCI session's own connection.
//
// SOCI hands each column of each row over through its into() elements: a virtual call, a type
// check and a copy per column, which was 13 % of the CPU of serving a page of 100 attendances
// (docs/decisions.md). A scan here steps the prepared statement itself and lets the caller read the
// columns where SQLite keeps them. Only for SQLite sessions; every other query goes through SOCI.
//
//   sqlite_scan::each_row(s, templ, params, [&](const sqlite_scan::Columns& row) {
//     out.push_back(row.integer(0));
//   });

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "storage/session.hpp"
#include "storage/sql.hpp"

namespace sqlite_api {  // where SOCI's header puts SQLite's C API
struct sqlite3_stmt;
}

namespace attendance::storage::sqlite_scan {

// The current row of a scan; valid only inside the visit it is passed to.
class Columns {
 public:
  explicit Columns(sqlite_api::sqlite3_stmt* statement) : statement_(statement) {}
  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string_view text(int column) const;  // empty for NULL
  std::optional<std::string_view> optional_text(int column) const;  // nullopt for NULL
  bool is_null(int column) const;

 private:
  sqlite_api::sqlite3_stmt* statement_;
};

// Runs the statement of templ (expanded as sql::expand does, kept prepared in the connection's
// statement cache) with params bound by position and calls visit for every row; returns the number
// of rows. Throws soci::soci_error on a database failure. visit must not run queries on s.
std::size_t each_row(Session& s, std::string_view templ, const sql::Params& params,
                     const std::function<void(const Columns&)>& visit);

}  // namespace attendance::storage::sqlite_scan
