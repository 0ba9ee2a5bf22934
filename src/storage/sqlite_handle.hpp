#pragma once
// One connection through SQLite's own C API, for the work SOCI has no call for: the online
// backup (app/backup.cpp) and the datagen's bulk load. It waits for another connection's lock as
// long as the server's connections do, and closes when it goes out of scope.
// (Not for a file that includes SOCI's SQLite backend, which puts sqlite3.h in a namespace.)

#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace attendance::storage {

struct SqliteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class SqliteHandle {
 public:
  // flags as sqlite3_open_v2 takes them; throws SqliteError "cannot open PATH: why".
  SqliteHandle(const std::string& path, int flags);
  SqliteHandle(const SqliteHandle&) = delete;
  SqliteHandle& operator=(const SqliteHandle&) = delete;
  ~SqliteHandle();

  sqlite3* get() const { return db_; }

  // Throws SqliteError "WHAT: SQLite's message for the connection's last failure".
  [[noreturn]] void fail(const std::string& what) const;
  // Runs statements that return no rows; fail(sql) when one does not succeed.
  void exec(const char* sql) const;
  // The first column of the first row of `sql`, as text (empty for NULL).
  std::string scalar(const char* sql) const;

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace attendance::storage
