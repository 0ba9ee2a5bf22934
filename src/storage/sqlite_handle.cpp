#include "storage/sqlite_handle.hpp"

#include "storage/connection.hpp"

namespace attendance::storage {

SqliteHandle::SqliteHandle(const std::string& path, int flags) {
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    // A failed open still hands back a handle (null only when out of memory), with the message.
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw SqliteError("cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, kSqliteBusyTimeoutMs);
}

SqliteHandle::~SqliteHandle() { sqlite3_close(db_); }

void SqliteHandle::fail(const std::string& what) const { throw SqliteError(what + ": " + sqlite3_errmsg(db_)); }

void SqliteHandle::exec(const char* sql) const {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
}

std::string SqliteHandle::scalar(const char* sql) const {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) fail(sql);
  std::string value;
  const int rc = sqlite3_step(statement);
  if (rc == SQLITE_ROW) {
    if (const unsigned char* text = sqlite3_column_text(statement, 0)) value = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(statement);
  if (rc != SQLITE_ROW) fail(sql);
  return value;
}

}  // namespace attendance::storage
