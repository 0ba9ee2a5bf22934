#pragma once
// A borrowed database connection plus what repositories need to know about its backend.

#include <soci/soci.h>

namespace attendance::storage {

enum class Backend { sqlite, postgresql };

struct Session {
  soci::session& sql;
  Backend backend;

  bool is_postgresql() const { return backend == Backend::postgresql; }
};

}  // namespace attendance::storage
