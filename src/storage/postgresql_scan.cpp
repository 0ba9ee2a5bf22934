// The PostgreSQL half of storage/scan.hpp: named prepared statements sent in libpq's pipeline
// mode (PQsendQueryPrepared), their results asked for in binary form and read in place.
//
// In binary form PostgreSQL sends an integer or a double as its 8 bytes and a timestamptz as its
// stored count of microseconds since 2000-01-01, instead of rendering each as text for the client
// to parse back; for a page of attendances that rendering was most of the database's work
// (docs/decisions.md).
#include <endian.h>
#include <sys/socket.h>

#include <atomic>
#include <bit>
#include <cctype>
#include <charconv>
#include <cstring>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <libpq-fe.h>

#include "storage/native_handles.hpp"
#include "storage/scan.hpp"
#include "storage/statement_cache.hpp"

namespace attendance::storage::scan::detail {

namespace {

// Type oids, as PostgreSQL's catalog fixes them (pg_type.dat).
constexpr Oid kBool = 16, kName = 19, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kFloat4 = 700, kFloat8 = 701,
              kBpchar = 1042, kVarchar = 1043, kTimestamp = 1114, kTimestamptz = 1184;
// PostgreSQL counts instants from 2000-01-01T00:00:00Z.
constexpr std::int64_t kPostgresEpochMicros = 946'684'800'000'000;

// A prepared statement kept in the connection's cache; the cache goes before the session does.
struct KeptScan : StatementCache::Entry {
  PGconn* connection = nullptr;
  std::string name;
  std::size_t parameters = 0;
  // Deallocated as SOCI deallocates its own kept statements; on a broken connection there is
  // nothing left to free, and a failure (an aborted transaction) only leaves a name never reused.
  ~KeptScan() override {
    if (PQstatus(connection) != CONNECTION_OK) return;
    PQclear(PQexec(connection, ("DEALLOCATE " + name).c_str()));
  }
};

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;


[[noreturn]] void fail_with(const char* step, const std::string& message, const char* state = nullptr) {
  throw soci::postgresql_soci_error(std::string("postgresql ") + step + ": " + message, state ? state : "     ");
}

[[noreturn]] void fail(const PGresult* result, PGconn* connection, const char* step) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  fail_with(step, result ? PQresultErrorMessage(result) : PQerrorMessage(connection), state);
}

// ":name" placeholders become "$1", "$2", ... in order of appearance; quoted text and "::" casts
// are left as they are. Returns the SQL and the number of placeholders.
std::pair<std::string, std::size_t> positional(const std::string& sql) {
  std::string out;
  out.reserve(sql.size());
  std::size_t count = 0;
  auto is_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t i = 0; i < sql.size();) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      const auto close = sql.find(c, i + 1);
      if (close == std::string::npos) throw std::logic_error("unclosed quote in: " + sql);
      out.append(sql, i, close + 1 - i);
      i = close + 1;
    } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
      out += "::";
      i += 2;
    } else if (c == ':' && i + 1 < sql.size() && is_name(sql[i + 1])) {
      out += '$' + std::to_string(++count);
      for (++i; i < sql.size() && is_name(sql[i]);) ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return {out, count};
}

std::unique_ptr<KeptScan> prepare(PGconn* connection, std::string_view templ) {
  static std::atomic<unsigned long> names{0};  // SOCI names its statements st_N; these are scan_N
  auto [sql, parameters] = positional(sql::expand(Backend::postgresql, templ, sql::Instants::as_stored));
  auto kept = std::make_unique<KeptScan>();
  kept->connection = connection;
  kept->name = "scan_" + std::to_string(++names);
  kept->parameters = parameters;
  const Result prepared(PQprepare(connection, kept->name.c_str(), sql.c_str(), 0, nullptr), &PQclear);
  if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
    kept->connection = nullptr;  // nothing was prepared: nothing to deallocate
    fail(prepared.get(), connection, "prepare");
  }
  return kept;
}

