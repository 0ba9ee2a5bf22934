#include "storage/sql.hpp"

#include <algorithm>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <date/date.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

namespace attendance::storage::sql {

namespace {

// One helper of a template: its name and what it becomes per backend, given its argument.
struct Helper {
  std::string_view name;
  std::string (*sqlite)(std::string_view arg);
  std::string (*postgresql)(std::string_view arg);
};

std::string bare(std::string_view arg) { return std::string(arg); }

// EXTRACT(EPOCH ...) is numeric in PostgreSQL 14+, so the product is exact before the cast.
std::string pg_read_instant(std::string_view col) {
  return "CAST(EXTRACT(EPOCH FROM " + std::string(col) + ") * 1000000 AS bigint)";
}
// Integers below 2^53 multiply an interval exactly; instants until the year 2255 are below it.
std::string pg_write_instant(std::string_view param) {
  return "(TIMESTAMPTZ 'epoch' + CAST(" + std::string(param) + " AS bigint) * INTERVAL '1 microsecond')";
}
std::string pg_read_date(std::string_view col) { return "to_char(" + std::string(col) + ", 'YYYY-MM-DD')"; }
std::string pg_write_date(std::string_view param) { return "CAST(" + std::string(param) + " AS date)"; }
std::string nothing(std::string_view) { return {}; }
std::string pg_lock_rows_of(std::string_view alias) { return " FOR UPDATE OF " + std::string(alias); }

// Many keys in one bound parameter, so a query for one key or for a hundred is the same statement
// (kept prepared). The parameter is a JSON array of integers: "[1,2,3]".
std::string sqlite_json_ids(std::string_view param) { return "SELECT value FROM json_each(" + std::string(param) + ")"; }
std::string pg_json_ids(std::string_view param) {
  return "SELECT CAST(jsonb_array_elements_text(CAST(" + std::string(param) + " AS jsonb)) AS bigint)";
}

// Rows from one bound parameter holding a JSON array of arrays, "[[1,\"a\"],[2,null]]":
// @json_table(:param, name type, ...) selects each inner array's items as the named columns
// (type: what PostgreSQL casts the item to, e.g. bigint, text, double precision; SQLite keeps the
// JSON value's own type); the rest of the SELECT follows it.
struct JsonColumn {
  std::string name, type;
};
std::pair<std::string, std::vector<JsonColumn>> json_table_arguments(std::string_view arg) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t comma; (comma = arg.find(',', start)) != std::string_view::npos; start = comma + 1) {
    parts.emplace_back(arg.substr(start, comma - start));
  }
  parts.emplace_back(arg.substr(start));
  auto trim = [](std::string text) {
    auto first = text.find_first_not_of(' ');
    auto last = text.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
  };
  std::vector<JsonColumn> columns;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    auto part = trim(parts[i]);
    auto space = part.find(' ');
    if (space == std::string::npos) throw std::logic_error("@json_table column without a type: " + part);
    columns.push_back({part.substr(0, space), trim(part.substr(space + 1))});
  }
  if (columns.empty()) throw std::logic_error("@json_table without columns");
  return {trim(parts[0]), columns};
}
std::string sqlite_json_table(std::string_view arg) {
  auto [param, columns] = json_table_arguments(arg);
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ", ";
    out += "json_extract(value, '$[" + std::to_string(i) + "]') AS " + columns[i].name;
  }
  return out + " FROM json_each(" + param + ")";
}
std::string pg_json_table(std::string_view arg) {
  auto [param, columns] = json_table_arguments(arg);
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ", ";
    out += "CAST(json_row ->> " + std::to_string(i) + " AS " + columns[i].type + ") AS " + columns[i].name;
  }
  return out + " FROM jsonb_array_elements(CAST(" + param + " AS jsonb)) AS json_row";
}

constexpr Helper kHelpers[] = {
    {"@ts(", bare, pg_read_instant},
    {"@at(", bare, pg_write_instant},
    {"@date(", bare, pg_read_date},
    {"@day(", bare, pg_write_date},
    {"@for_update_of(", nothing, pg_lock_rows_of},
    {"@json_ids(", sqlite_json_ids, pg_json_ids},
    {"@json_table(", sqlite_json_table, pg_json_table},
};
constexpr std::string_view kForUpdate = "@for_update";

}  // namespace

