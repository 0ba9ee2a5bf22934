#pragma once
// Waits for a condition another thread makes true, with a deadline instead of a fixed sleep:
// a busy machine only makes the wait longer, never the test wrong.
//
//   ASSERT_TRUE(eventually([&] { return supervisor.running() == 0; }));

#include <chrono>
#include <thread>

namespace attendance::test_support {

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  for (auto deadline = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < deadline;) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return pred();
}

}  // namespace attendance::test_support
