// SQLite bulk load: one prepared statement, rows bound by position, BEGIN IMMEDIATE ... COMMIT
// every batch. The connection uses the service's durability (WAL, synchronous=FULL), so a
// committed batch survives a crash like any acknowledged write of the server.

#include <sqlite3.h>

#include <string>

#include "storage/sqlite_handle.hpp"
#include "tools/datagen/bulk_writer.hpp"

namespace attendance::datagen {

namespace {

constexpr const char* kInsert =
    "INSERT INTO attendances (user_id, school_id, \"timestamp\", type, temperature, client_id, inserted_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";

long long micros_of(domain::Timestamp t) { return t.time_since_epoch().count(); }

class SqliteBulkWriter final : public BulkWriter {
 public:
  SqliteBulkWriter(const std::string& path, int batch_rows) : db_(path, SQLITE_OPEN_READWRITE), batch_rows_(batch_rows) {
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=FULL");
    db_.exec("PRAGMA foreign_keys=ON");
    db_.exec("PRAGMA cache_size=-131072");  // 128 MiB: the indexes stay in memory while loading
    if (sqlite3_prepare_v2(db_.get(), kInsert, -1, &insert_, nullptr) != SQLITE_OK) db_.fail("SQLite prepare");
  }

  ~SqliteBulkWriter() override {
    if (in_transaction_) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_finalize(insert_);
  }

  void add(const AttendanceRow& row) override {
    if (!in_transaction_) {
      db_.exec("BEGIN IMMEDIATE");
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
    if (sqlite3_step(insert_) != SQLITE_DONE) db_.fail("SQLite insert");
    sqlite3_reset(insert_);
    if (++pending_ >= batch_rows_) commit();
  }

  void finish() override {
    if (in_transaction_) commit();
  }

 private:
  void commit() {
    db_.exec("COMMIT");
    in_transaction_ = false;
    committed_ += static_cast<std::uint64_t>(pending_);
    pending_ = 0;
  }

  storage::SqliteHandle db_;
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
