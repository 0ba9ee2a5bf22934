#pragma once
// The server's configuration, from flags or ATTENDANCE_* environment variables (flags win).

#include <cstdint>
#include <optional>
#include <string>

#include "http/context.hpp"

namespace attendance::app {

struct Config {
  std::string host = "0.0.0.0";
  std::uint16_t port = 4000;
  std::string database_url = "sqlite:data/attendance.db";
  http::Mode mode = http::Mode::prod;
  int threads = 0;            // 0: one per core
  int db_readers = 0;         // read connections; 0: one per core, at least 2 (docs/decisions.md)
  int db_writers = 2;         // PostgreSQL write lanes; SQLite always has one (docs/decisions.md)
  int db_statement_timeout_seconds = 30;  // PostgreSQL: the longest one statement may run; 0: no bound
  std::size_t body_limit = 1024 * 1024;
  int header_timeout_seconds = 15;
  int body_timeout_seconds = 30;
  std::size_t max_connections = 4096;
  std::string log_level = "info";
  std::string web_root = "web/dist";   // the built dashboard
  std::size_t max_streams = 1000;      // open live streams at most
  int aggregate_threads = 2;            // the aggregation task pool, apart from the HTTP threads
  std::size_t aggregate_cache_mb = 256;
  std::size_t aggregate_max_running = 0;  // 0: one per core
  std::size_t aggregate_max_waiting = 64;
  int aggregate_deadline_ms = 10'000;
  double rate_limit = 200;              // requests per second per API token; 0: no limit
  double rate_burst = 400;              // a token's bucket size
  std::optional<std::string> admin_token;  // ATTENDANCE_ADMIN_TOKEN
  std::string metrics_token;               // ATTENDANCE_METRICS_TOKEN: reads /metrics (empty: admin only)
  bool print_routes = false;
  std::optional<std::string> backup_to;  // --backup-to: copy the SQLite database there and exit
};

// Parses argv and the environment. Returns the exit code when the process should end at once
// (--help, or a usage error already reported on stderr).
struct ParsedConfig {
  Config config;
  std::optional<int> exit_code;
};
ParsedConfig parse_config(int argc, char** argv);

// The database URL with any password replaced by "***", for logs.
std::string redact_url(const std::string& url);

}  // namespace attendance::app
