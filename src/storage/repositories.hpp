#pragma once
// Every query the service runs, as plain functions over a borrowed Session.
// They run on database threads (see Database::read/write), never on HTTP threads.
// Expected absences are std::optional / bool; a broken database throws soci::soci_error.
// Write functions assume they run inside Database::write's transaction.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "domain/types.hpp"
#include "storage/session.hpp"

namespace attendance::storage {

using domain::Id;
using domain::LocalDate;
using domain::Timestamp;

// Keyset page: rows with id > after, ascending by id, at most limit rows.
struct Page {
  std::optional<Id> after;
  int limit = 100;
};
// The limit asked for most: the API's default page of 100 rows, plus the row that tells whether
// another page follows. Pages with this limit have it written in their statement, where
// PostgreSQL's planner can see it (page_order.hpp).
inline constexpr int kDefaultPageFetch = 101;

// ---- schools ----
std::vector<domain::School> list_schools(Session& s, std::optional<Id> only_school, const Page& page);
std::optional<domain::School> find_school(Session& s, Id id);
// Stores every field but id and the timestamps, which it sets; returns the stored row.
domain::School insert_school(Session& s, const domain::School& school);
// Overwrites every settable field of school.id and bumps updated_at; returns the stored row.
domain::School update_school(Session& s, const domain::School& school);
// Deletes the school with its closures, users, attendances and scoped tokens.
void delete_school(Session& s, Id id);
std::int64_t count_users_of_school(Session& s, Id school_id);

// ---- closures ----
std::vector<domain::Closure> list_closures(Session& s, Id school_id, std::optional<LocalDate> from,
                                           std::optional<LocalDate> to);
// Inserts or replaces the reason of (school_id, date).
void upsert_closure(Session& s, const domain::Closure& closure);
bool delete_closure(Session& s, Id school_id, LocalDate date);

// ---- users ----
struct UserFilter {
  std::optional<Id> school_id;
};
std::vector<domain::User> list_users(Session& s, const UserFilter& filter, const Page& page);
std::optional<domain::User> find_user(Session& s, Id id);
// Same as find_user, and on PostgreSQL locks the row until the transaction ends, so that
// concurrent writers of one user's events (even in other processes) take turns.
std::optional<domain::User> find_user_for_update(Session& s, Id id);
// The user and the user's school, in one query; the user's row is locked as by find_user_for_update.
struct UserWithSchool {
  domain::User user;
  domain::School school;
};
std::optional<UserWithSchool> find_user_with_school_for_update(Session& s, Id user_id);
// The users that exist among user_ids, each with its school, ordered by id; rows locked as above.
std::vector<UserWithSchool> find_users_with_schools_for_update(Session& s, const std::vector<Id>& user_ids);
std::optional<domain::User> find_user_by_external_id(Session& s, Id school_id, const std::string& external_id);
domain::User insert_user(Session& s, const domain::User& user);
domain::User update_user(Session& s, const domain::User& user);
// Deletes the user and the user's attendances.
void delete_user(Session& s, Id id);
std::int64_t count_attendances_of_user(Session& s, Id user_id);

// ---- attendances ----
struct AttendanceFilter {
  std::optional<Id> school_id;
  std::optional<Id> user_id;
  std::optional<domain::EventType> type;
  std::optional<Timestamp> from;  // timestamp >= from
  std::optional<Timestamp> to;    // timestamp <= to
};
std::vector<domain::Attendance> list_attendances(Session& s, const AttendanceFilter& filter, const Page& page);
// Several pages, one after the other: each page's rows are written over the first elements of
// `rows` (which grows when it is shorter), so Attendances kept from one page to the next keep their
// memory, and then on_page(i, count) is called with the number of rows of pages[i] (elements past
// it are left as they were). on_page may run queries on s. On PostgreSQL every page's query goes
// in one round trip.
struct AttendancePage {
  AttendanceFilter filter;
  Page page;
};
void fetch_attendance_pages(Session& s, std::span<const AttendancePage> pages, std::vector<domain::Attendance>& rows,
                            const std::function<void(std::size_t page, std::size_t count)>& on_page);
std::optional<domain::Attendance> find_attendance(Session& s, Id id);
// The attendances among ids that exist, each with its school's fever threshold, in one query
// (in no particular order).
std::vector<std::pair<domain::Attendance, double>> find_attendances_with_fever_thresholds(Session& s,
                                                                                       const std::vector<Id>& ids);
// The user's events with from <= timestamp < to, oldest first.
std::vector<domain::Attendance> attendances_of_user_between(Session& s, Id user_id, Timestamp from, Timestamp to);
// What recording an event of a user needs to know (recent_events_among): the user's events with
// from <= timestamp < to (oldest first), the user's latest event, wherever it is, and the event
// stored earlier with this client_id, if any.
struct RecentEvents {
  std::vector<domain::Attendance> between;
  std::optional<domain::Attendance> latest;
  std::optional<domain::Attendance> same_client_id;
};
// For many recordings at once: one query returns every row that any of them needs.
struct RecentQuery {
  Id user_id = 0;
  Timestamp from, to;
  std::optional<std::string> client_id;
};
// Each row at most once, ordered by (user_id, timestamp, id).
std::vector<domain::Attendance> events_around(Session& s, const std::vector<RecentQuery>& queries);
// RecentEvents from `events`: one user's rows ordered by (timestamp, id), holding at least the rows
// events_around returns for the query (more do no harm).
RecentEvents recent_events_among(const std::vector<domain::Attendance>& events, Timestamp from, Timestamp to,
                                 const std::optional<std::string>& client_id);
// The school's events with from <= timestamp < to, ordered by (user_id, timestamp).
std::vector<domain::Attendance> attendances_of_school_between(Session& s, Id school_id, Timestamp from, Timestamp to);
// Stores every field but id and inserted_at, which it sets; returns the stored row.
domain::Attendance insert_attendance(Session& s, const domain::Attendance& attendance);
// Many inserts of one write job. SQLite inserts each row in add() (a statement is a function call
// there). PostgreSQL reserves ids for at_most rows with the first add() and writes the rows with
// flush(), one statement whatever their number: two round trips instead of one per row. Either
// way add() answers the row as it will be stored, id included; flush() before the job ends.
class AttendanceInserts {
 public:
  AttendanceInserts(Session& s, std::size_t at_most);
  ~AttendanceInserts();
  AttendanceInserts(const AttendanceInserts&) = delete;
  AttendanceInserts& operator=(const AttendanceInserts&) = delete;

