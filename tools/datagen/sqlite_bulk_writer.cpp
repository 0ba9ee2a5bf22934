// SQLite bulk load: one prepared statement, rows bound by position, BEGIN IMMEDIATE ... COMMIT
// every batch. The connection uses the service's durability (WAL, synchronous=FULL), so a
// committed batch survives a crash like any acknowledged write of the server.

#include <sqlite3.h>

#include <stdexcept>
#include <string>

#include "tools/datagen/bulk_writer.hpp"

namespace attendance::datagen {

namespace {

constexpr const char* kInsert =
    "INSERT INTO attendances (user_id, school_id, \"timestamp\", type, temperature, client_id, inserted_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";

long long micros_of(domain::Timestamp t) { return t.time_since_epoch().count(); }

class SqliteBulkWriter final : public BulkWriter {
 public:
  SqliteBulkWriter(const std::string& path, int batch_rows) : batch_rows_(batch_rows) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + path + ": " + message);
    }
    sqlite3_busy_timeout(db_, 10000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA foreign_keys=ON");
    exec("PRAGMA cache_size=-131072");  // 128 MiB: the indexes stay in memory while loading
    if (sqlite3_prepare_v2(db_, kInsert, -1, &insert_, nullptr) != SQLITE_OK) fail("prepare");
  }

  ~SqliteBulkWriter() override {
    if (in_transaction_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }

  void add(const AttendanceRow& row) override {
    if (!in_transaction_) {
      exec("BEGIN IMMEDIATE");
      in_transaction_ = true;
    }
    sqlite3_bind_int64(insert_, 1, row.user_id);
    sqlite3_bind_int64(insert_, 2, row.school_id);
    sqlite3_bind_int64(insert_, 3, micros_of(row.timestamp));
    sqlite3_bind_text(insert_, 4, row.type == domain::EventType::checkin ? "checkin" : "checkout", -1, SQLITE_STATIC);
    sqlite3_bind_double(insert_, 5, row.temperature);
    if (row.client_id) {
      sqlite3_bind_text(insert_, 6, row.client_id->data(), static_cast<int>(row.client_id->size()), SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_null(insert_, 6);
    }
    sqlite3_bind_int64(insert_, 7, micros_of(row.inserted_at));
    if (sqlite3_step(insert_) != SQLITE_DONE) fail("insert");
    sqlite3_reset(insert_);
    if (++pending_ >= batch_rows_) commit();
  }

  void finish() override {
    if (in_transaction_) commit();
  }

 private:
  void commit() {
    exec("COMMIT");
    in_transaction_ = false;
    committed_ += static_cast<std::uint64_t>(pending_);
    pending_ = 0;
  }

  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }

  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("sqlite " + what + ": " + sqlite3_errmsg(db_));
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  int batch_rows_;
  int pending_ = 0;
  bool in_transaction_ = false;
};

}  // namespace

std::unique_ptr<BulkWriter> open_sqlite_bulk_writer(const std::string& path, int batch_rows) {
  return std::make_unique<SqliteBulkWriter>(path, batch_rows);
}

}  // namespace attendance::datagen
