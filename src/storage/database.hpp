#pragma once
// The one way the service reaches its database.
//
// Database owns a pool of connections, each on its own thread, so that SQL never runs on the
// threads that serve HTTP. Coroutines `co_await db.read(fn)` / `co_await db.write(key, fn)`;
// fn runs on a database thread with a borrowed Session and its return value comes back to the
// coroutine on the coroutine's own executor.
//
// Writes are grouped: a writer thread takes every write job waiting in its queue, runs each in its
// own SAVEPOINT inside one transaction and commits once, then resumes them all. At full durability
// (SQLite synchronous=FULL, PostgreSQL synchronous_commit=on) a commit costs a disk flush; sharing
// it is what lets concurrent requests go faster without acknowledging anything that is not on disk.
// A job that throws, or returns a value whose ok() is false, has its savepoint rolled back and
// leaves nothing behind; the others in its group are unaffected.
//
//   auto pending = db.read([id](storage::Session& s) { return storage::find_user(s, id); });
//   auto user = co_await std::move(pending);
//
// Build the awaitable in its own statement, as above, never `co_await db.read([..] ...)`: GCC 12
// destroys a capturing lambda twice when it is a temporary of a co_await expression
// (scripts/check-coroutine-lambdas.py, run by the tests, enforces this).

#include <chrono>
#include <concepts>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "storage/session.hpp"

namespace attendance::storage {

struct DatabaseOptions {
  std::string url = "sqlite:data/attendance.db";  // sqlite:PATH or postgresql://user@host:port/db
  int readers = 4;           // read connections (and threads)
  int writers = 1;           // write lanes; SQLite always uses one
  int max_group = 512;       // most write jobs sharing one commit
  // PostgreSQL: the longest one statement may run (0: no bound); past it the statement fails,
  // and so does its job. Migrations are not bounded by it.
  std::chrono::milliseconds statement_timeout{0};
};

// Parses "sqlite:PATH" / "postgresql://..." (also "postgres://"); throws std::invalid_argument.
Backend backend_of_url(const std::string& url);

class Database {
 public:
  // Opens the connections and applies pending migrations; throws when the database can't be
  // reached or migrated.
  explicit Database(DatabaseOptions options);
  ~Database();  // close()

  // Stops accepting jobs (later ones fail at once), finishes the queued ones and joins the threads.
  // The owner calls it while the executors that jobs resume on still exist: a job finishing after
  // its caller's io_context is gone would resume into freed memory. Idempotent.
  void close();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const { return backend_; }

  // Runs fn(Session&) on a read connection; the result (or fn's exception) resumes the caller.
  // Its queries see committed data: on SQLite all from one snapshot, on PostgreSQL each from its own.
  template <class F>
  auto read(F fn) -> boost::asio::awaitable<std::invoke_result_t<F&, Session&>>;

  // Runs fn(Session&) in a shared write transaction and resumes the caller after the commit.
  // Jobs with the same lane_key run in submission order on the same lane.
  template <class F>
  auto write(std::uint64_t lane_key, F fn) -> boost::asio::awaitable<std::invoke_result_t<F&, Session&>>;

  // Blocking forms, for startup, tools and tests (never from an HTTP thread).
  template <class F>
  auto read_now(F fn) -> std::invoke_result_t<F&, Session&>;
  template <class F>
  auto write_now(F fn) -> std::invoke_result_t<F&, Session&>;

  // True when a trivial query answers within the pool's connection timeout.
  bool ping();

  // Counters for /metrics.
  struct Stats {
    std::uint64_t reads = 0, writes = 0, commits = 0, read_queue = 0, write_queue = 0;
  };
  Stats stats() const;

  // A job as the threads see it: `run` returns false to roll back its savepoint;
  // `done` receives the job's or the commit's exception (null on success), on the database thread.
  struct Job {
    std::function<bool(Session&)> run;
    std::function<void(std::exception_ptr)> done;
  };

