#pragma once
// Cooperative cancellation of one computation: the supervisor requests it at the deadline, the
// worker and its tasks check it between steps and stop by throwing Cancelled.

#include <atomic>
#include <stdexcept>

namespace attendance::aggregate {

struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("aggregate computation cancelled") {}
};

class CancelToken {
 public:
  void request() { cancelled_.store(true, std::memory_order_relaxed); }
  bool requested() const { return cancelled_.load(std::memory_order_relaxed); }
  // Throws Cancelled when cancellation was requested.
  void check() const {
    if (requested()) throw Cancelled();
  }

 private:
  std::atomic<bool> cancelled_{false};
};

}  // namespace attendance::aggregate
