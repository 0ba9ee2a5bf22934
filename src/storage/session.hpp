#pragma once
// A borrowed database connection plus what repositories need to know about its backend.

#include <soci/soci.h>

namespace attendance::storage {

enum class Backend { sqlite, postgresql };

class StatementCache;

struct Session {
  soci::session& sql;
  Backend backend;
  StatementCache* statements = nullptr;  // the connection's kept statements; null: prepare each time

  bool is_postgresql() const { return backend == Backend::postgresql; }
};

}  // namespace attendance::storage
