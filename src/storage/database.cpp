#include "storage/database.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "storage/connection.hpp"
#include "storage/migrations.hpp"
#include "storage/sql.hpp"
#include "storage/transactions.hpp"

namespace attendance::storage {

namespace {

constexpr auto kPingTimeout = std::chrono::seconds(2);

// A queue of jobs with its own lock; closed once, after which pop drains what is left.
class JobQueue {
 public:
  // False when the queue is closed (the job was not taken).
  bool push(Database::Job& job) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return false;
      jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
    return true;
  }

  // Up to max jobs, waiting for at least one; empty only when closed and drained.
  std::vector<Database::Job> pop(std::size_t max) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return closed_ || !jobs_.empty(); });
    std::vector<Database::Job> taken;
    auto n = std::min(max, jobs_.size());
    taken.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      taken.push_back(std::move(jobs_.front()));
      jobs_.pop_front();
    }
    return taken;
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Database::Job> jobs_;
  bool closed_ = false;
};

std::exception_ptr shut_down_error() {
  return std::make_exception_ptr(std::runtime_error("database is shut down"));
}

}  // namespace

struct Database::Impl {
  DatabaseOptions options;
  Target target;

  JobQueue reads;
  std::vector<std::unique_ptr<JobQueue>> lanes;
  std::vector<std::thread> threads;

  std::atomic<std::uint64_t> read_count{0}, write_count{0}, commit_count{0};
  std::atomic<std::uint64_t> read_queue{0}, write_queue{0};

  void read_loop(std::unique_ptr<Connection> connection) {
    for (;;) {
      auto jobs = reads.pop(1);
      if (jobs.empty()) return;
      read_queue -= jobs.size();
      auto error = run_read(*connection, jobs.front());
      ++read_count;  // before done, so a caller that has its answer sees it counted
      finish(jobs.front(), error);
    }
  }

  void write_loop(JobQueue& lane, std::unique_ptr<Connection> connection) {
    const auto max_group = static_cast<std::size_t>(std::max(1, options.max_group));
    for (;;) {
      auto jobs = lane.pop(max_group);
      if (jobs.empty()) return;
      write_queue -= jobs.size();
      auto outcome = run_group(*connection, jobs);
      if (outcome.committed) ++commit_count;
      write_count += jobs.size();
      for (std::size_t i = 0; i < jobs.size(); ++i) finish(jobs[i], outcome.errors[i]);
    }
  }
};

Backend backend_of_url(const std::string& url) { return target_of_url(url).backend; }

Database::Database(DatabaseOptions options)
    : impl_(std::make_unique<Impl>()), backend_(backend_of_url(options.url)) {
  impl_->options = std::move(options);
  impl_->target = target_of_url(impl_->options.url);
  impl_->target.statement_timeout = impl_->options.statement_timeout;
  const int readers = std::max(1, impl_->options.readers);
  const int writers = backend_ == Backend::sqlite ? 1 : std::max(1, impl_->options.writers);

  // Every connection is opened here, so a bad URL or a down server fails the constructor.
  auto first_writer = std::make_unique<Connection>(impl_->target);
  {
    auto session = first_writer->session();
    migrate(session);
  }
  std::vector<std::unique_ptr<Connection>> write_connections;
  write_connections.push_back(std::move(first_writer));
  for (int i = 1; i < writers; ++i) write_connections.push_back(std::make_unique<Connection>(impl_->target));
  std::vector<std::unique_ptr<Connection>> read_connections;
  for (int i = 0; i < readers; ++i) read_connections.push_back(std::make_unique<Connection>(impl_->target));

  Impl& impl = *impl_;
  for (auto& connection : write_connections) {
    impl.lanes.push_back(std::make_unique<JobQueue>());
    JobQueue& lane = *impl.lanes.back();
    impl.threads.emplace_back([&impl, &lane, c = std::move(connection)]() mutable { impl.write_loop(lane, std::move(c)); });
  }
  for (auto& connection : read_connections) {
    impl.threads.emplace_back([&impl, c = std::move(connection)]() mutable { impl.read_loop(std::move(c)); });
  }
}

Database::~Database() { close(); }

void Database::close() {
  impl_->reads.close();
  for (auto& lane : impl_->lanes) lane->close();
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
}

void Database::submit_read(Job job) {
  ++impl_->read_queue;
  if (!impl_->reads.push(job)) {
    --impl_->read_queue;
    job.done(shut_down_error());
  }
}

std::size_t Database::lane_index(std::uint64_t lane_key) const { return lane_key % impl_->lanes.size(); }

void Database::submit_write(std::uint64_t lane_key, Job job) {
  auto& lane = *impl_->lanes[lane_index(lane_key)];
  ++impl_->write_queue;
  if (!lane.push(job)) {
    --impl_->write_queue;
    job.done(shut_down_error());
  }
}

bool Database::ping() {
  auto answered = std::make_shared<std::promise<bool>>();
  auto future = answered->get_future();
  Job job;
  job.run = [](Session& s) { return sql::fetch_integer(s, "SELECT 1", {}) == 1; };
  job.done = [answered](std::exception_ptr error) { answered->set_value(error == nullptr); };
  submit_read(std::move(job));
  if (future.wait_for(kPingTimeout) != std::future_status::ready) return false;
  return future.get();
}

Database::Stats Database::stats() const {
  Stats s;
  s.reads = impl_->read_count.load();
  s.writes = impl_->write_count.load();
  s.commits = impl_->commit_count.load();
  s.read_queue = impl_->read_queue.load();
  s.write_queue = impl_->write_queue.load();
  return s;
}

}  // namespace attendance::storage
