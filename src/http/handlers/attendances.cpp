// /api/attendances: check-ins and check-outs. Recording follows DESIGN.md section 4 in its order:
// validation (422), a client_id retry (200), a kiosk double scan (200), alternation (409).
// POST /api/attendances/batch applies the same rules to each event of an offline client's batch.

#include <algorithm>
#include <map>
#include <tuple>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include "domain/image.hpp"
#include "domain/recording.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "http/changes.hpp"
#include "http/handlers/common.hpp"
#include "http/handlers/decoders.hpp"
#include "http/handlers/handlers.hpp"
#include "http/handlers/attendance_queues.hpp"
#include "http/handlers/record.hpp"
#include "http/metrics.hpp"

namespace attendance::http {

namespace {

constexpr std::size_t kMaxBatchSize = 1000;

// An attendance's JSON text.
JsonText text_of(const domain::Attendance& event, double fever_threshold) {
  JsonText json;
  json.text.reserve(256);
  append_json(json.text, event, fever_threshold);
  return json;
}

}  // namespace

domain::Result<NewEvent> parse_new_event(const boost::json::object& object,
                                         std::optional<std::string> header_client_id) {
  FieldReader fields(object);
  fields.require("user_id");
  fields.require("type");
  fields.require("temperature");
  NewEvent event;
  auto user_id = fields.integer("user_id");
  event.school_id = fields.integer("school_id");
  if (auto type = fields.string("type")) {
    if (auto parsed = domain::parse_event_type(*type)) event.candidate.type = *parsed;
    else fields.add_error("type", "must be checkin or checkout");
  }
  auto temperature = fields.number("temperature");
  event.candidate.timestamp = domain::now();
  if (auto text = fields.string("timestamp")) {
    if (auto parsed = domain::parse_timestamp(*text)) event.candidate.timestamp = *parsed;
    else fields.add_error("timestamp", "is not a valid RFC 3339 timestamp with an offset");
  }
  event.client_id = fields.string("client_id");
  if (header_client_id) {
    // Both name the event's identity: a retry sending only the header must find the same event,
    // so they can't differ (the body winning would answer that retry a 409).
    if (!event.client_id) event.client_id = std::move(header_client_id);
    else if (*event.client_id != *header_client_id) fields.add_error("client_id", "does not match the Idempotency-Key header");
  }
  // A blank client_id names no event: a kiosk sending " " with each would have every later
  // event of a user answered as a retry of the first. Merged: a client_id already refused keeps
  // only that message.
  if (event.client_id) merge_errors(fields.errors(), domain::validate_label("client_id", *event.client_id));
  if (auto text = fields.string("image", Text::base64)) {
    auto image = domain::decode_image(*text);
    if (image) event.image = std::move(image.value());
    else merge_errors(fields.errors(), image.error().fields);
  }
  if (user_id) event.user_id = *user_id;
  if (temperature) {
    event.temperature = *temperature;
    domain::Attendance probe;
    probe.temperature = *temperature;
    probe.timestamp = event.candidate.timestamp;
    merge_errors(fields.errors(), domain::validate_attendance(probe, domain::now()));
  }
  if (!fields.errors().empty()) return Error::invalid(fields.errors());
  return event;
}

namespace {

// The event of a POST /api/attendances body ({"attendance": {...}} or bare).
domain::Result<NewEvent> read_new_event(const Request& req) {
  auto body = read_resource(req, "attendance");
  if (!body) return body.error();
  std::optional<std::string> header_client_id;
  if (auto found = req.raw.find("idempotency-key"); found != req.raw.end()) {
    // Given, the header is the event's identity: blank (Beast drops the spaces around a value, so
    // `Idempotency-Key:   ` reads as empty), it would name no event, and skipping it would store
    // one a retry can't find.
    const auto key = found->value();
    if (domain::is_blank(key)) return Error::invalid("idempotency_key", "can't be blank");
    // A header is any bytes, but the client_id it becomes is written into JSON text, which must
    // be UTF-8: a key outside ASCII would make every answer holding its event unreadable.
    const bool printable = std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
    if (!printable) return Error::invalid("idempotency_key", "must be printable ASCII");
    header_client_id = std::string(key);
  }
  return parse_new_event(body.value(), std::move(header_client_id));
}

// The events of a batch body ({"attendances": [...]}), each decoded on its own; the batch itself
// is a 422 when "attendances" is not an array of at most kMaxBatchSize items.
domain::Result<std::vector<domain::Result<NewEvent>>> read_batch(const Request& req) {
  auto body = read_object(req);
  if (!body) return body.error();
  const auto* list = body->if_contains("attendances");
  if (!list || !list->is_array()) return Error::invalid("attendances", "must be an array");
  if (list->as_array().size() > kMaxBatchSize) {
    return Error::invalid("attendances", "should have at most 1000 item(s)");
  }
  std::vector<domain::Result<NewEvent>> events;
  events.reserve(list->as_array().size());
  for (const auto& item : list->as_array()) {
    if (item.is_object()) events.push_back(parse_new_event(item.as_object(), std::nullopt));
    else events.push_back(Error::invalid("attendance", "must be an object"));
  }
  return events;
}

// The school's local day around `instant`.
domain::DayBounds day_around(const domain::School& school, domain::Timestamp instant) {
  const auto* zone = domain::find_time_zone(school.timezone);
  return domain::local_day_bounds(zone, domain::local_date_of(zone, instant));
}

// A recording's user and school day, once it passed the checks that need no events.
struct Target {
  const storage::UserWithSchool* found = nullptr;
  domain::DayBounds day;
};

domain::Result<Target> target_of(const Recording& recording, const std::map<Id, storage::UserWithSchool>& users) {
  const auto& event = recording.event;
  auto it = users.find(event.user_id);
  if (it == users.end() || !recording.caller.reaches_school(it->second.user.school_id)) {
    return Error::invalid("user_id", "does not exist");
  }
  const auto& [user, school] = it->second;
  if (event.school_id && *event.school_id != user.school_id) {
    return Error::invalid("school_id", "is not the user's school");
  }
  return Target{&it->second, day_around(school, event.candidate.timestamp)};
}

// Adds a stored event to its user's events, which stay ordered by (timestamp, id).
void remember(std::vector<domain::Attendance>& events, const domain::Attendance& stored) {
  auto at = std::upper_bound(events.begin(), events.end(), stored, [](const auto& a, const auto& b) {
    return std::tie(a.timestamp, a.id) < std::tie(b.timestamp, b.id);
  });
  events.insert(at, stored);
}

// The rules of one recording, given its user's events (those stored and those accepted before it
// in this job).
domain::Result<Recorded> record_one(Session& s, const NewEvent& event, const Target& target,
                                    std::vector<domain::Attendance>& events, storage::AttendanceInserts& inserts) {
  const auto& [user, school] = *target.found;
  auto recent = storage::recent_events_among(events, target.day.begin, target.day.end, event.client_id);
  if (recent.same_client_id) return Recorded{*recent.same_client_id, school, false, user.name, true};
  if (domain::is_double_scan(recent.latest, event.candidate, target.day.begin)) {
    return Recorded{*recent.latest, school, false, user.name};
  }
  if (auto conflict = domain::check_insert(recent.between, event.candidate)) return *conflict;

  domain::Attendance row;
  row.user_id = user.id;
  row.school_id = user.school_id;
  row.timestamp = event.candidate.timestamp;
  row.type = event.candidate.type;
  row.temperature = event.temperature;
  row.client_id = event.client_id;
  if (event.image) {
    storage::put_image(s, *event.image);
    row.image_hash = event.image->hash;
  }
  auto stored = inserts.add(row);
  remember(events, stored);
  return Recorded{std::move(stored), school, true, user.name};
}

}  // namespace

std::vector<domain::Result<Recorded>> record_all(Session& s, std::vector<Recording>& recordings) {
  std::vector<Id> user_ids;
  user_ids.reserve(recordings.size());
  for (const auto& recording : recordings) user_ids.push_back(recording.event.user_id);
  std::sort(user_ids.begin(), user_ids.end());
  user_ids.erase(std::unique(user_ids.begin(), user_ids.end()), user_ids.end());
  std::map<Id, storage::UserWithSchool> users;
  for (auto& found : storage::find_users_with_schools_for_update(s, user_ids)) {
    const Id id = found.user.id;
    users.emplace(id, std::move(found));
  }

  std::vector<domain::Result<Target>> targets;
  targets.reserve(recordings.size());
  std::vector<storage::RecentQuery> queries;
  for (const auto& recording : recordings) {
    targets.push_back(target_of(recording, users));
    if (!targets.back()) continue;
    const auto& day = targets.back()->day;
    queries.push_back({recording.event.user_id, day.begin, day.end, recording.event.client_id});
  }
  std::map<Id, std::vector<domain::Attendance>> events_of_user;  // each ordered by (timestamp, id)
  if (!queries.empty()) {
    for (auto& event : storage::events_around(s, queries)) events_of_user[event.user_id].push_back(std::move(event));
  }

  storage::AttendanceInserts inserts(s, queries.size());
  std::vector<domain::Result<Recorded>> results;
  results.reserve(recordings.size());
  for (std::size_t i = 0; i < recordings.size(); ++i) {
    if (!targets[i]) {
      results.push_back(targets[i].error());
      continue;
    }
    const auto& event = recordings[i].event;
    results.push_back(record_one(s, event, targets[i].value(), events_of_user[event.user_id], inserts));
  }
  inserts.flush();
  return results;
}

namespace {

// After the commit: caches and live streams hear of a newly stored event.
void announce(AppContext& app, const Recorded& recorded) {
  if (recorded.created) {
    if (app.metrics) app.metrics->count_event_recorded();
    attendance_changed(app, recorded.school, recorded.event, Change::recorded, recorded.user_name);
  } else if (recorded.replayed) {
    attendance_replayed(app, recorded.school, recorded.event);
  }
}

awaitable<Response> create_attendance(Request& req) {
  auto event = read_new_event(req);
  if (!event) co_return error_response(req, event.error());
  const auto lane = lane_of_user(event->user_id);
  auto pending = req.app.attendance_queues->recordings.write(req.app.db, lane,
                                                             Recording{std::move(event.value()), req.caller()});
  auto result = co_await std::move(pending);
  if (!result) co_return error_response(req, result.error());
  const auto& recorded = result.value();
  announce(req.app, recorded);
  auto body = text_of(recorded.event, recorded.school.fever_threshold);
  if (!recorded.created) co_return data_response(req, body);
  co_return created_response(req, body, "/api/attendances/" + std::to_string(recorded.event.id));
}

// The result of the batch item at `index`.
struct Outcome {
  std::size_t index = 0;
  domain::Result<Recorded> result;
};

// The batch's events that run on one write lane, in the order they are applied: by user, then by
// timestamp, then by index in the batch.
struct LaneBatch {
  std::uint64_t lane_key = 0;
  std::vector<std::size_t> indexes;  // in the batch, one per recording
  std::vector<Recording> recordings;
};

// Splits the decoded events by lane; each event that failed to decode gets its Outcome at once.
std::vector<LaneBatch> group_by_lane(const storage::Database& db, std::vector<domain::Result<NewEvent>>& events,
                                     const Principal& caller, std::vector<Outcome>& outcomes) {
  std::vector<std::pair<std::size_t, NewEvent>> valid;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i]) valid.emplace_back(i, std::move(events[i].value()));
    else outcomes.push_back({i, events[i].error()});
  }
  std::stable_sort(valid.begin(), valid.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.user_id, a.second.candidate.timestamp) <
           std::tie(b.second.user_id, b.second.candidate.timestamp);
  });
  std::map<std::size_t, LaneBatch> lanes;
  for (auto& [index, event] : valid) {
    const auto key = lane_of_user(event.user_id);
    auto& lane = lanes[db.lane_index(key)];
    lane.lane_key = key;
    lane.indexes.push_back(index);
    lane.recordings.push_back(Recording{std::move(event), caller});
  }
  std::vector<LaneBatch> batches;
  for (auto& [index, lane] : lanes) batches.push_back(std::move(lane));
  return batches;
}

