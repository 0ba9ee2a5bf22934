#pragma once
// The small SQL toolkit every repository uses: backend-neutral statement templates, bound
// parameters, and typed row fetching. Nothing here ever puts input into SQL text: templates are
// constants of the code, and every value travels as a bound parameter.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include <soci/soci.h>

#include "domain/types.hpp"
#include "storage/session.hpp"
#include "storage/statement_cache.hpp"

namespace attendance::storage::sql {

// Expands the backend helpers of a statement template:
//   @ts(col)   an instant column read as microseconds since the Unix epoch (bigint)
//   @at(:p)    a microseconds parameter written as an instant
//   @date(col) a date column read as "YYYY-MM-DD" text
//   @day(:p)   a "YYYY-MM-DD" parameter written as a date
//   @for_update  " FOR UPDATE" on PostgreSQL, nothing on SQLite
//   @for_update_of(t)  " FOR UPDATE OF t" (a join locking only t's rows) on PostgreSQL, nothing on SQLite
//   @json_ids(:p)  "SELECT" of the integers in a JSON array parameter (json_ids): `id IN (@json_ids(:ids))`
//   @json_table(:p, name type, ...)  "SELECT" of the rows in a JSON array of arrays parameter, each
//              item as the named column (type: PostgreSQL's cast, e.g. bigint, text, double
//              precision); the statement goes on after it
// SQLite keeps instants as INTEGER microseconds and dates as TEXT, so its expansions are the bare
// column or parameter; PostgreSQL keeps timestamptz and date and converts exactly.
// How @ts(col) reads on PostgreSQL: as bigint microseconds, for SOCI, which receives results as
// text; or as the stored timestamptz, for scans (scan.hpp) that receive it in binary form, where
// it already is an integer count of microseconds. SQLite reads the bare column either way.
enum class Instants { as_micros, as_stored };
std::string expand(Backend backend, std::string_view templ, Instants instants = Instants::as_micros);

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

// The parameter of @json_ids: "[1,2,3]".
Param json_ids(const std::vector<std::int64_t>& ids);

// Binds its target variables as into() elements of a statement, then turns them into a value.
// Row types have `void bind(soci::statement&)` and `Value value() const`.
template <class Row>
using RowValue = decltype(std::declval<const Row&>().value());

namespace detail {

// A statement with the variables it is bound to: its result columns bind into `row`, its
// parameters to `params`, by address, so a kept statement runs again with new values copied in.
template <class Row>
struct BoundStatement : StatementCache::Entry {
  Row row;
  Params params;
  soci::statement st;
  explicit BoundStatement(soci::session& session) : st(session) {}
};

// For statements without result columns.
struct NoRow {
  void bind(soci::statement&) {}
};

// Binds bind_intos' columns and params' values to st, then prepares expanded_sql; `keep` makes it
// a statement to run again (on PostgreSQL a named server-side prepared statement).
void prepare_bound(soci::statement& st, const std::string& expanded_sql, Params& params,
                   const std::function<void(soci::statement&)>& bind_intos, bool keep);
// True when the kept statement's parameters can take these values (same count and kinds).
bool binds_same_kinds(const Params& bound, const Params& values);
// Ends a SQLite statement's pass over its rows (no-op on PostgreSQL): a kept statement stopped
// after its first row would otherwise keep its read snapshot open until its next use.
void finish_statement(Session& s, soci::statement& st) noexcept;
std::string cache_key(const char* row_type, std::string_view templ);

// Runs body(statement, row) on the statement of templ with params bound: the connection's kept
// statement when it has a cache, else a one-time statement. A statement that fails is dropped
// from the cache, so nothing of a failed execution is reused.
template <class Row, class Body>
auto with_statement(Session& s, std::string_view templ, Params params, Body body) {
  if (!s.statements) {
    BoundStatement<Row> once(s.sql);
    once.params = std::move(params);
    prepare_bound(once.st, expand(s.backend, templ), once.params, [&once](soci::statement& st) { once.row.bind(st); },
                  false);
    return body(once.st, once.row);
  }
  // A connection has one backend, so the template names its expanded SQL: expansion happens only
  // when a statement is prepared, not on every run.
  const auto key = cache_key(typeid(Row).name(), templ);
  const StatementCache::Hold hold(s.statements);  // body may run other queries meanwhile
  // The key names Row, so an entry found under it is a BoundStatement<Row>.
  auto* kept = static_cast<BoundStatement<Row>*>(s.statements->find(key));
  if (kept && binds_same_kinds(kept->params, params)) {
    for (std::size_t i = 0; i < params.size(); ++i) kept->params[i] = std::move(params[i]);
  } else {
    auto fresh = std::make_unique<BoundStatement<Row>>(s.sql);
    fresh->params = std::move(params);
    auto* row = &fresh->row;
    prepare_bound(fresh->st, expand(s.backend, templ), fresh->params, [row](soci::statement& st) { row->bind(st); },
                  true);
    kept = static_cast<BoundStatement<Row>*>(s.statements->keep(key, std::move(fresh)));
  }
  try {
    auto result = body(kept->st, kept->row);
    finish_statement(s, kept->st);
    return result;
  } catch (...) {
    s.statements->forget(key);
    throw;
  }
}

}  // namespace detail

// Calls visit(const Row&) for every row of the query, in the order the database returns them; the
// row's variables are overwritten by the next. Returns the number of rows. visit may run other
// queries on this session, but not this one: its statement is in use.
template <class Row, class Visit>
std::size_t fetch_each(Session& s, std::string_view templ, Params params, Visit&& visit) {
  return detail::with_statement<Row>(s, templ, std::move(params), [&visit](soci::statement& st, Row& row) {
    std::size_t count = 0;
    st.execute(false);
    while (st.fetch()) {
      visit(static_cast<const Row&>(row));
      ++count;
    }
    return count;
  });
}

// Every row of the query, in the order the database returns them.
template <class Row>
std::vector<RowValue<Row>> fetch_all(Session& s, std::string_view templ, Params params) {
  std::vector<RowValue<Row>> out;
  fetch_each<Row>(s, templ, std::move(params), [&out](const Row& row) { out.push_back(row.value()); });
  return out;
}

// The first row of the query, if any.
template <class Row>
std::optional<RowValue<Row>> fetch_one(Session& s, std::string_view templ, Params params) {
  return detail::with_statement<Row>(s, templ, std::move(params), [](soci::statement& st, Row& row) {
    std::optional<RowValue<Row>> out;
    st.execute(false);
    if (st.fetch()) out = row.value();
    return out;
  });
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

// Runs a transaction control statement (BEGIN, SAVEPOINT g, COMMIT, ...). SQLite keeps it
// prepared like any statement; PostgreSQL sends it as a simple query, one round trip either way.
void control(Session& s, const char* statement);

// ---- value conversions shared by the repositories ----
domain::Timestamp timestamp_of_micros(long long micros);
long long micros_of(domain::Timestamp instant);
domain::Timestamp now();
std::string text_of_date(domain::LocalDate day);
// Throws std::runtime_error on text that is not YYYY-MM-DD (a corrupt row, not user input).
domain::LocalDate date_of_text(const std::string& text);

}  // namespace attendance::storage::sql
