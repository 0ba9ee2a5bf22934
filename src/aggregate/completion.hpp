#pragma once
// A value that is set once, from any thread, and awaited by any number of coroutines, each resumed
// on its own executor. It is how results cross from task-pool threads back to HTTP coroutines
// without blocking a thread, and how merged requests share one computation.
//
//   auto done = std::make_shared<Completion<int>>();
//   pool.post([done] { done->set(42); });
//   int v = co_await Completion<int>::wait(done);  // resumes on the awaiting coroutine's executor

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace attendance::aggregate {

template <class T>
class Completion {
 public:
  // Sets the value and resumes every waiter; false (and nothing changes) when already set.
  bool set(T value) {
    std::vector<std::function<void(const T&)>> waiters;
    {
      std::lock_guard lock(mutex_);
      if (value_) return false;
      value_.emplace(std::move(value));
      waiters.swap(waiters_);
    }
    // value_ never changes once set: reading it without the lock is safe from here on.
    for (auto& resume : waiters) resume(*value_);
    return true;
  }

  bool is_set() const {
    std::lock_guard lock(mutex_);
    return value_.has_value();
  }

  // Resumes once the value is set (at once when it already is), on the awaiting coroutine's
  // executor, never inline on the setter's thread, with a copy of the value.
  // Not a coroutine itself: it returns the awaitable of one asynchronous operation, so no frame
  // holds `self` (GCC 12 miscounts shared_ptr parameters captured inside a coroutine's co_await).
  static boost::asio::awaitable<T> wait(std::shared_ptr<Completion> self) {
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, void(T)>(
        [](auto handler, std::shared_ptr<Completion> completion) {
          using Handler = decltype(handler);
          auto executor = boost::asio::get_associated_executor(handler);
          auto work = std::make_shared<decltype(boost::asio::make_work_guard(executor))>(
              boost::asio::make_work_guard(executor));
          auto shared_handler = std::make_shared<Handler>(std::move(handler));
          std::function<void(const T&)> resume = [shared_handler, work](const T& value) {
            boost::asio::post(work->get_executor(), [shared_handler, work, value]() mutable {
              (*shared_handler)(std::move(value));
              work->reset();
            });
          };
          {
            std::lock_guard lock(completion->mutex_);
            if (!completion->value_) {
              completion->waiters_.push_back(std::move(resume));
              return;
            }
          }
          resume(*completion->value_);
        },
        boost::asio::use_awaitable, std::move(self));
  }

 private:
  mutable std::mutex mutex_;
  std::optional<T> value_;
  std::vector<std::function<void(const T&)>> waiters_;
};

}  // namespace attendance::aggregate
