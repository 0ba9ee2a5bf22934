#pragma once
// An in-memory Loader for pipeline tests, with injectable delays and faults.

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "aggregate/loader.hpp"

namespace attendance::aggregate::testing {

class FakeLoader final : public Loader {
 public:
  struct School {
    SchoolRecord record;
    std::vector<domain::PresenceEvent> events;
  };

  void put_school(SchoolRecord record, std::vector<domain::PresenceEvent> events = {}) {
    std::lock_guard lock(mutex_);
    const auto id = record.school.id;
    schools_[id] = School{std::move(record), std::move(events)};
  }
  void add_event(domain::Id school_id, domain::PresenceEvent event) {
    std::lock_guard lock(mutex_);
    schools_.at(school_id).events.push_back(event);
  }
  void add_user(domain::Id school_id, domain::User user) {
    std::lock_guard lock(mutex_);
    schools_.at(school_id).record.users.push_back(std::move(user));
  }

  // Every load waits this long first (a slow database).
  std::atomic<int> delay_ms{0};
  // The next n loads throw a TransientLoadError (a lost connection).
  std::atomic<int> transient_failures{0};
  // Every load throws a non-transient error (a broken query).
  std::atomic<bool> broken{false};
  std::atomic<int> school_loads{0};
  std::atomic<int> event_loads{0};

  // Both loads read the data first and then wait: what a slow query returns is what the
  // database held when it started.
  boost::asio::awaitable<std::optional<SchoolRecord>> load_school(domain::Id school_id) override {
    ++school_loads;
    std::optional<SchoolRecord> record;
    {
      std::lock_guard lock(mutex_);
      const auto it = schools_.find(school_id);
      if (it != schools_.end()) record = it->second.record;
    }
    co_await before_load();
    co_return record;
  }

  boost::asio::awaitable<std::vector<domain::PresenceEvent>> load_events(domain::Id school_id, domain::Timestamp from,
                                                                         domain::Timestamp to) override {
    ++event_loads;
    std::vector<domain::PresenceEvent> events;
    {
      std::lock_guard lock(mutex_);
      for (const auto& event : schools_.at(school_id).events) {
        if (event.at >= from && event.at < to) events.push_back(event);
      }
    }
    co_await before_load();
    co_return events;
  }

  bool is_transient(std::exception_ptr error) const override {
    try {
      std::rethrow_exception(error);
    } catch (const TransientLoadError&) {
      return true;
    } catch (...) {
      return false;
    }
  }

 private:
  boost::asio::awaitable<void> before_load() {
    if (const int ms = delay_ms.load(); ms > 0) {
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, std::chrono::milliseconds(ms));
      co_await timer.async_wait(boost::asio::use_awaitable);
    }
    if (broken) throw std::runtime_error("broken query");
    if (transient_failures.fetch_sub(1) > 0) throw TransientLoadError("connection lost");
  }

  std::mutex mutex_;
  std::map<domain::Id, School> schools_;
};

}  // namespace attendance::aggregate::testing
