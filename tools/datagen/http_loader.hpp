#pragma once
// HTTP mode: creates the generated schools and users through the API, then sends every event
// with POST /api/attendances over `concurrency` keep-alive connections, or, with `batch`, in
// batches of that many events with POST /api/attendances/batch (as an offline kiosk catching up).
//
// Bounded at any volume: one thread, `concurrency` coroutines, each owning a fixed subset of the
// users (so a user's events go out in order, one at a time) and generating one user-day at a
// time. Stops cleanly when a stop is requested (SIGINT): in-flight requests finish, the report
// covers what was sent.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tools/datagen/generator.hpp"
#include "tools/datagen/latency.hpp"

namespace attendance::datagen {

struct HttpOptions {
  std::string target;  // http://host:port
  std::string token;   // an admin token's secret
  int concurrency = 8;
  bool progress = true;
  int batch = 0;  // events per POST /api/attendances/batch (at most 1000); 0: one event per request
};

struct HttpReport {
  std::uint64_t schools = 0;
  std::uint64_t users = 0;
  std::uint64_t total = 0;        // events the run has
  std::uint64_t sent = 0;         // events sent and answered
  std::uint64_t accepted = 0;     // 2xx
  std::map<int, std::uint64_t> by_status;  // every event's answer, by status (a batch item's own)
  std::uint64_t transport_errors = 0;     // no answer (connection refused, timeout)
  std::uint64_t retried = 0;              // requests sent again after a 429 or 503
  std::vector<std::string> sample_rejections;  // the first few non-2xx bodies, for diagnosis
  LatencyHistogram latency;      // per event request (a batch is one request; a request sent again, each time)
  double seconds = 0;             // time spent sending events
  bool interrupted = false;
  std::string fatal;              // why the run stopped early, if it did (not by a signal)

  std::uint64_t rejected() const { return sent - accepted; }
};

// Throws std::invalid_argument for a malformed target.
HttpReport load_http(const Generator& generator, const HttpOptions& options);

// The report as printed at the end of a run.
std::string format_report(const HttpReport& report);

}  // namespace attendance::datagen
