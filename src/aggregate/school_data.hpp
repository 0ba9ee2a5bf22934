#pragma once
// What a computation needs to know about a school besides its events: settings, users and
// closures, as one immutable snapshot shared by the cache and the workers.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/presence.hpp"
#include "domain/types.hpp"

namespace attendance::aggregate {

// As loaded from storage (see Loader::load_school).
struct SchoolRecord {
  domain::School school;
  std::vector<domain::User> users;
  std::vector<domain::Closure> closures;
};

struct SchoolData {
  domain::School school;
  domain::PresenceRules rules;
  std::vector<domain::PresenceUser> users;  // sorted by id
  std::vector<std::string> names;           // names[i] is the name of users[i]
  std::vector<std::optional<std::string>> external_ids;  // and external_ids[i] its card number

  std::size_t bytes() const;
};

// Throws std::runtime_error when the stored time zone is unknown to this machine's tz database
// (validated on write, so only a corrupt row or a tzdata downgrade gets here).
std::shared_ptr<const SchoolData> make_school_data(SchoolRecord record);

}  // namespace attendance::aggregate
