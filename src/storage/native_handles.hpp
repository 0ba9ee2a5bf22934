#pragma once
// The C handles under a SOCI session, for what SOCI 4.0 can't do: stepping a kept sqlite3_stmt,
// libpq's pipeline mode, libpq's notice processor.
//
// No vptr check on the downcasts: SOCI's shared libraries don't export the backends' type info,
// which UBSan's check would need to link. The caller knows the session's backend.

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace attendance::storage {

__attribute__((no_sanitize("vptr"))) inline sqlite_api::sqlite3* sqlite_handle(soci::session& sql) {
  return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
}

__attribute__((no_sanitize("vptr"))) inline PGconn* postgresql_handle(soci::session& sql) {
  return static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_;
}

}  // namespace attendance::storage
