#pragma once
// aggregate::TaskPool: a fixed set of threads, separate from the HTTP threads, that runs the
// chunk computations of the workers (and the workers' own coroutines). The original's
// Task.Supervisor: a task's exception is caught on the pool thread and handed to the coroutine
// that awaits it, never lost and never fatal to the process.
//
//   std::vector<std::function<int()>> tasks = ...;
//   std::vector<int> results = co_await pool.run_all(std::move(tasks));  // fan out, join

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "aggregate/completion.hpp"

namespace attendance::aggregate {

class TaskPool {
 public:
  using executor_type = boost::asio::thread_pool::executor_type;

  explicit TaskPool(std::size_t threads);
  ~TaskPool();  // stops and joins; tasks not yet started are dropped
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  executor_type executor() { return pool_.get_executor(); }
  std::size_t size() const { return threads_; }
  // Tasks that ended with an exception since start.
  std::uint64_t failed_tasks() const { return failed_.load(); }

  // Runs every task on the pool and resumes the caller, on its own executor, once all have ended.
  // Results come back in task order. When tasks throw, the first exception in task order is
  // rethrown to the caller after all tasks have ended.
  template <class R>
  boost::asio::awaitable<std::vector<R>> run_all(std::vector<std::function<R()>> tasks);

  // One task; its result or exception comes back to the caller.
  template <class F>
  auto run(F fn) -> boost::asio::awaitable<std::invoke_result_t<F&>>;

  // Stops the threads after their current task and waits for them (shutdown; the destructor
  // does it too). Queued tasks are dropped.
  void stop();

 private:
  std::size_t threads_;
  boost::asio::thread_pool pool_;
  std::atomic<std::uint64_t> failed_{0};
};

template <class R>
boost::asio::awaitable<std::vector<R>> TaskPool::run_all(std::vector<std::function<R()>> tasks) {
  struct State {
    std::vector<std::optional<R>> results;
    std::vector<std::exception_ptr> errors;
    std::atomic<std::size_t> left{0};
    std::shared_ptr<Completion<bool>> done = std::make_shared<Completion<bool>>();
  };
  if (tasks.empty()) co_return std::vector<R>{};
  auto state = std::make_shared<State>();
  state->results.resize(tasks.size());
  state->errors.resize(tasks.size());
  state->left = tasks.size();
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    boost::asio::post(pool_, [this, state, i, task = std::move(tasks[i])]() mutable {
      try {
        state->results[i].emplace(task());
      } catch (...) {
        state->errors[i] = std::current_exception();
        failed_.fetch_add(1);
      }
      if (state->left.fetch_sub(1) == 1) state->done->set(true);
    });
  }
  // A named copy: GCC 12 mishandles non-trivial temporaries inside co_await expressions.
  std::shared_ptr<Completion<bool>> done = state->done;
  co_await Completion<bool>::wait(std::move(done));
  for (auto& error : state->errors) {
    if (error) std::rethrow_exception(error);
  }
  std::vector<R> results;
  results.reserve(state->results.size());
  for (auto& result : state->results) results.push_back(std::move(*result));
  co_return results;
}

template <class F>
auto TaskPool::run(F fn) -> boost::asio::awaitable<std::invoke_result_t<F&>> {
  using R = std::invoke_result_t<F&>;
  std::vector<std::function<R()>> tasks;
  tasks.emplace_back(std::move(fn));
  auto results = co_await run_all(std::move(tasks));
  co_return std::move(results.front());
}

}  // namespace attendance::aggregate
