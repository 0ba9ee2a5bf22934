#pragma once
// How a Worker reads the database. StorageLoader (storage_loader.hpp) reads through
// storage::Database; tests give a fake with delays and faults. Every call suspends the calling
// coroutine and never blocks its thread.

#include <exception>
#include <optional>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "aggregate/school_data.hpp"
#include "domain/presence.hpp"
#include "domain/types.hpp"

namespace attendance::aggregate {

class Loader {
 public:
  virtual ~Loader() = default;

  // The school with all its users and closures; empty when there is no such school.
  // Throws when the database fails.
  virtual boost::asio::awaitable<std::optional<SchoolRecord>> load_school(domain::Id school_id) = 0;

  // The school's events with from <= timestamp < to, in any order. Throws when the database fails.
  virtual boost::asio::awaitable<std::vector<domain::PresenceEvent>> load_events(domain::Id school_id,
                                                                                 domain::Timestamp from,
                                                                                 domain::Timestamp to) = 0;

  // Whether a load that failed with `error` may succeed when tried again (a lost connection, a
  // busy database); such a failure is retried once.
  virtual bool is_transient(std::exception_ptr error) const = 0;
};

// Thrown by loaders for failures known to be transient.
struct TransientLoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace attendance::aggregate
