#pragma once
// The Loader over storage::Database: every load is one Database::read job on a database thread.

#include "aggregate/loader.hpp"
#include "storage/database.hpp"

namespace attendance::aggregate {

class StorageLoader final : public Loader {
 public:
  explicit StorageLoader(storage::Database& database) : database_(database) {}

  // find_school, then every user of the school (paged by id), then every closure: one read job.
  boost::asio::awaitable<std::optional<SchoolRecord>> load_school(domain::Id school_id) override;

  // One lean query (user, instant, type only), served by the (school_id, timestamp) index.
  boost::asio::awaitable<std::vector<domain::PresenceEvent>> load_events(domain::Id school_id,
                                                                         domain::Timestamp from,
                                                                         domain::Timestamp to) override;

  // soci errors (lost connection, busy or locked database) and TransientLoadError.
  bool is_transient(std::exception_ptr error) const override;

 private:
  storage::Database& database_;
};

}  // namespace attendance::aggregate
