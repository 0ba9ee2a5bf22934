#pragma once
// Direct mode: writes a generated run straight into a database, bypassing the API.
//
// Schools and users go through the service's own repositories (so they are stored exactly as the
// server stores them); attendances through a BulkWriter. The database is opened once with
// storage::Database first, which applies the migrations. Rows are written in (school, day, user)
// order, a user's events oldest first; memory stays bounded by one user-day.

#include <cstdint>
#include <optional>
#include <string>

#include "tools/datagen/generator.hpp"

namespace attendance::datagen {

struct DirectOptions {
  std::string database_url;
  bool if_empty = false;   // do nothing when the database already has a school
  int batch_rows = 10000;  // rows per transaction (SQLite) / per COPY (PostgreSQL: x20)
  bool progress = true;
};

struct DirectReport {
  bool skipped = false;       // if_empty and the database had schools
  bool interrupted = false;   // stopped by a signal; what was committed stays
  std::uint64_t schools = 0;
  std::uint64_t users = 0;
  std::uint64_t events = 0;   // attendances committed
  double seconds = 0;         // time spent in the bulk load of attendances
  double rows_per_second() const { return seconds > 0 ? static_cast<double>(events) / seconds : 0.0; }
};

// Throws on database errors.
DirectReport load_direct(const Generator& generator, const DirectOptions& options);

}  // namespace attendance::datagen
