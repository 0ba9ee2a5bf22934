// PostgreSQL bulk load: COPY attendances FROM STDIN in text format through libpq
// (PQputCopyData in chunks of ~1 MiB). Each batch is one COPY statement, hence one transaction
// committed at the server's durability (synchronous_commit as configured).

#include <libpq-fe.h>

#include <stdexcept>
#include <string>

#include <date/date.h>
#include <fmt/format.h>

#include "storage/connection.hpp"
#include "storage/postgresql_notices.hpp"
#include "tools/datagen/bulk_writer.hpp"

namespace attendance::datagen {

namespace {

constexpr const char* kCopy =
    "COPY attendances (user_id, school_id, \"timestamp\", type, temperature, client_id, inserted_at) "
    "FROM STDIN";
constexpr std::size_t kChunkBytes = 1 << 20;

// "2026-11-28 07:58:12.123456+00": a timestamptz literal PostgreSQL reads exactly.
void append_timestamp(std::string& out, domain::Timestamp t) {
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::microseconds> tod{t - day};
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00", static_cast<int>(ymd.year()),
                 static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), tod.hours().count(),
                 tod.minutes().count(), tod.seconds().count(), tod.subseconds().count());
}

// COPY text format escapes backslash, tab, newline and carriage return.
void append_text(std::string& out, const std::string& text) {
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

class PostgresqlBulkWriter final : public BulkWriter {
 public:
  PostgresqlBulkWriter(const std::string& conninfo, int batch_rows) : batch_rows_(batch_rows) {
    conn_ = PQconnectdb(conninfo.c_str());
    storage::log_notices_of(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("cannot connect to PostgreSQL: " + message);
    }
    buffer_.reserve(kChunkBytes + 4096);
  }

  ~PostgresqlBulkWriter() override {
    if (copying_) {
      PQputCopyEnd(conn_, "datagen stopped");
      while (PGresult* r = PQgetResult(conn_)) PQclear(r);
    }
    PQfinish(conn_);
  }

  void add(const AttendanceRow& row) override {
    if (!copying_) begin();
    fmt::format_to(std::back_inserter(buffer_), "{}\t{}\t", row.user_id, row.school_id);
    append_timestamp(buffer_, row.timestamp);
    buffer_ += row.type == domain::EventType::checkin ? "\tcheckin\t" : "\tcheckout\t";
    fmt::format_to(std::back_inserter(buffer_), "{:.1f}\t", row.temperature);
    if (row.client_id) append_text(buffer_, *row.client_id);
    else buffer_ += "\\N";
    buffer_ += '\t';
    append_timestamp(buffer_, row.inserted_at);
    buffer_ += '\n';
    if (buffer_.size() >= kChunkBytes) send_buffer();
    if (++pending_ >= batch_rows_) end();
  }

  void finish() override {
    if (copying_) end();
  }

 private:
  void begin() {
    PGresult* r = PQexec(conn_, kCopy);
    const bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    if (!ok) fail("COPY");
    copying_ = true;
  }

  void send_buffer() {
    if (buffer_.empty()) return;
    if (PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) fail("PQputCopyData");
    buffer_.clear();
  }

  // Ends the COPY, which commits it.
  void end() {
    send_buffer();
    copying_ = false;
    if (PQputCopyEnd(conn_, nullptr) != 1) fail("PQputCopyEnd");
    bool ok = true;
    std::string message;
    while (PGresult* r = PQgetResult(conn_)) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        ok = false;
        message = PQresultErrorMessage(r);
      }
      PQclear(r);
    }
    if (!ok) throw std::runtime_error("COPY failed: " + message);
    committed_ += static_cast<std::uint64_t>(pending_);
    pending_ = 0;
  }

  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("PostgreSQL " + what + ": " + PQerrorMessage(conn_));
  }

  PGconn* conn_ = nullptr;
  std::string buffer_;
  int batch_rows_;
  int pending_ = 0;
  bool copying_ = false;
};

}  // namespace

std::unique_ptr<BulkWriter> open_postgresql_bulk_writer(const std::string& conninfo, int batch_rows) {
  return std::make_unique<PostgresqlBulkWriter>(conninfo, batch_rows);
}

std::unique_ptr<BulkWriter> open_bulk_writer(const std::string& url, int batch_rows) {
  const auto target = storage::target_of_url(url);  // the server's own reading of the URL
  if (target.backend == storage::Backend::sqlite) return open_sqlite_bulk_writer(target.connect_string, batch_rows);
  return open_postgresql_bulk_writer(target.connect_string, batch_rows);
}

}  // namespace attendance::datagen
