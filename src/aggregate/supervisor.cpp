#include "aggregate/supervisor.hpp"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

namespace attendance::aggregate {

Supervisor::Supervisor(SupervisorOptions options, TaskPool& pool, Counters& counters)
    : options_(options), pool_(pool), counters_(counters), timers_(boost::asio::make_strand(pool.executor())) {}

Supervisor::~Supervisor() { stop(); }

Outcome Supervisor::unavailable() const {
  Outcome outcome;
  outcome.error = domain::Error::of(domain::ErrorKind::unavailable);
  outcome.retry_after_seconds = options_.retry_after_seconds;
  return outcome;
}

boost::asio::awaitable<Outcome> Supervisor::run(Job job) {
  auto entry = std::make_shared<Entry>();
  entry->job = std::move(job);
  bool start_now = false;
  bool refused = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      refused = true;
    } else if (running_ < options_.max_running) {
      ++running_;
      active_.insert(entry);
      start_now = true;
    } else if (waiting_.size() < options_.max_waiting) {
      waiting_.push_back(entry);
    } else {
      refused = true;
    }
  }
  if (refused) {
    counters_.rejected.fetch_add(1);
    co_return unavailable();
  }
  arm_deadline(entry);
  if (start_now) start(entry);
  std::shared_ptr<Completion<Outcome>> outcome = entry->outcome;  // no temporaries in co_await (GCC 12)
  co_return co_await Completion<Outcome>::wait(std::move(outcome));
}

void Supervisor::arm_deadline(const std::shared_ptr<Entry>& entry) {
  entry->timer = std::make_shared<boost::asio::steady_timer>(timers_, options_.deadline);
  // The handler holds the entry until it runs (at the deadline, or aborted when the work ends).
  entry->timer->async_wait([this, entry](boost::system::error_code ec) {
    if (ec) return;
    Outcome outcome;
    outcome.error = domain::Error::of(domain::ErrorKind::timeout);
    // Counted before the waiter resumes, so whoever sees the 504 also sees it counted.
    counters_.timed_out.fetch_add(1);
    if (!entry->outcome->set(std::move(outcome))) {
      counters_.timed_out.fetch_sub(1);
      return;
    }
    entry->cancel->request();
    std::lock_guard lock(mutex_);
    waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), entry), waiting_.end());
  });
}

void Supervisor::start(std::shared_ptr<Entry> entry) {
  boost::asio::co_spawn(pool_.executor(), work(this, std::move(entry)), boost::asio::detached);
}

boost::asio::awaitable<void> Supervisor::work(Supervisor* self, std::shared_ptr<Entry> entry) {
  self->counters_.started.fetch_add(1);
  Outcome outcome;
  try {
    std::shared_ptr<const CancelToken> cancel = entry->cancel;  // no temporaries in co_await (GCC 12)
    auto computation = entry->job(std::move(cancel));
    auto result = co_await std::move(computation);
    if (result.ok()) outcome.report = std::move(result.value());
    else outcome.error = result.error();
  } catch (...) {
    outcome.failure = std::current_exception();
  }
  const bool cancelled = entry->cancel->requested();
  // Counted before the waiters resume, so whoever sees the answer also sees it counted.
  auto& counter = outcome.failure ? self->counters_.failed : self->counters_.completed;
  counter.fetch_add(1);
  if (!entry->outcome->set(outcome)) {
    counter.fetch_sub(1);
    if (!cancelled && outcome.failure) self->counters_.failed.fetch_add(1);
  }
  auto timer = entry->timer;
  boost::asio::post(self->timers_, [timer] { timer->cancel(); });
  self->finished(entry);
}

void Supervisor::finished(const std::shared_ptr<Entry>& done) {
  std::shared_ptr<Entry> next;
  {
    std::lock_guard lock(mutex_);
    active_.erase(done);
    while (!waiting_.empty() && !next) {
      auto candidate = std::move(waiting_.front());
      waiting_.pop_front();
      if (!candidate->outcome->is_set()) next = std::move(candidate);
    }
    if (!next) {
      --running_;
      if (running_ == 0) idle_.notify_all();
      return;
    }
    // The slot passes to `next`: running_ is unchanged.
    active_.insert(next);
  }
  start(std::move(next));
}

void Supervisor::stop() {
  std::deque<std::shared_ptr<Entry>> refused;
  {
    std::unique_lock lock(mutex_);
    if (stopping_ && running_ == 0) return;
    stopping_ = true;
    refused.swap(waiting_);
    for (const auto& entry : active_) entry->cancel->request();
  }
  for (auto& entry : refused) {
    entry->outcome->set(unavailable());
    entry->cancel->request();
  }
  // Running workers are asked to stop; they end at their next check.
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return running_ == 0; });
}

std::size_t Supervisor::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

std::size_t Supervisor::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

}  // namespace attendance::aggregate
