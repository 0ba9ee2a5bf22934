#pragma once
// Opening one connection of either backend with the service's settings, and noticing when a
// connection has died (PostgreSQL restarted) so its owner can reopen it.

#include <chrono>
#include <memory>
#include <string>

#include <soci/soci.h>

#include "storage/session.hpp"
#include "storage/statement_cache.hpp"

namespace attendance::storage {

// The target of a database URL.
struct Target {
  Backend backend;
  std::string connect_string;  // SQLite: the file path; PostgreSQL: libpq keyword=value pairs
  // PostgreSQL: the longest one statement may run before PostgreSQL cancels it (0: no bound).
  std::chrono::milliseconds statement_timeout{0};
};

// How long a SQLite connection waits for another's lock before its statement fails.
inline constexpr int kSqliteBusyTimeoutMs = 5000;

// Parses a URL; throws std::invalid_argument on anything else.
Target target_of_url(const std::string& url);

// One open connection. SQLite connections get WAL, synchronous=FULL, foreign_keys=ON and a
// busy timeout; PostgreSQL connections keep the server's durable defaults.
class Connection {
 public:
  // Opens it (creating a SQLite file's parent directory); throws soci::soci_error on failure.
  explicit Connection(const Target& target);

  Session session() { return Session{*sql_, backend_, &statements_}; }
  Backend backend() const { return backend_; }

  // After a failure: if the connection itself is gone, mark it so ensure_open() reopens it.
  void check_after_failure();
  // Reopens a connection marked broken; throws when that fails (it stays marked).
  void ensure_open();
  bool broken() const { return broken_; }

 private:
  void open();
  void configure();

  Target target_;
  Backend backend_;
  std::unique_ptr<soci::session> sql_;
  StatementCache statements_;  // after sql_: its statements go before their session does
  bool broken_ = false;
};

}  // namespace attendance::storage
