#pragma once
// After a write commits, whoever keeps state derived from the data (the aggregate cache, live
// streams) hears of it here, so that a read after a write never sees the old answer.

#include <string>

#include "domain/types.hpp"
#include "http/context.hpp"

namespace attendance::http {

enum class Change { recorded, deleted };

// An event of this school was recorded or deleted (the school is needed for its local date and
// fever threshold, the user's name for the fever alert).
void attendance_changed(AppContext& app, const domain::School& school, const domain::Attendance& event,
                        Change change, const std::string& user_name);

// Users, closures or settings of the school changed: every cached day of it is stale.
void school_changed(AppContext& app, domain::Id school_id);

// API tokens were revoked or deleted: whatever remembers authenticated tokens forgets them.
void tokens_changed(AppContext& app);

}  // namespace attendance::http
