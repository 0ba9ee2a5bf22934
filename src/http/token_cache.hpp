#pragma once
// Recently authenticated API tokens, so a request needs no database read to know its caller.
//
// Only tokens found active are kept (never unknown secrets, which anyone can make up). Every
// change to tokens (a revocation, a deleted school's tokens, a change announced by another
// process) calls clear(), and an entry older than max_age is read again, bounding how long a
// change missed by every notification could go unseen.
//
// A lookup that misses reads the database and then remembers what it found, but only if no clear()
// happened in between: a revocation that commits while the read is in flight is never undone by
// the late remember().
//
//   if (auto known = cache.find(hash)) return *known;
//   auto generation = cache.generation();  // before the read starts
//   auto found = /* read the tokens table */;
//   if (found) cache.remember(hash, *found, generation);
//
// Thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/principal.hpp"

namespace attendance::http {

class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    std::size_t max_entries = 10'000;
    Clock::duration max_age = std::chrono::seconds(30);
  };

  explicit TokenCache(Options options) : options_(options) {}

  std::uint64_t generation() const;
  std::optional<Principal> find(const std::string& secret_hash, Clock::time_point now = Clock::now());
  // Keeps the principal unless the cache was cleared after `generation` was read.
  void remember(const std::string& secret_hash, const Principal& principal, std::uint64_t generation,
                Clock::time_point now = Clock::now());
  void clear();
  std::size_t size() const;

 private:
  struct Entry {
    Principal principal;
    Clock::time_point stored;
  };

  Options options_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;
};

}  // namespace attendance::http
