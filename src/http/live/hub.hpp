#pragma once
// Live updates for dashboards: each open stream (GET /api/schools/:id/stream) subscribes to its
// school; writers publish Server-Sent Events to every subscriber of a school.
//
// Publishing never waits: each subscription has a bounded queue, and a subscriber whose queue is
// full is closed (its page reconnects and reloads), so a slow reader can't slow recording.

#include <atomic>
#include <cstdint>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "domain/types.hpp"

namespace attendance::http::live {

// "event: NAME\ndata: JSON\n\n"
std::string sse_message(std::string_view event, const boost::json::value& data);
inline constexpr std::string_view kHeartbeat = ": heartbeat\n\n";
// The data of an `occupancy` event.
boost::json::object occupancy_json(domain::Id school_id, std::int64_t checked_in_now);

class Subscription {
 public:
  using Channel = boost::asio::experimental::concurrent_channel<void(boost::system::error_code, std::string)>;

  Subscription(boost::asio::any_io_executor executor, domain::Id school_id, domain::Id token_id, std::size_t capacity)
      : channel_(std::move(executor), capacity), school_id_(school_id), token_id_(token_id) {}

  domain::Id school_id() const { return school_id_; }
  // The API token the stream was opened with: the stream ends when it is revoked.
  domain::Id token_id() const { return token_id_; }
  Channel& channel() { return channel_; }

  // Queues without waiting; false when the queue is full or closed.
  bool offer(std::string message) { return channel_.try_send(boost::system::error_code{}, std::move(message)); }
  // Queues an occupancy event unless this stream was already sent this count; false when the
  // queue is full or closed.
  bool offer_occupancy(std::int64_t count, std::string message) {
    if (last_occupancy_.exchange(count) == count) return true;
    return offer(std::move(message));
  }

  // Ends the stream; true only for the call that closed it.
  bool close() {
    if (closed_.exchange(true)) return false;
    channel_.close();
    return true;
  }

 private:
  Channel channel_;
  std::atomic<bool> closed_{false};
  std::atomic<std::int64_t> last_occupancy_{-1};  // -1: none sent yet
  domain::Id school_id_;
  domain::Id token_id_;
};

struct HubOptions {
  std::size_t max_streams = 1000;    // open streams at most, all schools together (503 beyond)
  std::size_t queue_capacity = 256;  // messages waiting for one slow reader
};

class Hub {
 public:
  explicit Hub(HubOptions options = {}) : options_(options) {}

  // A new subscription, or null when max_streams are open.
  std::shared_ptr<Subscription> subscribe(boost::asio::any_io_executor executor, domain::Id school_id,
                                          domain::Id token_id);
  void unsubscribe(const std::shared_ptr<Subscription>& subscription);

  void publish(domain::Id school_id, std::string_view event, const boost::json::value& data);
  // An `occupancy` event, to each stream of the school whose last one said otherwise.
  void publish_occupancy(domain::Id school_id, std::int64_t checked_in_now);
  bool has_subscribers(domain::Id school_id) const;

  // Ends every stream (graceful shutdown).
  void close_all();
  // The tokens open streams were opened with, each once.
  std::vector<domain::Id> stream_tokens() const;
  // Ends the streams opened with any of these tokens.
  void close_streams_of(const std::vector<domain::Id>& token_ids);

  std::size_t open_streams() const;
  std::uint64_t dropped_slow_readers() const { return dropped_; }

 private:
  std::vector<std::shared_ptr<Subscription>> subscribers_of(domain::Id school_id) const;

  HubOptions options_;
  mutable std::mutex mutex_;
  std::unordered_map<domain::Id, std::vector<std::shared_ptr<Subscription>>> by_school_;
  std::size_t open_ = 0;
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace attendance::http::live
