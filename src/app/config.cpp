#include "app/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <thread>
#include <utility>

#include <CLI/CLI.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace attendance::app {

namespace {
constexpr std::size_t kShortestChosenSecret = 16;
}  // namespace

ParsedConfig parse_config(int argc, char** argv) {
  ParsedConfig parsed;
  Config& c = parsed.config;
  CLI::App cli{"Attendance Service: records school check-ins and check-outs and turns them into presence metrics."};
  cli.add_option("--host", c.host, "Address to listen on")->envname("ATTENDANCE_HOST")->capture_default_str();
  cli.add_option("--port", c.port, "TCP port (0 picks a free one)")->envname("ATTENDANCE_PORT")->capture_default_str();
  cli.add_option("--database", c.database_url, "sqlite:PATH or postgresql://user@host:port/db")
      ->envname("ATTENDANCE_DATABASE_URL")
      ->capture_default_str();
  std::map<std::string, http::Mode> modes{{"dev", http::Mode::dev}, {"prod", http::Mode::prod}};
  cli.add_option("--mode", c.mode, "dev shows error causes in responses; prod never does")
      ->envname("ATTENDANCE_MODE")
      ->transform(CLI::CheckedTransformer(modes, CLI::ignore_case))
      ->default_str("prod");
  cli.add_option("--threads", c.threads, "HTTP threads (0: one per core)")
      ->envname("ATTENDANCE_THREADS")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  cli.add_option("--db-readers", c.db_readers, "Database read connections (0: one per core, at least 2)")
      ->envname("ATTENDANCE_DB_READERS")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  cli.add_option("--db-writers", c.db_writers, "PostgreSQL write lanes (SQLite has one)")
      ->envname("ATTENDANCE_DB_WRITERS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cli.add_option("--db-statement-timeout", c.db_statement_timeout_seconds,
                 "Seconds one PostgreSQL statement may run before it is cancelled and its request fails (0: no bound)")
      ->envname("ATTENDANCE_DB_STATEMENT_TIMEOUT")
      ->check(CLI::Range(0, 86'400))
      ->capture_default_str();
  cli.add_option("--body-limit", c.body_limit, "Largest request body in bytes (413 beyond)")
      ->envname("ATTENDANCE_BODY_LIMIT")
      ->check(CLI::Range(1024, 1 << 30))
      ->capture_default_str();
  cli.add_option("--header-timeout", c.header_timeout_seconds, "Seconds for a request's header to arrive")
      ->envname("ATTENDANCE_HEADER_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cli.add_option("--body-timeout", c.body_timeout_seconds,
                 "Seconds for a request's body to arrive, and for the client to take a response")
      ->envname("ATTENDANCE_BODY_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cli.add_option("--max-connections", c.max_connections, "Open connections at most")
      ->envname("ATTENDANCE_MAX_CONNECTIONS")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  // A level spdlog doesn't know would silently turn every log line off.
  cli.add_option("--log-level", c.log_level, "trace, debug, info, warn, error, critical, off")
      ->envname("ATTENDANCE_LOG_LEVEL")
      ->transform(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}, CLI::ignore_case))
      ->capture_default_str();
  cli.add_option("--aggregate-threads", c.aggregate_threads, "Aggregation task pool threads")
      ->envname("ATTENDANCE_AGGREGATE_THREADS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cli.add_option("--aggregate-cache-mb", c.aggregate_cache_mb, "Memory bound of the aggregate cache (MiB)")
      ->envname("ATTENDANCE_AGGREGATE_CACHE_MB")
      ->check(CLI::Range(0, 1 << 20))
      ->capture_default_str();
  cli.add_option("--aggregate-max-running", c.aggregate_max_running, "Aggregations computed at once (0: one per core)")
      ->envname("ATTENDANCE_AGGREGATE_MAX_RUNNING")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cli.add_option("--aggregate-max-waiting", c.aggregate_max_waiting, "Aggregations queued at most (503 beyond)")
      ->envname("ATTENDANCE_AGGREGATE_MAX_WAITING")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  cli.add_option("--aggregate-deadline-ms", c.aggregate_deadline_ms, "Deadline of one aggregation (504 beyond)")
      ->envname("ATTENDANCE_AGGREGATE_DEADLINE_MS")
      ->check(CLI::Range(1, 600'000))
      ->capture_default_str();
  cli.add_option("--web-root", c.web_root, "Directory of the built dashboard served at /")
      ->envname("ATTENDANCE_WEB_ROOT")
      ->capture_default_str();
  cli.add_option("--max-streams", c.max_streams, "Open live event streams at most (503 beyond)")
      ->envname("ATTENDANCE_MAX_STREAMS")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  cli.add_option("--rate-limit", c.rate_limit, "Requests per second per API token (429 beyond; 0: no limit)")
      ->envname("ATTENDANCE_RATE_LIMIT")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  cli.add_option("--rate-burst", c.rate_burst, "Requests a token may send at once above its rate")
      ->envname("ATTENDANCE_RATE_BURST")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str();
  cli.add_flag("--print-routes", c.print_routes, "Print every route and exit");
  // No environment variable: one left in a service's environment would turn every start into a
  // backup, and the server would never serve.
  cli.add_option("--backup-to", c.backup_to,
                 "Copy the SQLite --database, live, to this new file (checked, then renamed into place) and exit; "
                 "it never replaces a file (docs/deploy.md)");
  cli.footer(
      "Environment: ATTENDANCE_ADMIN_TOKEN sets the bootstrap admin secret; a start with a new value revokes\n"
      "the tokens of its earlier values. Without it, a first start on a\n"
      "database with no admin token creates one and prints it once. ATTENDANCE_METRICS_TOKEN is a bearer\n"
      "secret that reads GET /metrics (an admin token always can).");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help is 0; every usage error is 2, as for most command-line tools (CLI11's own codes
    // differ by the kind of error).
    parsed.exit_code = cli.exit(error) == 0 ? 0 : 2;
    return parsed;
  }
  if (const char* token = std::getenv("ATTENDANCE_ADMIN_TOKEN"); token && *token) c.admin_token = token;
  if (const char* token = std::getenv("ATTENDANCE_METRICS_TOKEN"); token && *token) c.metrics_token = token;
  // A chosen secret is as strong as its length: the generated ones have 43 characters (256 bits).
  const std::pair<const char*, std::size_t> chosen[] = {{"ATTENDANCE_ADMIN_TOKEN", c.admin_token.value_or("").size()},
                                                        {"ATTENDANCE_METRICS_TOKEN", c.metrics_token.size()}};
  for (const auto& [name, length] : chosen) {
    if (length > 0 && length < kShortestChosenSecret) {
      std::cerr << name << " must be at least " << kShortestChosenSecret << " characters\n";
      parsed.exit_code = 2;
      return parsed;
    }
  }
  if (c.threads <= 0) c.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (c.db_readers <= 0) c.db_readers = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  return parsed;
}

std::string redact_url(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || !parsed->has_password()) return url;
  boost::urls::url redacted(*parsed);
  redacted.set_password("***");
  return std::string(redacted.buffer());
}

}  // namespace attendance::app
