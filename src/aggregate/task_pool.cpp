#include "aggregate/task_pool.hpp"

#include <algorithm>

namespace attendance::aggregate {

TaskPool::TaskPool(std::size_t threads) : threads_(std::max<std::size_t>(1, threads)), pool_(threads_) {}

TaskPool::~TaskPool() {
  pool_.stop();
  pool_.join();
}

void TaskPool::stop() {
  pool_.stop();
  pool_.join();
}

}  // namespace attendance::aggregate