// Parameters go as text, the form PostgreSQL parses for any type the statement infers.
struct TextParameters {
  std::vector<std::string> numbers;
  std::vector<const char*> values;  // may point into numbers: never copied or moved
  TextParameters(const TextParameters&) = delete;
  TextParameters& operator=(const TextParameters&) = delete;
  explicit TextParameters(const sql::Params& params) {
    numbers.resize(params.size());
    values.resize(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& p = params[i];
      if (p.indicator == soci::i_null) continue;  // a null pointer is NULL
      if (p.kind == sql::Param::Kind::text) {
        // Text goes NUL-terminated (libpq ignores lengths of text parameters), and PostgreSQL's
        // text can't hold a NUL anyway: refuse it rather than send the text cut short.
        if (p.text.find('\0') != std::string::npos) throw std::logic_error("text parameter with a NUL byte");
        values[i] = p.text.c_str();
        continue;
      }
      char buffer[32];
      const auto end = p.kind == sql::Param::Kind::integer ? std::to_chars(buffer, buffer + sizeof buffer, p.integer).ptr
                                                           : std::to_chars(buffer, buffer + sizeof buffer, p.real).ptr;
      numbers[i].assign(buffer, end);
      values[i] = numbers[i].c_str();
    }
  }
};

// The 8, 4 or 2 big-endian bytes of a binary value.
std::int64_t big_endian_64(const char* bytes) {
  std::uint64_t value;
  std::memcpy(&value, bytes, sizeof value);
  return static_cast<std::int64_t>(be64toh(value));
}
std::int32_t big_endian_32(const char* bytes) {
  std::uint32_t value;
  std::memcpy(&value, bytes, sizeof value);
  return static_cast<std::int32_t>(be32toh(value));
}
std::int16_t big_endian_16(const char* bytes) {
  std::uint16_t value;
  std::memcpy(&value, bytes, sizeof value);
  return static_cast<std::int16_t>(be16toh(value));
}

// Leaves a connection whose pipeline can't be ended (results pending that will never be read)
// in the state libpq itself reports as broken, so the failed job's check reopens it rather than
// hand the next job a connection still in pipeline mode. Shutting the socket alone is not enough:
// libpq only notices when it next reads, so it is made to read until it sees the end.
void abandon(PGconn* connection) {
  ::shutdown(PQsocket(connection), SHUT_RDWR);
  for (int reads = 0; PQstatus(connection) == CONNECTION_OK && reads < 10'000; ++reads) {
    if (PQconsumeInput(connection) != 1) break;
  }
}

// Sends every statement with its parameters, then one sync, and receives every result: one round
// trip, and one wake-up of the database's backend, for all of them. A statement that fails aborts
// the rest (PGRES_PIPELINE_ABORTED); the first failure is thrown once the pipeline is over, so
// the connection is always left out of pipeline mode, ready for SOCI, or else broken.
std::vector<Result> run_pipeline(PGconn* connection, const std::vector<const KeptScan*>& statements,
                                 std::span<const Query> queries) {
  // Converted before the pipeline starts: a parameter refused here leaves the connection as it was.
  std::deque<TextParameters> texts;  // grows without moving what it holds
  for (const auto& query : queries) texts.emplace_back(*query.params);

  if (PQenterPipelineMode(connection) != 1) fail(nullptr, connection, "pipeline");
  // libpq may refuse a statement it can't send (too many parameters) after earlier ones are
  // queued. Those are still synced and their results read, so the connection leaves pipeline mode
  // whole, and the refusal is thrown after.
  std::size_t queued = 0;
  std::string refusal;
  for (; queued < statements.size(); ++queued) {
    const auto& text = texts[queued];
    if (PQsendQueryPrepared(connection, statements[queued]->name.c_str(), static_cast<int>(text.values.size()),
                            text.values.data(), nullptr, nullptr, /*resultFormat: binary*/ 1) != 1) {
      refusal = PQerrorMessage(connection);
      break;
    }
  }
  bool synced = PQpipelineSync(connection) == 1;
  std::vector<Result> results;
  if (synced) {
    for (std::size_t i = 0; i < queued; ++i) {
      Result first(nullptr, &PQclear);  // each statement's result is followed by a null one
      while (PGresult* next = PQgetResult(connection)) {
        if (first) PQclear(next);
        else first.reset(next);
      }
      results.push_back(std::move(first));
    }
    const Result sync(PQgetResult(connection), &PQclear);
    synced = sync && PQresultStatus(sync.get()) == PGRES_PIPELINE_SYNC;
  }
  if (!synced || PQexitPipelineMode(connection) != 1) {
    abandon(connection);
    fail(nullptr, connection, "pipeline");
  }
  if (queued < statements.size()) fail_with("pipeline", refusal);
  for (const auto& result : results) {
    if (!result || PQresultStatus(result.get()) == PGRES_FATAL_ERROR) fail(result.get(), connection, "scan");
  }
  for (const auto& result : results) {
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) fail(result.get(), connection, "scan");
  }
  return results;
}

