#pragma once
// Versioned schema migrations. Each migration has a version, a name and its statements per
// backend; a database records the versions it has in schema_migrations(version). Migrations are
// append-only: a released migration is never edited, a change is a new version.

#include <string_view>
#include <vector>

#include "storage/session.hpp"

namespace attendance::storage {

struct Migration {
  int version;
  std::string_view name;
  std::vector<std::string_view> sqlite;      // one statement per element
  std::vector<std::string_view> postgresql;  // one statement per element
};

// Every migration, in ascending version order.
const std::vector<Migration>& migrations();

// Applies the migrations the database lacks, all in one transaction (so a failure leaves the
// schema as it was), each once. On PostgreSQL a transaction-scoped advisory lock makes processes
// that start together take turns. Must run outside any transaction; throws on failure.
void migrate(Session& s);

// Inside a write transaction: processes starting together take turns from here to its end, as
// they do for migrations (PostgreSQL's transaction-scoped advisory lock; SQLite's write
// transactions, begun IMMEDIATE, take turns already).
void take_setup_lock(Session& s);

// The versions recorded in schema_migrations, ascending; the table exists after migrate().
std::vector<int> applied_migrations(Session& s);

}  // namespace attendance::storage