// Records a lane's events in one write job (record_all), answered by index in the batch.
std::vector<Outcome> record_lane(Session& s, LaneBatch& batch) {
  auto results = record_all(s, batch.recordings);
  std::vector<Outcome> outcomes;
  outcomes.reserve(results.size());
  for (std::size_t i = 0; i < results.size(); ++i) outcomes.push_back({batch.indexes[i], std::move(results[i])});
  return outcomes;
}

// {"index", "status", "data" | "errors"} for one batch item.
boost::json::object outcome_json(const Outcome& outcome) {
  boost::json::object item;
  item["index"] = outcome.index;
  if (outcome.result) {
    const auto& recorded = outcome.result.value();
    item["status"] = static_cast<int>(recorded.created ? Status::created : Status::ok);
    item["data"] = to_json(recorded.event, recorded.school.fever_threshold);
  } else {
    item["status"] = static_cast<int>(status_of(outcome.result.error().kind));
    item["errors"] = errors_of(outcome.result.error());
  }
  return item;
}

using LaneJob = decltype(boost::asio::co_spawn(std::declval<boost::asio::any_io_executor>(),
                                               std::declval<awaitable<std::vector<Outcome>>>(),
                                               boost::asio::deferred));

// Offline clients: the events of each write lane run as one write job on that lane (so a user's
// events keep their order against concurrent single requests); the jobs run side by side and
// usually share commits. The answer lists each item's outcome in the batch's order.
awaitable<Response> create_attendance_batch(Request& req) {
  auto events = read_batch(req);
  if (!events) co_return error_response(req, events.error());
  std::vector<Outcome> outcomes;
  auto batches = group_by_lane(req.app.db, events.value(), req.caller(), outcomes);
  auto executor = co_await boost::asio::this_coro::executor;
  std::vector<LaneJob> jobs;
  jobs.reserve(batches.size());
  for (auto& batch : batches) {
    const auto lane = batch.lane_key;
    auto pending = req.app.db.write(lane, [batch = std::move(batch)](Session& s) mutable { return record_lane(s, batch); });
    jobs.push_back(boost::asio::co_spawn(executor, std::move(pending), boost::asio::deferred));
  }
  std::exception_ptr failure;
  if (!jobs.empty()) {
    auto all_done = boost::asio::experimental::make_parallel_group(std::move(jobs))
                        .async_wait(boost::asio::experimental::wait_for_all(), boost::asio::use_awaitable);
    auto [order, errors, results] = co_await std::move(all_done);
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (errors[i]) {
        if (!failure) failure = errors[i];
        continue;
      }
      for (auto& outcome : results[i]) {
        if (outcome.result) announce(req.app, outcome.result.value());
        outcomes.push_back(std::move(outcome));
      }
    }
  }
  // The jobs that committed were announced; a database failure of any job fails the request.
  if (failure) std::rethrow_exception(failure);
  std::sort(outcomes.begin(), outcomes.end(), [](const Outcome& a, const Outcome& b) { return a.index < b.index; });
  boost::json::array data;
  data.reserve(outcomes.size());
  for (const auto& outcome : outcomes) data.push_back(outcome_json(outcome));
  co_return data_response(req, std::move(data));
}

