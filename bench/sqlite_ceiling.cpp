// The SQLite write ceilings: a minimal loop inserting attendance rows through one prepared
// statement, ROWS_PER_TRANSACTION at a time (default 1,000), into a migrated SQLite file (the same
// table and indexes as the server's, at the server's durability: WAL, synchronous=FULL; a 128 MiB
// page cache so the indexes stay in memory, the best case). Nothing else runs: no HTTP, no rule
// checks. bench/run.sh runs it twice: 1,000 per transaction into the filled table (the ingest
// ceiling), and with the datagen's 10,000 per transaction into the same table emptied (the raw
// bulk-insert rate the datagen's direct mode is compared with).
//
//   sqlite_ceiling FILE ROWS [FIRST_USER USERS [ROWS_PER_TRANSACTION]]   prints "rows_per_second N"
// FILE must already be migrated and hold users FIRST_USER .. FIRST_USER+USERS-1 of school 1.

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: sqlite_ceiling FILE ROWS [FIRST_USER USERS [ROWS_PER_TRANSACTION]]\n");
    return 2;
  }
  const long long rows = std::atoll(argv[2]);
  const long long first_user = argc > 3 ? std::atoll(argv[3]) : 1;
  const long long users = argc > 4 ? std::atoll(argv[4]) : 1000;
  const long long per_transaction = argc > 5 ? std::atoll(argv[5]) : 1000;
  if (rows <= 0 || users <= 0 || per_transaction <= 0) {
    std::fprintf(stderr, "sqlite_ceiling: ROWS, USERS and ROWS_PER_TRANSACTION must be positive\n");
    return 2;
  }
  sqlite3* db = nullptr;
  check(sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, nullptr), db, "open");
  check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                     "PRAGMA cache_size=-131072", nullptr, nullptr,
                     nullptr),
        db, "pragma");
  sqlite3_stmt* insert = nullptr;
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO attendances (user_id, school_id, \"timestamp\", type, temperature, client_id, "
                           "inserted_at) VALUES (?, 1, ?, ?, 36.6, ?, ?)",
                           -1, &insert, nullptr),
        db, "prepare");
  // Timestamps two years back, one second apart per user, so they never collide with other data.
  const long long base = (std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::system_clock::now().time_since_epoch()) -
                          std::chrono::hours(24 * 730))
                             .count();
  const auto start = std::chrono::steady_clock::now();
  for (long long i = 0; i < rows; ++i) {
    if (i % per_transaction == 0) check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
    const long long round = i / users;
    const std::string client_id = "ceiling-" + std::to_string(base) + "-" + std::to_string(i);
    sqlite3_bind_int64(insert, 1, first_user + i % users);
    sqlite3_bind_int64(insert, 2, base + round * 1000000);
    sqlite3_bind_text(insert, 3, round % 2 == 0 ? "checkin" : "checkout", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, client_id.c_str(), static_cast<int>(client_id.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert, 5, base + round * 1000000);
    check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
    if (i % per_transaction == per_transaction - 1 || i == rows - 1) {
      check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("rows_per_second %.0f\n", static_cast<double>(rows) / seconds);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return 0;
}
