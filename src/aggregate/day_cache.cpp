#include "aggregate/day_cache.hpp"

namespace attendance::aggregate {
namespace {
std::int64_t day_number(domain::LocalDate day) { return day.time_since_epoch().count(); }
}  // namespace

DayCache::DayCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

DayCache::Stamp DayCache::stamp() const {
  std::lock_guard lock(mutex_);
  return stamp_;
}

std::shared_ptr<const domain::DayResult> DayCache::find_day(domain::Id school_id, domain::LocalDate day) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(Key{school_id, day_number(day)});
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return std::get<std::shared_ptr<const domain::DayResult>>(it->second->value);
}

void DayCache::put_day(domain::Id school_id, std::shared_ptr<const domain::DayResult> day, Stamp read_at) {
  if (!day || day->today) return;
  std::lock_guard lock(mutex_);
  const auto number = day_number(day->date);
  if (!fresh_locked(school_id, number, read_at)) return;
  const std::size_t bytes = day->bytes() + sizeof(Entry) + 64;
  insert_locked(Key{school_id, number}, std::move(day), bytes);
  days_of_school_[school_id].insert(number);
}

std::shared_ptr<const SchoolData> DayCache::find_school(domain::Id school_id) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(Key{school_id, kSchoolSlot});
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return std::get<std::shared_ptr<const SchoolData>>(it->second->value);
}

void DayCache::put_school(std::shared_ptr<const SchoolData> school, Stamp read_at) {
  if (!school) return;
  std::lock_guard lock(mutex_);
  const auto school_id = school->school.id;
  if (!fresh_locked(school_id, std::nullopt, read_at)) return;
  const std::size_t bytes = school->bytes() + sizeof(Entry) + 64;
  insert_locked(Key{school_id, kSchoolSlot}, std::move(school), bytes);
}

void DayCache::invalidate_day(domain::Id school_id, domain::LocalDate day) {
  std::lock_guard lock(mutex_);
  const auto number = day_number(day);
  auto& records = day_invalidated_[school_id];
  if (records.emplace(number, 0).second) ++day_records_;
  records[number] = ++stamp_;
  erase_locked(Key{school_id, number});
  if (auto it = days_of_school_.find(school_id); it != days_of_school_.end()) it->second.erase(number);
  if (day_records_ > kMaxDayRecords) {
    // Fold every day record into one floor: conservative (older computations can't cache), bounded.
    floor_ = stamp_;
    day_invalidated_.clear();
    day_records_ = 0;
  }
}

void DayCache::invalidate_school(domain::Id school_id) {
  std::lock_guard lock(mutex_);
  school_invalidated_[school_id] = ++stamp_;
  if (auto it = day_invalidated_.find(school_id); it != day_invalidated_.end()) {
    day_records_ -= it->second.size();  // the school record now covers them
    day_invalidated_.erase(it);
  }
  erase_locked(Key{school_id, kSchoolSlot});
  if (auto it = days_of_school_.find(school_id); it != days_of_school_.end()) {
    for (const auto number : it->second) erase_locked(Key{school_id, number});
    days_of_school_.erase(it);
  }
}

void DayCache::invalidate_all() {
  std::lock_guard lock(mutex_);
  // The floor covers every older record, so they can go too.
  floor_ = ++stamp_;
  school_invalidated_.clear();
  day_invalidated_.clear();
  day_records_ = 0;
  lru_.clear();
  index_.clear();
  days_of_school_.clear();
  bytes_ = 0;
}

bool DayCache::unchanged_since(domain::Id school_id, domain::LocalDate from, domain::LocalDate to,
                               Stamp since) const {
  std::lock_guard lock(mutex_);
  if (floor_ > since) return false;
  if (const auto it = school_invalidated_.find(school_id); it != school_invalidated_.end() && it->second > since) {
    return false;
  }
  const auto records = day_invalidated_.find(school_id);
  if (records == day_invalidated_.end()) return true;
  for (auto it = records->second.lower_bound(day_number(from));
       it != records->second.end() && it->first <= day_number(to); ++it) {
    if (it->second > since) return false;
  }
  return true;
}

DayCache::Stats DayCache::stats() const {
  std::lock_guard lock(mutex_);
  Stats stats;
  stats.bytes = bytes_;
  stats.evictions = evictions_;
  for (const auto& entry : lru_) {
    if (entry.key.day == kSchoolSlot) ++stats.schools;
    else ++stats.days;
  }
  return stats;
}

bool DayCache::fresh_locked(domain::Id school_id, std::optional<std::int64_t> day, Stamp read_at) const {
  if (floor_ > read_at) return false;
  if (const auto it = school_invalidated_.find(school_id); it != school_invalidated_.end() && it->second > read_at) {
    return false;
  }
  if (!day) return true;
  const auto records = day_invalidated_.find(school_id);
  if (records == day_invalidated_.end()) return true;
  const auto it = records->second.find(*day);
  return it == records->second.end() || it->second <= read_at;
}

void DayCache::insert_locked(Key key, Value value, std::size_t bytes) {
  erase_locked(key);
  if (bytes > max_bytes_) return;
  lru_.push_front(Entry{key, std::move(value), bytes});
  index_[key] = lru_.begin();
  bytes_ += bytes;
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    const Key victim = lru_.back().key;
    if (victim.day != kSchoolSlot) {
      if (auto it = days_of_school_.find(victim.school_id); it != days_of_school_.end()) it->second.erase(victim.day);
    }
    erase_locked(victim);
    ++evictions_;
  }
}

void DayCache::erase_locked(const Key& key) {
  const auto it = index_.find(key);
  if (it == index_.end()) return;
  bytes_ -= it->second->bytes;
  lru_.erase(it->second);
  index_.erase(it);
}

}  // namespace attendance::aggregate