domain::Result<storage::AttendanceFilter> read_filter(const Request& req) {
  storage::AttendanceFilter filter;
  domain::FieldErrors errors;
  filter.school_id = id_query(req, "school_id", errors);
  filter.user_id = id_query(req, "user_id", errors);
  auto range = instant_range_query(req, errors);
  filter.from = range.from;
  filter.to = range.to;
  if (auto text = req.query("type")) {
    filter.type = domain::parse_event_type(*text);
    if (!filter.type) errors["type"].push_back("must be checkin or checkout");
  }
  if (!errors.empty()) return Error::invalid(std::move(errors));
  return filter;
}

awaitable<Response> list_attendances(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto page = read_page(req);
  if (!page) co_return error_response(req, page.error());
  auto filter = read_filter(req);
  if (!filter) co_return error_response(req, filter.error());
  if (auto own = req.caller().confined_school()) {
    if (filter->school_id && *filter->school_id != *own) co_return list_response(req, boost::json::array{}, std::nullopt);
    filter->school_id = own;
  }
  auto pending = req.app.attendance_queues->pages.read(req.app.db, PageQuery{filter.value(), *page});
  auto listed = co_await std::move(pending);
  co_return list_response(req, std::move(listed.body), listed.next_after);
}


awaitable<std::optional<Shown>> find_visible(Request& req, Id id) {
  auto pending = req.app.attendance_queues->lookups.read(req.app.db, id);
  auto found = co_await std::move(pending);
  if (found && !req.caller().reaches_school(found->event.school_id)) co_return std::nullopt;
  co_return found;
}

