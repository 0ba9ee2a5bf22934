#pragma once
// attendance-server --backup-to DEST: a consistent copy of a SQLite database that a running
// server keeps writing to (docs/deploy.md, "Backups and restore").

#include <iosfwd>
#include <string>

namespace attendance::app {

// Copies the SQLite database of `database_url` to the new file `destination`, checked
// (PRAGMA integrity_check) and synced before it takes that name, and prints one line on `out`:
// its path, size and number of attendances. Never creates, migrates or changes the source.
// Returns the exit code: 0 written; 2 refused before anything was written (a PostgreSQL or
// malformed URL, no source file, `destination` exists or its directory does not), the reason
// one line on `err`; 1 the copy failed (one line on `err`; no `destination`, no partial file).
int backup_database(const std::string& database_url, const std::string& destination, std::ostream& out,
                    std::ostream& err);

}  // namespace attendance::app
