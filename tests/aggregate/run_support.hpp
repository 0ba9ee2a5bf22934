#pragma once
// Runs coroutines of the service to completion on a private io_context standing in for the HTTP
// threads.

#include <future>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace attendance::aggregate::testing {

template <class T>
T run_now(boost::asio::awaitable<T> work) {
  boost::asio::io_context io;
  auto future = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  io.run();
  return future.get();
}

// Runs every coroutine concurrently on one io_context; futures in the same order.
template <class T>
std::vector<std::future<T>> run_together(std::vector<boost::asio::awaitable<T>> works) {
  boost::asio::io_context io;
  std::vector<std::future<T>> futures;
  for (auto& work : works) futures.push_back(boost::asio::co_spawn(io, std::move(work), boost::asio::use_future));
  io.run();
  return futures;
}

}  // namespace attendance::aggregate::testing