[[noreturn]] void wrong_kind(Oid type, int column, const char* kind) {
  throw std::logic_error("scan column " + std::to_string(column) + " of type " + std::to_string(type) +
                         " read as " + kind);
}

}  // namespace

std::int64_t postgresql_integer(const pg_result* result, const unsigned* types, int row, int column) {
  const char* bytes = PQgetvalue(result, row, column);
  switch (types[column]) {
    case kInt8: return big_endian_64(bytes);
    case kInt4: return big_endian_32(bytes);
    case kInt2: return big_endian_16(bytes);
    case kBool: return bytes[0] != 0;
    case kTimestamptz:
    case kTimestamp: return big_endian_64(bytes) + kPostgresEpochMicros;
    default: wrong_kind(types[column], column, "an integer");
  }
}

double postgresql_real(const pg_result* result, const unsigned* types, int row, int column) {
  const char* bytes = PQgetvalue(result, row, column);
  switch (types[column]) {
    case kFloat8: return std::bit_cast<double>(big_endian_64(bytes));
    case kFloat4: return std::bit_cast<float>(big_endian_32(bytes));
    case kInt8:
    case kInt4:
    case kInt2: return static_cast<double>(postgresql_integer(result, types, row, column));
    default: wrong_kind(types[column], column, "a real");
  }
}

std::optional<std::string_view> postgresql_optional_text(const pg_result* result, const unsigned* types, int row,
                                                         int column) {
  switch (types[column]) {
    case kText:
    case kVarchar:
    case kBpchar:
    case kName: break;  // binary text is the text itself
    default: wrong_kind(types[column], column, "text");
  }
  if (PQgetisnull(result, row, column)) return std::nullopt;
  return std::string_view(PQgetvalue(result, row, column), static_cast<std::size_t>(PQgetlength(result, row, column)));
}

bool postgresql_is_null(const pg_result* result, int row, int column) { return PQgetisnull(result, row, column) != 0; }

void postgresql_each_row_of_all(Session& s, std::span<const Query> queries, const VisitOf& visit,
                                const Finished& finished) {
  PGconn* connection = postgresql_handle(s.sql);
  std::vector<std::string> keys;
  std::vector<const KeptScan*> statements;
  std::vector<std::unique_ptr<KeptScan>> once(queries.size());  // without a cache
  // Keeping one statement may empty a full cache; held, it frees none kept earlier in this batch.
  const StatementCache::Hold hold(s.statements);
  try {
    for (std::size_t i = 0; i < queries.size(); ++i) {
      keys.push_back(sql::detail::cache_key("postgresql_scan", queries[i].templ));
    }
    for (std::size_t i = 0; i < queries.size(); ++i) {
      const auto& kept = kept_or_made<KeptScan>(
          s.statements, keys[i], [&] { return prepare(connection, queries[i].templ); }, once[i]);
      if (kept.parameters != queries[i].params->size()) {
        throw std::logic_error("postgresql scan: parameter count differs from the statement's placeholders");
      }
      statements.push_back(&kept);
    }
    const auto results = run_pipeline(connection, statements, queries);
    std::vector<unsigned> types;
    for (std::size_t i = 0; i < results.size(); ++i) {
      const PGresult* result = results[i].get();
      types.resize(static_cast<std::size_t>(PQnfields(result)));
      for (std::size_t c = 0; c < types.size(); ++c) types[c] = PQftype(result, static_cast<int>(c));
      auto row = Columns::of_postgresql(result, types.data());
      const int rows = PQntuples(result);
      for (int r = 0; r < rows; ++r) {
        row.set_row(r);
        visit(i, row);
      }
      finished(i, static_cast<std::size_t>(rows));
    }
  } catch (...) {
    if (s.statements) {
      for (const auto& key : keys) s.statements->forget(key);  // nothing of a failed run is reused
    }
    throw;
  }
}

}  // namespace attendance::storage::scan::detail