  // The plain forms of read and write, for callers that resume their waiters themselves
  // (storage::Coalescer). A job submitted after close() is done at once with an error.
  void submit_read(Job job);
  void submit_write(std::uint64_t lane_key, Job job);
  // Which lane a write with this key runs on (0 .. lanes - 1).
  std::size_t lane_index(std::uint64_t lane_key) const;

 private:

  // A job's function and its result, shared by the caller and the database thread.
  template <class R>
  struct PendingCall {
    std::function<R(Session&)> fn;
    std::optional<R> result;
  };

  // GCC 12 relocates some by-value coroutine parameters bitwise, which corrupts objects that
  // point into themselves (short std::strings in a lambda's captures). So the caller's function
  // is moved into a PendingCall by the plain functions read/write, and only a shared_ptr
  // crosses into the coroutine.
  template <class R>
  boost::asio::awaitable<R> run_async(std::shared_ptr<PendingCall<R>> call, std::optional<std::uint64_t> lane);

  template <class F>
  static auto make_call(F fn) {
    using R = std::invoke_result_t<F&, Session&>;
    static_assert(!std::is_void_v<R>, "return a value (domain::Done) from database jobs");
    auto call = std::make_shared<PendingCall<R>>();
    call->fn = std::move(fn);
    return call;
  }

  struct Impl;
  std::unique_ptr<Impl> impl_;
  Backend backend_;
};

namespace detail {
template <class R>
bool keeps_changes(const R& result) {
  if constexpr (requires { { result.ok() } -> std::convertible_to<bool>; }) {
    return result.ok();
  } else {
    return true;
  }
}
}  // namespace detail

namespace detail {
// What resumes a coroutine suspended by async_initiate: called once, on any thread, with the
// job's error (null on success); the coroutine goes on on its own executor.
template <class Handler>
std::function<void(std::exception_ptr)> resumer(Handler handler) {
  auto executor = boost::asio::get_associated_executor(handler);
  auto shared_handler = std::make_shared<Handler>(std::move(handler));
  auto work = std::make_shared<decltype(boost::asio::make_work_guard(executor))>(
      boost::asio::make_work_guard(executor));
  return [shared_handler, work](std::exception_ptr error) {
    auto resume_executor = work->get_executor();
    boost::asio::dispatch(resume_executor, [shared_handler, work, error]() mutable {
      // Invoked as an rvalue: the handler hands the coroutine back and is left empty, so its
      // last copy may be destroyed on any thread.
      std::move(*shared_handler)(error);
      work->reset();
    });
  };
}
}  // namespace detail

template <class R>
boost::asio::awaitable<R> Database::run_async(std::shared_ptr<PendingCall<R>> call, std::optional<std::uint64_t> lane) {
  auto initiate = [this, call, lane](auto handler) {
    Job job;
    job.run = [call](Session& session) {
      call->result.emplace(call->fn(session));
      return detail::keeps_changes(*call->result);
    };
    job.done = detail::resumer(std::move(handler));
    if (lane) submit_write(*lane, std::move(job));
    else submit_read(std::move(job));
  };
  co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, void(std::exception_ptr)>(
      std::move(initiate), boost::asio::use_awaitable);
  co_return std::move(*call->result);
}

template <class F>
auto Database::read(F fn) -> boost::asio::awaitable<std::invoke_result_t<F&, Session&>> {
  return run_async(make_call(std::move(fn)), std::nullopt);
}

template <class F>
auto Database::write(std::uint64_t lane_key, F fn) -> boost::asio::awaitable<std::invoke_result_t<F&, Session&>> {
  return run_async(make_call(std::move(fn)), lane_key);
}

namespace detail {
// Runs a job through submit and blocks the calling thread until it is done.
template <class F, class Submit>
auto run_blocking(F fn, Submit submit) -> std::invoke_result_t<F&, Session&>;
}  // namespace detail

}  // namespace attendance::storage

#include "storage/database_blocking.hpp"
