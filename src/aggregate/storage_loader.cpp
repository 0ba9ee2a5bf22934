#include "aggregate/storage_loader.hpp"

#include "storage/database_error.hpp"
#include "storage/repositories.hpp"
#include "storage/sql.hpp"

namespace attendance::aggregate {
namespace {

constexpr int kUserPage = 1000;

// The three columns the presence rules need; no ORDER BY: the worker buckets events by local day
// and sorts each day itself, in parallel.
constexpr std::string_view kEventsOfSchoolBetween =
    "SELECT user_id, @ts(\"timestamp\"), CASE WHEN type = 'checkin' THEN 1 ELSE 0 END FROM attendances"
    " WHERE school_id = :school_id AND \"timestamp\" >= @at(:from) AND \"timestamp\" < @at(:to)";

struct EventRow {
  long long user_id = 0, timestamp = 0, checkin = 0;
  void bind(soci::statement& st) {
    st.exchange(soci::into(user_id));
    st.exchange(soci::into(timestamp));
    st.exchange(soci::into(checkin));
  }
  domain::PresenceEvent value() const {
    return domain::PresenceEvent{user_id, storage::sql::timestamp_of_micros(timestamp),
                                 checkin != 0 ? domain::EventType::checkin : domain::EventType::checkout};
  }
};

std::optional<SchoolRecord> read_school(storage::Session& session, domain::Id school_id) {
  auto school = storage::find_school(session, school_id);
  if (!school) return std::nullopt;
  SchoolRecord record;
  record.school = std::move(*school);
  storage::Page page;
  page.limit = kUserPage;
  for (;;) {
    auto users = storage::list_users(session, storage::UserFilter{school_id}, page);
    const bool last = users.size() < static_cast<std::size_t>(kUserPage);
    if (!users.empty()) page.after = users.back().id;
    for (auto& user : users) record.users.push_back(std::move(user));
    if (last) break;
  }
  record.closures = storage::list_closures(session, school_id, std::nullopt, std::nullopt);
  return record;
}

}  // namespace

boost::asio::awaitable<std::optional<SchoolRecord>> StorageLoader::load_school(domain::Id school_id) {
  auto pending = database_.read([school_id](storage::Session& session) { return read_school(session, school_id); });
  co_return co_await std::move(pending);
}

boost::asio::awaitable<std::vector<domain::PresenceEvent>> StorageLoader::load_events(domain::Id school_id,
                                                                                      domain::Timestamp from,
                                                                                      domain::Timestamp to) {
  auto pending = database_.read([school_id, from, to](storage::Session& session) {
    using storage::sql::Param;
    return storage::sql::fetch_all<EventRow>(
        session, kEventsOfSchoolBetween,
        {Param::of(static_cast<long long>(school_id)), Param::of(storage::sql::micros_of(from)),
         Param::of(storage::sql::micros_of(to))});
  });
  co_return co_await std::move(pending);
}

bool StorageLoader::is_transient(std::exception_ptr error) const {
  try {
    std::rethrow_exception(error);
  } catch (const storage::DatabaseError&) {
    return true;
  } catch (const soci::soci_error&) {
    return true;
  } catch (const TransientLoadError&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace attendance::aggregate
