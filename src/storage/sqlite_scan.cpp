// The SQLite half of storage/scan.hpp: a kept sqlite3_stmt stepped row by row.
#include "storage/scan.hpp"

#include <memory>
#include <stdexcept>
#include <string>

#include "storage/native_handles.hpp"
#include "storage/statement_cache.hpp"

namespace attendance::storage::scan::detail {

using namespace sqlite_api;  // NOLINT(google-build-using-namespace): the C API, as SOCI declares it

namespace {

// A prepared statement kept in the connection's cache; the cache goes before the session does.
struct KeptScan : StatementCache::Entry {
  sqlite3_stmt* statement = nullptr;
  ~KeptScan() override { sqlite3_finalize(statement); }
};

[[noreturn]] void fail(sqlite3* db, const char* step) {
  throw soci::soci_error(std::string("sqlite3 ") + step + ": " + sqlite3_errmsg(db));
}

sqlite3_stmt* prepare(sqlite3* db, std::string_view templ) {
  const auto expanded = sql::expand(Backend::sqlite, templ);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v3(db, expanded.c_str(), static_cast<int>(expanded.size()) + 1, SQLITE_PREPARE_PERSISTENT,
                         &statement, nullptr) != SQLITE_OK) {
    fail(db, "prepare");
  }
  return statement;
}

void bind(sqlite3* db, sqlite3_stmt* statement, const sql::Params& params) {
  // Parameters are bound by position, so a template must name each placeholder once.
  if (sqlite3_bind_parameter_count(statement) != static_cast<int>(params.size())) {
    throw std::logic_error("sqlite scan: parameter count differs from the statement's placeholders");
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto& p = params[i];
    const int position = static_cast<int>(i) + 1;
    int rc = SQLITE_OK;
    if (p.indicator == soci::i_null) rc = sqlite3_bind_null(statement, position);
    else if (p.kind == sql::Param::Kind::integer) rc = sqlite3_bind_int64(statement, position, p.integer);
    else if (p.kind == sql::Param::Kind::real) rc = sqlite3_bind_double(statement, position, p.real);
    else rc = sqlite3_bind_text(statement, position, p.text.data(), static_cast<int>(p.text.size()), SQLITE_STATIC);
    if (rc != SQLITE_OK) fail(db, "bind");
  }
}

// Resets the statement when the scan ends, however it ends: a statement left mid-scan would keep
// its read snapshot open, and its bound text points into params.
struct ResetOnExit {
  sqlite3_stmt* statement;
  ~ResetOnExit() {
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
  }
};

}  // namespace

std::int64_t sqlite_integer(sqlite3_stmt* statement, int column) { return sqlite3_column_int64(statement, column); }
double sqlite_real(sqlite3_stmt* statement, int column) { return sqlite3_column_double(statement, column); }
bool sqlite_is_null(sqlite3_stmt* statement, int column) { return sqlite3_column_type(statement, column) == SQLITE_NULL; }
std::optional<std::string_view> sqlite_optional_text(sqlite3_stmt* statement, int column) {
  // One call tells NULL (a null pointer) from text, empty text included (SQLite gives "" for it).
  const auto* bytes = sqlite3_column_text(statement, column);
  if (!bytes) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(bytes),
                          static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
}

std::size_t sqlite_each_row(Session& s, std::string_view templ, const sql::Params& params, const Visit& visit) {
  sqlite3* db = sqlite_handle(s.sql);
  auto make = [db, templ] {
    auto fresh = std::make_unique<KeptScan>();
    fresh->statement = prepare(db, templ);
    return fresh;
  };
  auto scan = [&](KeptScan& kept) {
    ResetOnExit reset{kept.statement};
    bind(db, kept.statement, params);
    const auto row = Columns::of_sqlite(kept.statement);
    std::size_t count = 0;
    for (;;) {
      const int rc = sqlite3_step(kept.statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(db, "step");
      visit(row);
      ++count;
    }
    return count;
  };
  return with_kept_entry<KeptScan>(s.statements, sql::detail::cache_key("sqlite_scan", templ), make, scan);
}

}  // namespace attendance::storage::scan::detail
