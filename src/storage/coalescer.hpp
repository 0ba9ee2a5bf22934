#pragma once
// Requests that want the same kind of database work share one job: a request that arrives while
// such a job waits for a database thread joins it, and the job runs them all at once (one query
// for many ids, one recording step for many events) and answers each. Under load one round trip
// and one thread hop serve many requests; a request alone gets a job at once, with no timer to wait.
//
//   std::vector<Found> find_all(Session& s, std::vector<Id>& ids);   // answers ids[i] with [i]
//   Coalescer<Id, Found> finds{&find_all};
//   auto pending = finds.read(db, id);
//   auto found = co_await std::move(pending);
//
// Writes coalesce per lane, and keep their order: a lane's items run in the order they were
// submitted, in jobs submitted in that order. A job's items share its savepoint, so run_all
// leaves behind nothing for an item it rejects; an exception fails every item of the job.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "storage/database.hpp"

namespace attendance::storage {

template <class Item, class Result>
class Coalescer {
 public:
  using RunAll = std::vector<Result> (*)(Session&, std::vector<Item>&);

  explicit Coalescer(RunAll run_all, std::size_t max_items = 256)
      : state_(std::make_shared<State>(run_all, max_items == 0 ? 1 : max_items)) {}

  boost::asio::awaitable<Result> read(Database& db, Item item) { return run(db, std::move(item), std::nullopt); }
  boost::asio::awaitable<Result> write(Database& db, std::uint64_t lane_key, Item item) {
    return run(db, std::move(item), lane_key);
  }

 private:
  struct Waiter {
    Item item;
    std::optional<Result> result;
    std::function<void(std::exception_ptr)> resume;
  };
  using Batch = std::vector<std::shared_ptr<Waiter>>;

  struct Queue {
    Batch waiting;
    bool job_submitted = false;  // a submitted job will take `waiting` when it starts
  };

  // Shared with the jobs, which may outlive a moved-from or destroyed Coalescer.
  struct State {
    State(RunAll run, std::size_t max) : run_all(run), max_items(max) {}
    const RunAll run_all;
    const std::size_t max_items;
    std::mutex mutex;
    std::map<std::size_t, Queue> queues;  // by lane index; reads use kReadQueue
  };
  static constexpr std::size_t kReadQueue = std::numeric_limits<std::size_t>::max();

  boost::asio::awaitable<Result> run(Database& db, Item item, std::optional<std::uint64_t> lane) {
    auto waiter = std::make_shared<Waiter>();
    waiter->item = std::move(item);
    auto initiate = [state = state_, &db, waiter, lane](auto handler) {
      waiter->resume = detail::resumer(std::move(handler));
      enqueue(state, db, waiter, lane);
    };
    co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, void(std::exception_ptr)>(
        std::move(initiate), boost::asio::use_awaitable);
    co_return std::move(*waiter->result);
  }

  static std::size_t queue_key(Database& db, std::optional<std::uint64_t> lane) {
    return lane ? db.lane_index(*lane) : kReadQueue;
  }

  static void enqueue(const std::shared_ptr<State>& state, Database& db, std::shared_ptr<Waiter> waiter,
                      std::optional<std::uint64_t> lane) {
    bool submit = false;
    {
      std::lock_guard lock(state->mutex);
      auto& queue = state->queues[queue_key(db, lane)];
      queue.waiting.push_back(std::move(waiter));
      submit = !queue.job_submitted;
      queue.job_submitted = true;
    }
    if (submit) submit_job(state, db, lane);
  }

  // Moves up to max_items waiting items into `batch`; submits the next job if some are left.
  static void take(const std::shared_ptr<State>& state, Database& db, std::optional<std::uint64_t> lane,
                   Batch& batch) {
    bool more = false;
    {
      std::lock_guard lock(state->mutex);
      auto& queue = state->queues[queue_key(db, lane)];
      const auto n = std::min(state->max_items, queue.waiting.size());
      batch.assign(std::make_move_iterator(queue.waiting.begin()), std::make_move_iterator(queue.waiting.begin() + n));
      queue.waiting.erase(queue.waiting.begin(), queue.waiting.begin() + n);
      more = !queue.waiting.empty();
      queue.job_submitted = more;
    }
    if (more) submit_job(state, db, lane);
  }

  static void submit_job(const std::shared_ptr<State>& state, Database& db, std::optional<std::uint64_t> lane) {
    struct Taken {
      Batch batch;
      bool ran = false;
    };
    auto taken = std::make_shared<Taken>();
    Database::Job job;
    job.run = [state, &db, lane, taken](Session& session) {
      taken->ran = true;
      take(state, db, lane, taken->batch);
      std::vector<Item> items;
      items.reserve(taken->batch.size());
      for (auto& waiter : taken->batch) items.push_back(std::move(waiter->item));
      auto results = state->run_all(session, items);
      if (results.size() != taken->batch.size()) throw std::logic_error("coalesced job answered the wrong count");
      for (std::size_t i = 0; i < results.size(); ++i) taken->batch[i]->result.emplace(std::move(results[i]));
      return true;
    };
    job.done = [state, &db, lane, taken](std::exception_ptr error) {
      // A job refused before it ran (the database is closing) fails what it would have taken.
      if (!taken->ran) take(state, db, lane, taken->batch);
      for (auto& waiter : taken->batch) waiter->resume(error);
    };
    if (lane) db.submit_write(*lane, std::move(job));
    else db.submit_read(std::move(job));
  }

  std::shared_ptr<State> state_;
};

}  // namespace attendance::storage