// The event named by the path, if the caller may see it.
awaitable<std::optional<Shown>> visible_from_path(Request& req) {
  auto id = req.id_param();
  if (!id) co_return std::nullopt;
  co_return co_await find_visible(req, *id);
}

awaitable<Response> show_attendance(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto shown = co_await visible_from_path(req);
  if (!shown) co_return error_response(req, ErrorKind::not_found);
  co_return data_response(req, text_of(shown->event, shown->fever_threshold));
}

awaitable<Response> show_attendance_image(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto shown = co_await visible_from_path(req);
  if (!shown || !shown->event.image_hash) co_return error_response(req, ErrorKind::not_found);
  auto pending = req.app.db.read(
      [hash = *shown->event.image_hash](Session& s) { return storage::find_image(s, hash); });
  auto image = co_await std::move(pending);
  if (!image) co_return error_response(req, ErrorKind::not_found);
  Response res = make_response(req, Status::ok);
  res.set(beast_http::field::content_type, image->content_type);
  // Stored by content hash: the bytes behind this event never change.
  res.set(beast_http::field::cache_control, "private, max-age=86400, immutable");
  res.set(beast_http::field::etag, "\"" + image->hash + "\"");
  res.body() = std::move(image->bytes);
  res.prepare_payload();
  co_return res;
}

