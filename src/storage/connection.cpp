#include "storage/connection.hpp"

#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include "storage/native_handles.hpp"
#include "storage/postgresql_notices.hpp"
#include "storage/sql.hpp"

namespace attendance::storage {

namespace {
// libpq's keyword=value form, quoted and escaped as libpq reads it.
void append_keyword(std::string& out, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  if (value.find(' ') != std::string_view::npos) {
    // SOCI 4.0 splits its connect string at spaces to look for its own options before libpq sees it.
    throw std::invalid_argument("PostgreSQL URL parts may not contain spaces");
  }
  if (!out.empty()) out += ' ';
  out += key;
  out += "='";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  out += '\'';
}

// libpq settings every connection gets unless its URL says otherwise: a connect gives up after
// 5 s; an idle connection whose server stopped answering is found dead within about a minute
// (keepalive probes after 30 s idle, 3 more 10 s apart); and one whose sent data goes
// unacknowledged for 30 s is closed (tcp_user_timeout, in ms). A job on a dead connection fails,
// and the connection is reopened for the next one (docs/storage.md).
constexpr std::pair<std::string_view, std::string_view> kLibpqDefaults[] = {
    {"connect_timeout", "5"},   {"keepalives", "1"},       {"keepalives_idle", "30"},
    {"keepalives_interval", "10"}, {"keepalives_count", "3"}, {"tcp_user_timeout", "30000"},
};

// SOCI 4.0's PostgreSQL backend mangles URI connect strings (it appends '=' to a bare token),
// so the URL is handed to libpq as keywords instead; query parameters (sslmode, ...) pass through.
std::string libpq_keywords_of_url(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) throw std::invalid_argument("malformed PostgreSQL URL");
  const boost::urls::url_view& u = *parsed;
  std::string out;
  append_keyword(out, "host", u.host_address());
  if (u.has_port()) append_keyword(out, "port", u.port());
  append_keyword(out, "user", u.user());
  append_keyword(out, "password", u.password());
  std::string path = u.path();
  if (path.starts_with('/')) path.erase(0, 1);
  append_keyword(out, "dbname", path);
  for (auto param : u.params()) append_keyword(out, param.key, param.value);
  // Without these a database host that vanishes (a network partition, a powered-off server) hangs
  // a connect for minutes and a connection's next query until the kernel gives up, hours later,
  // holding a database thread all the while. A URL parameter of the same name replaces a default.
  for (const auto& [key, value] : kLibpqDefaults) {
    if (!u.params().contains(key)) append_keyword(out, key, value);
  }
  return out;
}

}  // namespace

Target target_of_url(const std::string& url) {
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(std::string("sqlite:").size());
    if (path.starts_with("//")) path = path.substr(2);  // sqlite:///abs/path and sqlite://rel both work
    if (path.empty()) throw std::invalid_argument("sqlite URL without a path: " + url);
    // SOCI reads a connect string with '=' as key=value options, which would misread the path.
    if (path.find('=') != std::string::npos) throw std::invalid_argument("sqlite path may not contain '='");
    return Target{Backend::sqlite, path};
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return Target{Backend::postgresql, libpq_keywords_of_url(url)};
  }
  throw std::invalid_argument("unsupported database URL (want sqlite:PATH or postgresql://...): " + url);
}

namespace {

// SQLite's default, serialized mode locks a connection's mutex in every call: about 2,000 lock
// pairs for a page of 100 rows, 19 % of the server's CPU serving pages (perf). Every connection
// here is used by one thread at a time (its database thread, or a tool's one thread), which is
// what multi-thread mode requires. Memory statistics would take a global lock per allocation.
// Both must be set before SQLite initializes; if something initialized it first, it stays
// serialized, which is only slower.
void configure_sqlite_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    const bool multithread = sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD) == SQLITE_OK;
    const bool no_memstatus = sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    if (!multithread || !no_memstatus) spdlog::warn("SQLite was initialized before its configuration: it stays serialized");
  });
}

}  // namespace

Connection::Connection(const Target& target) : target_(target), backend_(target.backend) { open(); }

void Connection::open() {
  statements_.clear();
  sql_.reset();
  if (backend_ == Backend::sqlite) {
    configure_sqlite_library();
    auto parent = std::filesystem::path(target_.connect_string).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    sql_ = std::make_unique<soci::session>(*soci::factory_sqlite3(), target_.connect_string);
  } else {
    sql_ = std::make_unique<soci::session>(*soci::factory_postgresql(), target_.connect_string);
  }
  configure();
}

void Connection::configure() {
  if (backend_ == Backend::sqlite) {
    // journal_mode persists in the file; the others are per connection.
    *sql_ << "PRAGMA busy_timeout = " + std::to_string(kSqliteBusyTimeoutMs);
    *sql_ << "PRAGMA journal_mode = WAL";
    *sql_ << "PRAGMA synchronous = FULL";
    *sql_ << "PRAGMA foreign_keys = ON";
    // A write job's savepoint journals every page it changes; past 64 KiB SQLite moves that
    // journal to a temporary file, created, written and deleted per job. A coalesced job of a few
    // dozen recordings passes that size, and the file doubled the bytes written per event
    // (docs/decisions.md). In memory, the journal costs at most the pages of one job.
    *sql_ << "PRAGMA temp_store = MEMORY";
  } else {
    log_notices_of(postgresql_handle(*sql_));
    // Instants are converted by epoch arithmetic, but text renderings (logs, psql) read best in UTC.
    *sql_ << "SET TIME ZONE 'UTC'";
    // A 2xx must survive a crash of PostgreSQL too. With synchronous_commit=off (postgresql.conf,
    // ALTER DATABASE or ALTER ROLE) a commit returns before its WAL is flushed, so this session asks
    // for the flush; every other value (local, remote_write, on, remote_apply) already waits for it.
    Session session{*sql_, backend_};
    if (sql::fetch_text(session, "SHOW synchronous_commit", {}) == "off") *sql_ << "SET synchronous_commit TO on";
    // A statement that runs away (a plan gone wrong, a lock never released) would hold its
    // database thread, and every job queued behind it, for as long as it runs.
    if (target_.statement_timeout.count() > 0) {
      *sql_ << "SET statement_timeout = " + std::to_string(target_.statement_timeout.count());
    }
  }
}

void Connection::check_after_failure() {
  if (backend_ != Backend::postgresql) return;  // a SQLite file doesn't go away between statements
  // is_connected() sends an empty query: a dead server is noticed here, not on the next job.
  if (!sql_ || !sql_->is_connected()) broken_ = true;
}

void Connection::ensure_open() {
  if (!broken_) return;
  open();  // a fresh session rather than reconnect(): nothing of the dead one is reused
  broken_ = false;
}

}  // namespace attendance::storage
