#pragma once
// aggregate::Supervisor: runs one worker coroutine per computation on the TaskPool's executor.
// - Bounds: at most max_running workers run; up to max_waiting more wait for a slot (FIFO);
//   beyond that a request is refused at once with 503 and a Retry-After of retry_after seconds.
// - Deadline: a computation not finished `deadline` after it was submitted (waiting included)
//   answers 504; its worker is cancelled (it stops at its next check and caches nothing further
//   than what it had finished).
// - Containment: a worker's exception becomes that computation's Outcome::failure (500 for its
//   own request(s)); nothing else is affected.

#include <algorithm>
#include <chrono>
#include <thread>
#include <condition_variable>
#include <unordered_set>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "aggregate/cancel.hpp"
#include "aggregate/completion.hpp"
#include "aggregate/counters.hpp"
#include "aggregate/report.hpp"
#include "aggregate/task_pool.hpp"
#include "domain/result.hpp"

namespace attendance::aggregate {

struct SupervisorOptions {
  // One per core: each cold computation holds a read connection and a core; more at once only
  // queue behind each other and starve check-ins of both (measured: bench/aggregate_bench's load
  // test, check-in p99 4.2x its unloaded value with 8 on 2 cores).
  std::size_t max_running = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  std::size_t max_waiting = 64;
  std::chrono::milliseconds deadline{10'000};
  int retry_after_seconds = 1;
};

// How one computation ended; shared by every request merged into it.
struct Outcome {
  ReportPtr report;                   // success
  std::optional<domain::Error> error; // 404 / 503 / 504 ...
  int retry_after_seconds = 0;        // with a 503
  std::exception_ptr failure;         // the worker threw: 500
};

class Supervisor {
 public:
  // A worker: returns the computation's awaitable. Must not itself be a capturing coroutine
  // lambda (it is called, and its awaitable run, after the caller's frame may be gone).
  using Job = std::function<boost::asio::awaitable<domain::Result<ReportPtr>>(std::shared_ptr<const CancelToken>)>;

  Supervisor(SupervisorOptions options, TaskPool& pool, Counters& counters);
  ~Supervisor();

  // Admits, runs and awaits one computation; never throws for the job's own failures.
  boost::asio::awaitable<Outcome> run(Job job);

  // Refuses new work (503), answers the waiting ones 503, cancels the running ones, and blocks
  // until every worker has ended. Call from a thread that is not a pool thread.
  void stop();

  std::size_t running() const;
  std::size_t waiting() const;

 private:
  struct Entry {
    Job job;
    std::shared_ptr<CancelToken> cancel = std::make_shared<CancelToken>();
    std::shared_ptr<Completion<Outcome>> outcome = std::make_shared<Completion<Outcome>>();
    std::shared_ptr<boost::asio::steady_timer> timer;
  };

  void arm_deadline(const std::shared_ptr<Entry>& entry);
  void start(std::shared_ptr<Entry> entry);
  static boost::asio::awaitable<void> work(Supervisor* self, std::shared_ptr<Entry> entry);
  void finished(const std::shared_ptr<Entry>& done);
  Outcome unavailable() const;

  SupervisorOptions options_;
  TaskPool& pool_;
  Counters& counters_;
  boost::asio::strand<TaskPool::executor_type> timers_;

  mutable std::mutex mutex_;
  std::condition_variable idle_;
  bool stopping_ = false;
  std::size_t running_ = 0;
  std::deque<std::shared_ptr<Entry>> waiting_;
  std::unordered_set<std::shared_ptr<Entry>> active_;  // started and not yet ended
};

}  // namespace attendance::aggregate