awaitable<Response> delete_attendance(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto shown = co_await visible_from_path(req);
  if (!shown) co_return error_response(req, ErrorKind::not_found);
  const Id id = shown->event.id;
  const auto caller = req.caller();
  auto pending = req.app.db.write(
      lane_of_user(shown->event.user_id), [id, caller](Session& s) -> domain::Result<Recorded> {
        auto event = storage::find_attendance(s, id);
        if (!event || !caller.reaches_school(event->school_id)) return Error::not_found();
        auto found = storage::find_user_with_school_for_update(s, event->user_id);
        if (!found) return Error::not_found();
        const auto& [user, school] = *found;
        const auto bounds = day_around(school, event->timestamp);
        auto day = storage::attendances_of_user_between(s, event->user_id, bounds.begin, bounds.end);
        if (auto conflict = domain::check_delete(day, id)) return *conflict;
        storage::delete_attendance(s, id);
        return Recorded{*event, school, false, user.name};
      });
  auto result = co_await std::move(pending);
  if (!result) co_return error_response(req, result.error());
  attendance_changed(req.app, result->school, result->event, Change::deleted, result->user_name);
  co_return no_content(req);
}

}  // namespace

std::vector<Route> attendance_routes() {
  return {
      {Verb::get, "/api/attendances", &list_attendances},
      {Verb::post, "/api/attendances", &create_attendance},
      {Verb::post, "/api/attendances/batch", &create_attendance_batch},
      {Verb::get, "/api/attendances/:id", &show_attendance},
      {Verb::delete_, "/api/attendances/:id", &delete_attendance},
      {Verb::get, "/api/attendances/:id/image", &show_attendance_image},
  };
}

}  // namespace attendance::http
