#pragma once
// Blocking forms of Database::read / write (startup, tools, tests).

#include <future>

#include "storage/database.hpp"

namespace attendance::storage {

namespace detail {
template <class F, class Submit>
auto run_blocking(F fn, Submit submit) -> std::invoke_result_t<F&, Session&> {
  using R = std::invoke_result_t<F&, Session&>;
  auto slot = std::make_shared<std::optional<R>>();
  auto finished = std::make_shared<std::promise<void>>();
  auto future = finished->get_future();
  Database::Job job;
  job.run = [slot, fn = std::move(fn)](Session& session) mutable {
    slot->emplace(fn(session));
    return keeps_changes(**slot);
  };
  job.done = [finished](std::exception_ptr error) {
    if (error) finished->set_exception(error);
    else finished->set_value();
  };
  submit(std::move(job));
  future.get();
  return std::move(**slot);
}
}  // namespace detail

template <class F>
auto Database::read_now(F fn) -> std::invoke_result_t<F&, Session&> {
  return detail::run_blocking(std::move(fn), [this](Job job) { submit_read(std::move(job)); });
}

template <class F>
auto Database::write_now(F fn) -> std::invoke_result_t<F&, Session&> {
  return detail::run_blocking(std::move(fn), [this](Job job) { submit_write(0, std::move(job)); });
}

}  // namespace attendance::storage