  domain::Attendance add(const domain::Attendance& row);
  void flush();

 private:
  Session& session_;
  std::size_t at_most_;
  std::vector<long long> reserved_;  // ids not yet used, the smallest last
  std::vector<domain::Attendance> pending_;
  Timestamp inserted_at_{};
};
void delete_attendance(Session& s, Id id);

// ---- images ----
// Stores the image unless one with the same hash is already there.
void put_image(Session& s, const domain::Image& image);
std::optional<domain::Image> find_image(Session& s, const std::string& hash);

// ---- tokens ----
// Where a token came from (api_tokens.origin, migration 4): minted through POST /api/tokens, made
// at start-up from ATTENDANCE_ADMIN_TOKEN, or generated at a first start without it.
enum class TokenOrigin { api, environment, generated };
// Stores a token whose secret is known only by its hash; returns it with id and inserted_at.
domain::ApiToken insert_token(Session& s, const domain::ApiToken& token, const std::string& secret_hash,
                              TokenOrigin origin = TokenOrigin::api);
// The token with this secret hash, unless revoked.
std::optional<domain::ApiToken> find_active_token_by_hash(Session& s, const std::string& secret_hash);
// The token with this secret hash, revoked or not.
std::optional<domain::ApiToken> find_token_by_hash(Session& s, const std::string& secret_hash);
std::vector<domain::ApiToken> list_tokens(Session& s, const Page& page);
std::optional<domain::ApiToken> find_token(Session& s, Id id);
// Sets revoked_at to now; false when there is no such active token.
bool revoke_token(Session& s, Id id);
// Revokes the active tokens of origin environment older than token `id` (smaller ids); returns
// their ids, ascending.
std::vector<Id> revoke_environment_tokens_before(Session& s, Id id);
std::int64_t count_active_admin_tokens(Session& s);
// Those of these token ids that name a token not revoked (nor deleted).
std::vector<Id> active_tokens_among(Session& s, const std::vector<Id>& ids);

}  // namespace attendance::storage

namespace attendance::storage {

// ---- live views (fever alerts, occupancy) ----
// How many of the school's users are checked in at `until`: their latest event in
// [day_begin, until] is a check-in.
std::int64_t count_checked_in(Session& s, Id school_id, Timestamp day_begin, Timestamp until);

struct FeverEvent {
  domain::Attendance event;
  std::string user_name;
};
struct FeverFilter {
  Id school_id = 0;
  double threshold = 38.0;        // temperature >= threshold
  std::optional<Timestamp> from;  // timestamp >= from
  std::optional<Timestamp> to;    // timestamp <= to
};
// Newest recorded first: rows with id < page.after (when given), descending by id.
std::vector<FeverEvent> list_fever_events(Session& s, const FeverFilter& filter, const Page& page);

}  // namespace attendance::storage