std::string expand(Backend backend, std::string_view templ, Instants instants) {
  std::string out;
  out.reserve(templ.size() + 64);
  std::size_t i = 0;
  while (i < templ.size()) {
    if (templ[i] != '@') {
      out += templ[i++];
      continue;
    }
    std::string_view rest = templ.substr(i);
    bool matched = false;
    for (const auto& helper : kHelpers) {
      if (!rest.starts_with(helper.name)) continue;
      auto close = rest.find(')');
      if (close == std::string_view::npos) throw std::logic_error("unclosed SQL helper");
      auto arg = rest.substr(helper.name.size(), close - helper.name.size());
      if (backend == Backend::sqlite) out += helper.sqlite(arg);
      else if (instants == Instants::as_stored && helper.name == "@ts(") out += bare(arg);
      else out += helper.postgresql(arg);
      i += close + 1;
      matched = true;
      break;
    }
    if (!matched && rest.starts_with(kForUpdate)) {
      if (backend == Backend::postgresql) out += " FOR UPDATE";
      i += kForUpdate.size();
      matched = true;
    }
    if (!matched) throw std::logic_error("unknown SQL helper in: " + std::string(templ));
  }
  return out;
}

Param json_ids(const std::vector<std::int64_t>& ids) {
  std::string text = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) text += ',';
    text += std::to_string(ids[i]);
  }
  text += ']';
  return Param::of(std::move(text));
}

Param Param::of(std::optional<long long> value) {
  Param p = of(value.value_or(0));
  if (!value) p.indicator = soci::i_null;
  return p;
}

Param Param::of(const std::optional<std::string>& value) {
  Param p = of(value.value_or(std::string()));
  if (!value) p.indicator = soci::i_null;
  return p;
}

namespace detail {

void prepare_bound(soci::statement& st, const std::string& expanded_sql, Params& params,
                   const std::function<void(soci::statement&)>& bind_intos, bool keep) {
  if (bind_intos) bind_intos(st);
  for (auto& p : params) {
    switch (p.kind) {
      case Param::Kind::integer: st.exchange(soci::use(p.integer, p.indicator)); break;
      case Param::Kind::real: st.exchange(soci::use(p.real, p.indicator)); break;
      case Param::Kind::text: st.exchange(soci::use(p.text, p.indicator)); break;
    }
  }
  st.alloc();
  // A one-time query is one round trip on PostgreSQL (PQexecParams); a kept one is prepared once
  // (PQprepare) and then one round trip per run (PQexecPrepared), deallocated with the statement.
  st.prepare(expanded_sql, keep ? soci::details::st_repeatable_query : soci::details::st_one_time_query);
  st.define_and_bind();
}

bool binds_same_kinds(const Params& bound, const Params& values) {
  return std::equal(bound.begin(), bound.end(), values.begin(), values.end(),
                    [](const Param& a, const Param& b) { return a.kind == b.kind; });
}

// No vptr check on the downcast: SOCI's shared libraries don't export the backend's type info,
// which UBSan's check would need to link. The statement is SQLite's, since the session is.
__attribute__((no_sanitize("vptr"))) void finish_statement(Session& s, soci::statement& st) noexcept {
  if (s.backend != Backend::sqlite) return;  // PostgreSQL results are read whole: nothing stays open
  auto* backend = static_cast<soci::sqlite3_statement_backend*>(st.get_backend());
  if (backend && backend->stmt_) sqlite3_reset(backend->stmt_);
}

std::string cache_key(const char* row_type, std::string_view templ) {
  std::string key(row_type);
  key += '\n';
  key += templ;
  return key;
}

}  // namespace detail

long long execute(Session& s, std::string_view templ, Params params) {
  return detail::with_statement<detail::NoRow>(s, templ, std::move(params), [](soci::statement& st, detail::NoRow&) {
    st.execute(true);
    return st.get_affected_rows();
  });
}

void control(Session& s, const char* statement) {
  if (s.backend == Backend::sqlite) {
    execute(s, statement, {});
  } else {
    s.sql << statement;
  }
}

long long fetch_integer(Session& s, std::string_view templ, Params params) {
  auto value = fetch_one<IntegerRow>(s, templ, std::move(params));
  if (!value) throw std::runtime_error("query returned no row: " + std::string(templ));
  return *value;
}

std::string fetch_text(Session& s, std::string_view templ, Params params) {
  auto value = fetch_one<TextRow>(s, templ, std::move(params));
  if (!value) throw std::runtime_error("query returned no row: " + std::string(templ));
  return *value;
}

domain::Timestamp timestamp_of_micros(long long micros) {
  return domain::Timestamp(std::chrono::microseconds(micros));
}

long long micros_of(domain::Timestamp instant) { return instant.time_since_epoch().count(); }

domain::Timestamp now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string text_of_date(domain::LocalDate day) { return date::format("%F", day); }

domain::LocalDate date_of_text(const std::string& text) {
  std::istringstream in(text);
  domain::LocalDate day{};
  in >> date::parse("%F", day);
  if (in.fail()) throw std::runtime_error("stored date is not YYYY-MM-DD: " + text);
  return day;
}

}  // namespace attendance::storage::sql
