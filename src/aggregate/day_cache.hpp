#pragma once
// The data cache of DESIGN.md section 6: DayResults per (school, local date) for past days, and
// each school's snapshot (settings, users, closures), in one LRU bounded by approximate bytes.
//
// Freshness. Every invalidation takes the next value of a stamp counter and records it on what
// it invalidates (a day of a school, or a whole school). A computation takes stamp() BEFORE it
// reads anything, and its put_*() calls are dropped when anything they cover was invalidated
// after that stamp: a computation that read old data can never cache it once the write's
// invalidation has happened. Writers call invalidate_*() after their commit and before replying,
// so a read that follows the reply sees the new data.
//
// Thread-safe; one mutex (every operation is a few map lookups).

#include <climits>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <variant>

#include "aggregate/school_data.hpp"
#include "domain/presence.hpp"

namespace attendance::aggregate {

class DayCache {
 public:
  using Stamp = std::uint64_t;

  explicit DayCache(std::size_t max_bytes);

  // Take before reading any data that may be put back.
  Stamp stamp() const;

  std::shared_ptr<const domain::DayResult> find_day(domain::Id school_id, domain::LocalDate day);
  // Dropped when the day or the school was invalidated after `read_at`, or when day.today.
  void put_day(domain::Id school_id, std::shared_ptr<const domain::DayResult> day, Stamp read_at);

  std::shared_ptr<const SchoolData> find_school(domain::Id school_id);
  void put_school(std::shared_ptr<const SchoolData> school, Stamp read_at);

  // An event of this school and local date was written or deleted.
  void invalidate_day(domain::Id school_id, domain::LocalDate day);
  // Users, closures or settings of the school changed, or it was deleted: everything of it goes.
  void invalidate_school(domain::Id school_id);
  // Anything may have changed (notices from other processes were missed): everything goes.
  void invalidate_all();

  // Whether nothing of the school within [from, to] was invalidated after `since`.
  bool unchanged_since(domain::Id school_id, domain::LocalDate from, domain::LocalDate to, Stamp since) const;

  struct Stats {
    std::size_t bytes = 0, days = 0, schools = 0, evictions = 0;
  };
  Stats stats() const;

 private:
  struct Key {
    domain::Id school_id;
    std::int64_t day;  // days since epoch; kSchoolSlot for the school snapshot
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const {
      return std::hash<std::int64_t>()(key.school_id * 1'000'003 + key.day);
    }
  };
  using Value = std::variant<std::shared_ptr<const domain::DayResult>, std::shared_ptr<const SchoolData>>;
  struct Entry {
    Key key;
    Value value;
    std::size_t bytes;
  };
  static constexpr std::int64_t kSchoolSlot = INT64_MIN;
  // Day invalidation records kept before they are folded into floor_.
  static constexpr std::size_t kMaxDayRecords = 200'000;

  bool fresh_locked(domain::Id school_id, std::optional<std::int64_t> day, Stamp read_at) const;
  void insert_locked(Key key, Value value, std::size_t bytes);
  void erase_locked(const Key& key);

  mutable std::mutex mutex_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::size_t evictions_ = 0;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index_;
  std::unordered_map<domain::Id, std::set<std::int64_t>> days_of_school_;  // cached days, for invalidate_school

  Stamp stamp_ = 0;
  Stamp floor_ = 0;  // puts read before this are dropped (day records were folded into it)
  std::unordered_map<domain::Id, Stamp> school_invalidated_;
  std::unordered_map<domain::Id, std::map<std::int64_t, Stamp>> day_invalidated_;
  std::size_t day_records_ = 0;
};

}  // namespace attendance::aggregate
