#pragma once
// Ends the live streams whose API token was revoked (or deleted with its school) after the
// stream opened. A stream is authorised once, when it opens, and may stay open for hours, so
// every tokens notice, from this process or another, has the open streams' tokens checked again
// against the database. An ended stream's page reconnects and is refused with 401.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

namespace attendance::storage {
class Database;
}

namespace attendance::http::live {

class Hub;

class RevokedStreams {
 public:
  RevokedStreams(storage::Database& db, Hub& hub, boost::asio::any_io_executor executor)
      : db_(db), hub_(hub), executor_(std::move(executor)) {}

  // Schedules the check; returns at once. Safe on any thread.
  void check();

 private:
  static boost::asio::awaitable<void> end_revoked(RevokedStreams* self);

  storage::Database& db_;
  Hub& hub_;
  boost::asio::any_io_executor executor_;
};

}  // namespace attendance::http::live
