#include "storage/notifications.hpp"

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <vector>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include "storage/connection.hpp"
#include "storage/postgresql_notices.hpp"

namespace attendance::storage {

namespace {

bool is_plain_name(std::string_view name, bool allow_dash) {
  if (name.empty() || name.size() > 63) return false;
  return std::all_of(name.begin(), name.end(), [allow_dash](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dash && c == '-');
  });
}

// Ahead of the URL's own keywords (so that the URL wins): a dead peer must be noticed within
// seconds, not after the kernel's two-hour keepalive default.
constexpr std::string_view kLivenessKeywords =
    "connect_timeout=3 keepalives=1 keepalives_idle=10 keepalives_interval=5 keepalives_count=3 ";

// "SELECT pg_notify($1, $2), pg_notify($1, $3), ...": the channel, then `count` payloads.
std::string notify_statement(std::size_t count) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) sql += ", ";
    sql += "pg_notify($1, $" + std::to_string(i + 2) + ")";
  }
  return sql;
}

std::string message_of(PGconn* connection) {
  std::string text = connection ? PQerrorMessage(connection) : "out of memory";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

// One libpq connection, closed when destroyed.
struct NotificationChannel::Connection {
  PGconn* pg = nullptr;

  explicit Connection(const std::string& connect_string) : pg(PQconnectdb(connect_string.c_str())) {
    log_notices_of(pg);
  }
  ~Connection() {
    if (pg) PQfinish(pg);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool ok() const { return pg && PQstatus(pg) == CONNECTION_OK; }

  // Runs a statement without parameters; true when it answered `expected`.
  bool exec(const std::string& sql, ExecStatusType expected) {
    PGresult* result = PQexec(pg, sql.c_str());
    const bool done = PQresultStatus(result) == expected;
    PQclear(result);
    return done;
  }
};

NotificationChannel::NotificationChannel(NotificationChannelOptions options, OnPayload on_payload, OnGap on_gap)
    : options_(std::move(options)), on_payload_(std::move(on_payload)), on_gap_(std::move(on_gap)) {
  const Target target = target_of_url(options_.url);
  if (target.backend != Backend::postgresql) throw std::invalid_argument("notifications need a PostgreSQL URL");
  if (!is_plain_name(options_.channel, false)) throw std::invalid_argument("malformed notification channel name");
  if (!is_plain_name(options_.application_name, true)) throw std::invalid_argument("malformed application_name");
  // After the URL's keywords: this connection is told apart from the pool's in pg_stat_activity.
  connect_string_ = std::string(kLivenessKeywords) + target.connect_string + " application_name=" +
                    options_.application_name;
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) throw std::runtime_error("eventfd failed");
}

NotificationChannel::~NotificationChannel() {
  stop();
  ::close(wake_fd_);
}

void NotificationChannel::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

bool NotificationChannel::publish(std::string payload) {
  if (payload.size() > kMaxPayloadBytes) return false;
  bool overflowed = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    overflowed = queue_.size() >= options_.max_queued;
    if (overflowed) {
      dropped_ += queue_.size() + 1;
      queue_.clear();
    } else {
      queue_.push_back(std::move(payload));
    }
  }
  if (overflowed) {
    spdlog::warn("notifications: {} payloads were waiting for PostgreSQL; dropped them", options_.max_queued);
    on_gap_(Gap::dropped_outgoing);
    return false;
  }
  wake();
  return true;
}

void NotificationChannel::stop(std::chrono::milliseconds flush_for) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      flush_deadline_ = std::chrono::steady_clock::now() + flush_for;
    }
  }
  retry_.notify_all();
  connected_changed_.notify_all();
  wake();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  if (!queue_.empty()) {
    spdlog::warn("notifications: {} not sent to the other processes at shutdown", queue_.size());
    dropped_ += queue_.size();
    queue_.clear();
  }
}

NotificationChannel::Stats NotificationChannel::stats() const {
  return Stats{sent_.load(), received_.load(), reconnects_.load(), dropped_.load()};
}

bool NotificationChannel::wait_until_connected(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  connected_changed_.wait_for(lock, timeout, [this] { return connected_.load() || stopping_; });
  return connected_.load();
}

void NotificationChannel::set_connected(bool connected) {
  {
    std::lock_guard lock(mutex_);
    connected_ = connected;
  }
  connected_changed_.notify_all();
}

void NotificationChannel::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);  // full counter: already awake
}

bool NotificationChannel::wait_for_retry(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return !retry_.wait_for(lock, timeout, [this] { return stopping_; });
}

