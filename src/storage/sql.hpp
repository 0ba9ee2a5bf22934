#pragma once
// The small SQL toolkit every repository uses: backend-neutral statement templates, bound
// parameters, and typed row fetching. Nothing here ever puts input into SQL text: templates are
// constants of the code, and every value travels as a bound parameter.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

#include "domain/types.hpp"
#include "storage/session.hpp"

namespace attendance::storage::sql {

// Expands the backend helpers of a statement template:
//   @ts(col)   an instant column read as microseconds since the Unix epoch (bigint)
//   @at(:p)    a microseconds parameter written as an instant
//   @date(col) a date column read as "YYYY-MM-DD" text
//   @day(:p)   a "YYYY-MM-DD" parameter written as a date
//   @for_update  " FOR UPDATE" on PostgreSQL, nothing on SQLite
// SQLite keeps instants as INTEGER microseconds and dates as TEXT, so its expansions are the bare
// column or parameter; PostgreSQL keeps timestamptz and date and converts exactly.
std::string expand(Backend backend, std::string_view templ);

// One bound value. Values are bound by position, in the order the placeholders appear.
struct Param {
  enum class Kind { integer, real, text } kind = Kind::integer;
  long long integer = 0;
  double real = 0.0;
  std::string text;
  soci::indicator indicator = soci::i_ok;

  static Param of(long long value) { return Param{Kind::integer, value, 0.0, {}, soci::i_ok}; }
  static Param of(double value) { return Param{Kind::real, 0, value, {}, soci::i_ok}; }
  static Param of(std::string value) { return Param{Kind::text, 0, 0.0, std::move(value), soci::i_ok}; }
  static Param of(std::optional<long long> value);
  static Param of(const std::optional<std::string>& value);
};
using Params = std::vector<Param>;

// Binds its target variables as into() elements of a statement, then turns them into a value.
// Row types have `void bind(soci::statement&)` and `Value value() const`.
template <class Row>
using RowValue = decltype(std::declval<const Row&>().value());

// Prepares a statement over expanded sql with row's intos and params' uses.
// params must stay alive and unmoved until the statement is done.
soci::statement prepare(Session& s, const std::string& expanded_sql, Params& params,
                        const std::function<void(soci::statement&)>& bind_intos);

// Every row of the query, in the order the database returns them.
template <class Row>
std::vector<RowValue<Row>> fetch_all(Session& s, std::string_view templ, Params params) {
  Row row;
  auto st = prepare(s, expand(s.backend, templ), params, [&row](soci::statement& target) { row.bind(target); });
  std::vector<RowValue<Row>> out;
  st.execute(false);
  while (st.fetch()) out.push_back(row.value());
  return out;
}

// The first row of the query, if any.
template <class Row>
std::optional<RowValue<Row>> fetch_one(Session& s, std::string_view templ, Params params) {
  Row row;
  auto st = prepare(s, expand(s.backend, templ), params, [&row](soci::statement& target) { row.bind(target); });
  st.execute(false);
  if (!st.fetch()) return std::nullopt;
  return row.value();
}

// Runs a statement without result rows; returns the number of rows it changed.
long long execute(Session& s, std::string_view templ, Params params);

// A single integer (count(*), RETURNING id, ...); throws when the query yields no row.
long long fetch_integer(Session& s, std::string_view templ, Params params);

// Reads one integer column.
struct IntegerRow {
  long long v = 0;
  void bind(soci::statement& st) { st.exchange(soci::into(v)); }
  long long value() const { return v; }
};

// Reads one text column.
struct TextRow {
  std::string v;
  void bind(soci::statement& st) { st.exchange(soci::into(v)); }
  std::string value() const { return v; }
};

// A single text value; throws when the query yields no row.
std::string fetch_text(Session& s, std::string_view templ, Params params);

// ---- value conversions shared by the repositories ----
domain::Timestamp timestamp_of_micros(long long micros);
long long micros_of(domain::Timestamp instant);
domain::Timestamp now();
std::string text_of_date(domain::LocalDate day);
// Throws std::runtime_error on text that is not YYYY-MM-DD (a corrupt row, not user input).
domain::LocalDate date_of_text(const std::string& text);

}  // namespace attendance::storage::sql
