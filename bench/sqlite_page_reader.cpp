#include "sqlite_page_reader.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string_view>

#include "domain/time.hpp"
#include "http/json_text.hpp"
#include "storage/sqlite_handle.hpp"

namespace attendance::bench {

namespace {

constexpr int kShown = 100;

[[noreturn]] void fail(sqlite3* db, const char* what) {
  std::fprintf(stderr, "beast_ceiling --sqlite: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
  std::exit(1);
}

void put_integer(std::string& out, std::int64_t value) { http::append_json(out, value); }

// An instant stored as microseconds since 1970, as the service writes it.
void put_instant(std::string& out, std::int64_t micros) {
  out += '"';
  out += domain::timestamp_text(domain::Timestamp{std::chrono::microseconds{micros}}).view();
  out += '"';
}

std::string_view column_text(sqlite3_stmt* statement, int column) {
  const auto* bytes = sqlite3_column_text(statement, column);
  return {reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(sqlite3_column_bytes(statement, column))};
}

// This thread's connection, its prepared page query and the schools' fever thresholds, read once
// when the connection opens: the bench changes no school while it reads. The connection waits out
// another's lock as the service's do (storage::SqliteHandle): the first readers of a file its
// writer left with a WAL rebuild the WAL's index, and a thread opening beside that rebuild failed
// at once with "database is locked" in a full run before.
struct Reader {
  storage::SqliteHandle db;
  sqlite3_stmt* page = nullptr;
  std::map<std::int64_t, double> thresholds;

  explicit Reader(const std::string& path) try : db(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX) {
    sqlite3_stmt* schools = nullptr;
    if (sqlite3_prepare_v2(db.get(), "SELECT id, fever_threshold FROM schools", -1, &schools, nullptr) != SQLITE_OK) {
      fail(db.get(), "prepare schools");
    }
    while (sqlite3_step(schools) == SQLITE_ROW) {
      thresholds[sqlite3_column_int64(schools, 0)] = sqlite3_column_double(schools, 1);
    }
    sqlite3_finalize(schools);
    constexpr const char* kPage =
        "SELECT id, user_id, school_id, \"timestamp\", type, temperature, image_hash, client_id, inserted_at"
        " FROM attendances WHERE id > ? ORDER BY id LIMIT 101";
    if (sqlite3_prepare_v3(db.get(), kPage, -1, SQLITE_PREPARE_PERSISTENT, &page, nullptr) != SQLITE_OK) {
      fail(db.get(), "prepare page");
    }
  } catch (const storage::SqliteError& error) {
    std::fprintf(stderr, "beast_ceiling --sqlite: %s\n", error.what());
    std::exit(1);
  }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  ~Reader() { sqlite3_finalize(page); }  // before the handle closes
};

void put_row(std::string& out, sqlite3_stmt* row, const std::map<std::int64_t, double>& thresholds) {
  const auto id = sqlite3_column_int64(row, 0);
  const auto school_id = sqlite3_column_int64(row, 2);
  out += "{\"id\":";
  put_integer(out, id);
  out += ",\"user_id\":";
  put_integer(out, sqlite3_column_int64(row, 1));
  out += ",\"school_id\":";
  put_integer(out, school_id);
  out += ",\"timestamp\":";
  put_instant(out, sqlite3_column_int64(row, 3));
  out += ",\"type\":\"";
  out += column_text(row, 4);
  out += "\",\"temperature\":";
  const double temperature = sqlite3_column_double(row, 5);
  http::append_json(out, temperature);
  const auto threshold = thresholds.find(school_id);
  out += temperature >= (threshold == thresholds.end() ? 38.0 : threshold->second) ? ",\"fever\":true" : ",\"fever\":false";
  out += ",\"image_url\":";
  if (sqlite3_column_type(row, 6) == SQLITE_NULL) {
    out += "null";
  } else {
    out += "\"/api/attendances/";
    put_integer(out, id);
    out += "/image\"";
  }
  out += ",\"client_id\":";
  if (sqlite3_column_type(row, 7) == SQLITE_NULL) out += "null";
  else http::append_json(out, column_text(row, 7));
  out += ",\"inserted_at\":";
  put_instant(out, sqlite3_column_int64(row, 8));
  out += '}';
}

}  // namespace

std::string sqlite_page_body(const std::string& path, std::int64_t after) {
  thread_local Reader reader(path);
  sqlite3_stmt* page = reader.page;
  sqlite3_bind_int64(page, 1, after);
  std::string body;
  body.reserve(256 * kShown);
  body += "{\"data\":[";
  int shown = 0;
  std::int64_t last_shown = 0;
  bool more = false;
  for (int rc; (rc = sqlite3_step(page)) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) fail(reader.db.get(), "step");
    if (shown == kShown) {
      more = true;
      break;
    }
    if (shown++ > 0) body += ',';
    last_shown = sqlite3_column_int64(page, 0);
    put_row(body, page, reader.thresholds);
  }
  sqlite3_reset(page);
  body += "],\"meta\":{\"next_after\":";
  if (more) put_integer(body, last_shown);
  else body += "null";
  body += "}}";
  return body;
}

}  // namespace attendance::bench
