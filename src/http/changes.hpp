#pragma once
// After a write commits, whoever keeps state derived from the data (the aggregate cache, live
// streams, cached token lookups) hears of it here, so that a read after a write never sees the
// old answer. Each change is applied to this process and, on PostgreSQL, announced to the other
// processes on the same database (http/cluster.hpp), which apply the same notice to theirs.

#include <string>

#include "domain/types.hpp"
#include "http/context.hpp"
#include "http/notices.hpp"

namespace attendance::http {

// An event of this school was recorded or deleted (the school is needed for its local date and
// fever threshold, the user's name for the fever alert).
void attendance_changed(AppContext& app, const domain::School& school, const domain::Attendance& event,
                        Change change, const std::string& user_name);

// A client_id retry was answered with the event stored the first time. That first answer may have
// been lost with its connection after the commit (a 503), before anyone heard of the event, so its
// day is made stale again everywhere; streams are not told (they may have shown it already).
void attendance_replayed(AppContext& app, const domain::School& school, const domain::Attendance& event);

// Users, closures or settings of the school changed: every cached day of it is stale.
void school_changed(AppContext& app, domain::Id school_id);

// API tokens were revoked or deleted (with their school): every process forgets the tokens it
// remembers (AppContext::on_tokens_changed).
void tokens_changed(AppContext& app);

// Brings this process's derived state up to date with a notice (from another process, or a
// ResetNotice after notices may have been missed). Safe on any thread.
void apply_notice(AppContext& app, const Notice& notice);

}  // namespace attendance::http