void NotificationChannel::run() {
  bool ever_connected = false;
  bool reported_down = false;
  auto backoff = options_.min_backoff;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    Connection connection(connect_string_);
    if (!connection.ok() || !connection.exec("LISTEN " + options_.channel, PGRES_COMMAND_OK)) {
      // Once per outage at warn: a PostgreSQL restart would otherwise log every backoff step.
      if (!reported_down) spdlog::warn("notifications: cannot listen on PostgreSQL: {}", message_of(connection.pg));
      reported_down = true;
      if (!wait_for_retry(backoff)) return;
      backoff = std::min(backoff * 2, options_.max_backoff);
      continue;
    }
    if (ever_connected) spdlog::info("notifications: listening again after a lost connection");
    reported_down = false;
    backoff = options_.min_backoff;
    // Before connected() turns true: whoever waits for it sees the gap's consequences.
    on_gap_(ever_connected ? Gap::reconnected : Gap::connected);
    if (ever_connected) ++reconnects_;
    set_connected(true);
    ever_connected = true;
    const bool failed = !serve(connection);
    set_connected(false);
    if (!failed) return;
    spdlog::warn("notifications: connection to PostgreSQL lost ({}); reconnecting", message_of(connection.pg));
    reported_down = true;
    if (!wait_for_retry(backoff)) return;
  }
}

bool NotificationChannel::serve(Connection& connection) {
  const int socket = PQsocket(connection.pg);
  for (;;) {
    // Notifications libpq read along with a result (LISTEN's, a pg_notify's) wait in its buffer,
    // not on the socket.
    if (!deliver_received(connection) || !send_queued(connection)) return false;
    {
      std::lock_guard lock(mutex_);
      if (stopping_ && (queue_.empty() || std::chrono::steady_clock::now() >= flush_deadline_)) return true;
    }
    pollfd fds[2] = {{socket, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(options_.idle_check.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (ready == 0) {
      // Nothing either way for a while: make sure the server is still there.
      if (!connection.exec("SELECT 1", PGRES_TUPLES_OK) || !deliver_received(connection)) return false;
      continue;
    }
    if (fds[1].revents & POLLIN) {
      std::uint64_t count = 0;
      [[maybe_unused]] auto got = ::read(wake_fd_, &count, sizeof count);
    }
    if (fds[0].revents != 0) {
      if (!PQconsumeInput(connection.pg) || !deliver_received(connection)) return false;
    }
  }
}

bool NotificationChannel::send_queued(Connection& connection) {
  std::deque<std::string> waiting;
  {
    std::lock_guard lock(mutex_);
    waiting.swap(queue_);
  }
  while (!waiting.empty()) {
    // Up to kBatch payloads in one statement: one round trip and one transaction for a burst
    // (a batch of offline events), delivered in order when it commits.
    const std::size_t count = std::min(waiting.size(), kBatch);
    std::vector<const char*> values{options_.channel.c_str()};
    for (std::size_t i = 0; i < count; ++i) values.push_back(waiting[i].c_str());
    PGresult* result = PQexecParams(connection.pg, notify_statement(count).c_str(), static_cast<int>(values.size()),
                                    nullptr, values.data(), nullptr, nullptr, 0);
    const bool sent = PQresultStatus(result) == PGRES_TUPLES_OK;
    PQclear(result);
    if (!sent && PQstatus(connection.pg) != CONNECTION_OK) {
      // What was being sent may or may not have gone out: it is sent again after reconnecting,
      // ahead of anything queued since (a live event shown twice beats a stale cache).
      std::lock_guard lock(mutex_);
      queue_.insert(queue_.begin(), std::make_move_iterator(waiting.begin()), std::make_move_iterator(waiting.end()));
      return false;
    }
    if (sent) {
      sent_ += count;
    } else {
      dropped_ += count;
      spdlog::error("notifications: PostgreSQL refused {} payloads: {}", count, message_of(connection.pg));
      on_gap_(Gap::dropped_outgoing);
    }
    waiting.erase(waiting.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(count));
    if (!deliver_received(connection)) return false;
  }
  return true;
}

bool NotificationChannel::deliver_received(Connection& connection) {
  while (PGnotify* notify = PQnotifies(connection.pg)) {
    std::string payload = notify->extra ? notify->extra : "";
    PQfreemem(notify);
    ++received_;
    try {
      on_payload_(payload);
    } catch (const std::exception& error) {
      spdlog::error("notifications: a received payload was not applied: {}", error.what());
    }
  }
  return connection.ok();
}

}  // namespace attendance::storage
