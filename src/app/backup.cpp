#include "app/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <system_error>

#include "storage/connection.hpp"
#include "storage/sqlite_handle.hpp"

namespace attendance::app {

namespace fs = std::filesystem;

namespace {

struct BackupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using storage::SqliteHandle;

// Copies `source` into the new file `copy` and checks the copy; returns its attendances.
long long copy_checked(const fs::path& source, const fs::path& copy) {
  // Read-only: the backup never creates the source, runs migrations or changes its journal mode.
  SqliteHandle from(source.string(), SQLITE_OPEN_READONLY);
  SqliteHandle to(copy.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (backup == nullptr) to.fail("cannot start the copy");
  // Every page in one step, so in one read transaction of the source: the copy is the database
  // as of one commit, while the server goes on writing to its WAL. In steps of some pages each, a
  // commit of the server between two steps would start the copy over, again and again all day.
  const int stepped = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (stepped != SQLITE_DONE || finished != SQLITE_OK) to.fail("copy of " + source.string());
  if (auto verdict = to.scalar("PRAGMA integrity_check"); verdict != "ok") {
    throw BackupError("the copy fails PRAGMA integrity_check: " + verdict);
  }
  return std::stoll(to.scalar("SELECT count(*) FROM attendances"));
}

// fsync of a file, or of a directory (which makes a rename in it durable).
void sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    throw std::system_error(error, std::generic_category(), "cannot sync " + path.string());
  }
  ::close(fd);
}

// The copy and what SQLite may have left beside it.
void remove_partial(const fs::path& copy) {
  std::error_code ignored;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(copy.string() + suffix, ignored);
}

}  // namespace

int backup_database(const std::string& database_url, const std::string& destination, std::ostream& out,
                    std::ostream& err) {
  const auto refuse = [&err](const std::string& why) {
    err << "backup refused: " << why << "\n";
    return 2;
  };
  storage::Target target;
  try {
    target = storage::target_of_url(database_url);
  } catch (const std::invalid_argument& error) {
    return refuse(error.what());
  }
  if (target.backend != storage::Backend::sqlite) {
    return refuse("the database is PostgreSQL: back it up with pg_dump (docs/deploy.md, \"Backups and restore\")");
  }
  const fs::path source = target.connect_string;
  const fs::path dest = destination;
  const fs::path dir = dest.has_parent_path() ? dest.parent_path() : fs::path(".");
  std::error_code ec;
  // Opening a missing file would only make an empty database, and a backup of nothing.
  if (!fs::is_regular_file(source, ec)) return refuse("no database file at " + source.string());
  if (dest.filename().empty()) return refuse("--backup-to needs a file name, not a directory: " + destination);
  if (fs::exists(fs::symlink_status(dest, ec))) return refuse(destination + " already exists; a backup never replaces a file");
  if (!fs::is_directory(dir, ec)) return refuse("the directory " + dir.string() + " does not exist");

  // Beside DEST, so the rename stays in one file system and DEST is never a half-written file.
  const fs::path copy = dir / ("." + dest.filename().string() + ".partial-" + std::to_string(::getpid()));
  long long attendances = 0;
  try {
    attendances = copy_checked(source, copy);
    sync_path(copy, O_RDONLY);
    // Not replacing: a DEST that appeared since the check above is left as it is.
    if (::renameat2(AT_FDCWD, copy.c_str(), AT_FDCWD, dest.c_str(), RENAME_NOREPLACE) != 0) {
      throw std::system_error(errno, std::generic_category(), "cannot rename the copy to " + destination);
    }
    sync_path(dir, O_RDONLY | O_DIRECTORY);
  } catch (const std::exception& error) {
    remove_partial(copy);
    err << "backup failed: " << error.what() << "\n";
    return 1;
  }
  out << "backup written: " << fs::absolute(dest, ec).string() << ", " << fs::file_size(dest, ec) << " bytes, "
      << attendances << " attendances\n";
  return 0;
}

}  // namespace attendance::app
