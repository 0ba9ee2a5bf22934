#include "http/live/hub.hpp"

#include <algorithm>

#include "http/json_text.hpp"

namespace attendance::http::live {

std::string sse_message(std::string_view event, const boost::json::value& data) {
  std::string message = "event: ";
  message += event;
  message += "\ndata: ";
  message += to_json_text(data);  // JSON text has no raw newlines, so one data line suffices
  message += "\n\n";
  return message;
}

std::shared_ptr<Subscription> Hub::subscribe(boost::asio::any_io_executor executor, domain::Id school_id,
                                             domain::Id token_id) {
  std::lock_guard lock(mutex_);
  if (open_ >= options_.max_streams) return nullptr;
  auto subscription =
      std::make_shared<Subscription>(std::move(executor), school_id, token_id, options_.queue_capacity);
  by_school_[school_id].push_back(subscription);
  ++open_;
  return subscription;
}

void Hub::unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  std::lock_guard lock(mutex_);
  auto found = by_school_.find(subscription->school_id());
  if (found == by_school_.end()) return;
  auto& list = found->second;
  auto it = std::find(list.begin(), list.end(), subscription);
  if (it == list.end()) return;
  list.erase(it);
  --open_;
  if (list.empty()) by_school_.erase(found);
}

std::vector<std::shared_ptr<Subscription>> Hub::subscribers_of(domain::Id school_id) const {
  std::lock_guard lock(mutex_);
  auto found = by_school_.find(school_id);
  if (found == by_school_.end()) return {};
  return found->second;
}

void Hub::publish(domain::Id school_id, std::string_view event, const boost::json::value& data) {
  auto targets = subscribers_of(school_id);
  if (targets.empty()) return;
  auto message = sse_message(event, data);
  for (auto& subscription : targets) {
    if (!subscription->offer(message) && subscription->close()) ++dropped_;
  }
}

void Hub::publish_occupancy(domain::Id school_id, std::int64_t checked_in_now) {
  auto targets = subscribers_of(school_id);
  if (targets.empty()) return;
  auto message = sse_message("occupancy", occupancy_json(school_id, checked_in_now));
  for (auto& subscription : targets) {
    if (!subscription->offer_occupancy(checked_in_now, message) && subscription->close()) ++dropped_;
  }
}

boost::json::object occupancy_json(domain::Id school_id, std::int64_t checked_in_now) {
  return {{"school_id", school_id}, {"checked_in_now", checked_in_now}};
}

bool Hub::has_subscribers(domain::Id school_id) const {
  std::lock_guard lock(mutex_);
  return by_school_.contains(school_id);
}

void Hub::close_all() {
  std::lock_guard lock(mutex_);
  for (auto& [school, list] : by_school_) {
    for (auto& subscription : list) subscription->close();
  }
}

std::vector<domain::Id> Hub::stream_tokens() const {
  std::vector<domain::Id> tokens;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [school, list] : by_school_) {
      for (const auto& subscription : list) tokens.push_back(subscription->token_id());
    }
  }
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

void Hub::close_streams_of(const std::vector<domain::Id>& token_ids) {
  std::lock_guard lock(mutex_);
  for (auto& [school, list] : by_school_) {
    for (auto& subscription : list) {
      if (std::find(token_ids.begin(), token_ids.end(), subscription->token_id()) != token_ids.end()) {
        subscription->close();
      }
    }
  }
}

std::size_t Hub::open_streams() const {
  std::lock_guard lock(mutex_);
  return open_;
}

}  // namespace attendance::http::live
