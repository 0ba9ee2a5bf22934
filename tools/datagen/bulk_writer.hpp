#pragma once
// Appends attendance rows to a migrated database as fast as the backend takes them:
// SQLite through one prepared INSERT in transactions of many rows, PostgreSQL through
// COPY FROM STDIN. Rows become durable at each commit (every batch_rows rows, and at finish).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "domain/types.hpp"

namespace attendance::datagen {

// One attendances row as stored; the database assigns the id.
struct AttendanceRow {
  domain::Id user_id = 0;
  domain::Id school_id = 0;
  domain::Timestamp timestamp{};
  domain::EventType type = domain::EventType::checkin;
  double temperature = 36.6;
  std::optional<std::string> client_id;
  domain::Timestamp inserted_at{};
};

class BulkWriter {
 public:
  virtual ~BulkWriter() = default;
  // Queues a row; commits when batch_rows rows are pending. Throws std::runtime_error on a
  // database error (the current batch is then lost, earlier batches stay committed).
  virtual void add(const AttendanceRow& row) = 0;
  // Commits what is pending.
  virtual void finish() = 0;
  std::uint64_t committed() const { return committed_; }

 protected:
  std::uint64_t committed_ = 0;
};

// For "sqlite:PATH" or "postgresql://..." (the service's URL forms). The schema must exist.
std::unique_ptr<BulkWriter> open_bulk_writer(const std::string& url, int batch_rows);

// Separate constructors, for the benchmarks that compare them with raw loops.
std::unique_ptr<BulkWriter> open_sqlite_bulk_writer(const std::string& path, int batch_rows);
std::unique_ptr<BulkWriter> open_postgresql_bulk_writer(const std::string& conninfo, int batch_rows);

}  // namespace attendance::datagen
