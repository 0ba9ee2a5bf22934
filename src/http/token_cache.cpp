#include "http/token_cache.hpp"

namespace attendance::http {

std::uint64_t TokenCache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

std::optional<Principal> TokenCache::find(const std::string& secret_hash, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(secret_hash);
  if (found == entries_.end()) return std::nullopt;
  if (now - found->second.stored > options_.max_age) {
    entries_.erase(found);
    return std::nullopt;
  }
  return found->second.principal;
}

void TokenCache::remember(const std::string& secret_hash, const Principal& principal, std::uint64_t generation,
                          Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;
  // Tokens are few (one per kiosk or admin); reaching the bound means someone is cycling
  // secrets, and starting over is cheaper than tracking recency.
  if (entries_.size() >= options_.max_entries) entries_.clear();
  entries_.insert_or_assign(secret_hash, Entry{principal, now});
}

void TokenCache::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  ++generation_;
}

std::size_t TokenCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace attendance::http
