#pragma once
// Prepared statements of one connection, kept between jobs.
//
// Preparing is most of the cost of a small query: SQLite compiles the SQL to byte code each time,
// PostgreSQL parses and plans it. A connection keeps each statement it ran, with the variables its
// parameters and result columns are bound to, and runs it again with new values. On PostgreSQL a
// kept statement is a named server-side prepared statement, so running it again is one round trip
// with no parsing.
//
// Owned by its Connection and destroyed before the SOCI session it belongs to (a reopened
// connection starts with an empty cache). Not thread-safe: a connection is used by one thread.

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace attendance::storage {

class StatementCache {
 public:
  // What the cache keeps for one statement; sql.hpp defines the concrete kinds.
  struct Entry {
    virtual ~Entry() = default;
  };

  // The entry kept under key, or null.
  Entry* find(const std::string& key) const {
    auto found = entries_.find(key);
    return found == entries_.end() ? nullptr : found->second.get();
  }

  // Keeps entry under key, replacing any entry there; returns it. Past kMaxEntries the cache is
  // emptied first: queries are constants of the code plus a few filter combinations, so this only
  // bounds a mistake.
  Entry* keep(const std::string& key, std::unique_ptr<Entry> entry) {
    if (entries_.size() >= kMaxEntries) clear();
    auto& slot = entries_[key];
    retire(std::move(slot));
    slot = std::move(entry);
    return slot.get();
  }

  // Drops the entry of a statement that failed, so its next use starts from a fresh prepare.
  void forget(const std::string& key) {
    auto found = entries_.find(key);
    if (found == entries_.end()) return;
    retire(std::move(found->second));
    entries_.erase(found);
  }

  void clear() {
    for (auto& [key, entry] : entries_) retire(std::move(entry));
    entries_.clear();
    ++clears_;
  }
  std::size_t size() const { return entries_.size(); }
  // How many times the cache was emptied.
  std::size_t clears() const { return clears_; }

  // Held while entries are in use: a scan stepping its statement while its visitor runs other
  // queries, a batch keeping one statement after another. Entries dropped meanwhile (a full cache
  // emptied, a failed statement forgotten) are freed only when the last hold ends, so no statement
  // in use is freed under its user. Holding a null cache does nothing.
  class Hold {
   public:
    explicit Hold(StatementCache* cache) : cache_(cache) {
      if (cache_) ++cache_->holds_;
    }
    ~Hold() {
      if (cache_ && --cache_->holds_ == 0) cache_->retired_.clear();
    }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    StatementCache* cache_;
  };

  static constexpr std::size_t kMaxEntries = 256;

 private:
  void retire(std::unique_ptr<Entry> entry) {
    if (entry && holds_ > 0) retired_.push_back(std::move(entry));
  }

  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
  std::vector<std::unique_ptr<Entry>> retired_;  // dropped while held; freed when the holds end
  std::size_t holds_ = 0;
  std::size_t clears_ = 0;
};

// The Entry kept in cache under key, made by make() and kept when there is none; without a cache,
// one made into `once`, for this use alone.
template <class Entry, class Make>
Entry& kept_or_made(StatementCache* cache, const std::string& key, Make make, std::unique_ptr<Entry>& once) {
  if (!cache) return *(once = make());
  if (auto* kept = cache->find(key)) return *static_cast<Entry*>(kept);
  return *static_cast<Entry*>(cache->keep(key, make()));
}

// Runs run(entry) on kept_or_made's Entry, holding the cache, so run may query meanwhile. An entry
// whose run throws is dropped, so nothing of a failed run is reused.
template <class Entry, class Make, class Run>
auto with_kept_entry(StatementCache* cache, const std::string& key, Make make, Run run) {
  const StatementCache::Hold hold(cache);
  std::unique_ptr<Entry> once;
  auto& kept = kept_or_made<Entry>(cache, key, make, once);
  try {
    return run(kept);
  } catch (...) {
    if (cache) cache->forget(key);
    throw;
  }
}

}  // namespace attendance::storage
