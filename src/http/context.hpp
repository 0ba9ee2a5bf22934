#pragma once
// What handlers reach beyond the request: built once by the composition root (src/app).

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace attendance::storage {
class Database;
}
namespace attendance::aggregate {
class Service;
}
namespace attendance::http::live {
class Hub;
class Occupancy;
}

namespace attendance::http {

class StaticFiles;
class Metrics;
class RateLimiter;
class TokenCache;
class Cluster;
class Server;
// The requests of /api/attendances that share database jobs (handlers/attendances.cpp).
struct AttendanceQueues;
std::shared_ptr<AttendanceQueues> make_attendance_queues();

enum class Mode { dev, prod };

struct AppContext {
  storage::Database& db;
  aggregate::Service* aggregates = nullptr;  // null in tests that don't need the engine
  live::Hub* hub = nullptr;                  // live streams; null: streams unavailable (503)
  live::Occupancy* occupancy = nullptr;
  const StaticFiles* web = nullptr;          // the dashboard; null: API only
  Mode mode = Mode::prod;
  std::size_t max_page_size = 1000;
  Metrics* metrics = nullptr;            // request metrics, recorded by the dispatcher; null: none
  RateLimiter* rate_limiter = nullptr;   // per-token limits after authentication; null: unlimited
  std::string metrics_token{};           // ATTENDANCE_METRICS_TOKEN: reads /metrics; empty: admin only
  TokenCache* tokens = nullptr;          // authenticated tokens; null: every request reads the table
  Cluster* cluster = nullptr;            // the other processes on this PostgreSQL; null: alone
  const Server* server = nullptr;        // its connection figures for /metrics; null: not shown
  // Called after tokens changed (revoked, or deleted with their school) here or in another
  // process; clears what is derived from them. Called on any thread (the cluster's listener too).
  std::function<void()> on_tokens_changed{};
  std::shared_ptr<AttendanceQueues> attendance_queues = make_attendance_queues();

  bool dev_mode() const { return mode == Mode::dev; }
};

}  // namespace attendance::http
