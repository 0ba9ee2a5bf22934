#include "aggregate/school_data.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "domain/time.hpp"

namespace attendance::aggregate {

std::size_t SchoolData::bytes() const {
  std::size_t total = sizeof(SchoolData) + users.capacity() * sizeof(domain::PresenceUser) +
                      names.capacity() * sizeof(std::string) +
                      external_ids.capacity() * sizeof(std::optional<std::string>) +
                      rules.closures.capacity() * sizeof(domain::LocalDate);
  for (const auto& name : names) total += name.capacity();
  for (const auto& external_id : external_ids) total += external_id ? external_id->capacity() : 0;
  return total;
}

std::shared_ptr<const SchoolData> make_school_data(SchoolRecord record) {
  const auto* zone = domain::find_time_zone(record.school.timezone);
  if (zone == nullptr) throw std::runtime_error("unknown time zone of school " + std::to_string(record.school.id));
  std::vector<domain::LocalDate> closures;
  closures.reserve(record.closures.size());
  for (const auto& closure : record.closures) closures.push_back(closure.date);

  auto data = std::make_shared<SchoolData>();
  data->rules = domain::PresenceRules::of(record.school, zone, std::move(closures));
  std::sort(record.users.begin(), record.users.end(),
            [](const domain::User& a, const domain::User& b) { return a.id < b.id; });
  data->users.reserve(record.users.size());
  data->names.reserve(record.users.size());
  data->external_ids.reserve(record.users.size());
  for (auto& user : record.users) {
    data->users.push_back(domain::PresenceUser{user.id, user.enrolled_on});
    data->names.push_back(std::move(user.name));
    data->external_ids.push_back(std::move(user.external_id));
  }
  data->school = std::move(record.school);
  return data;
}

}  // namespace attendance::aggregate
