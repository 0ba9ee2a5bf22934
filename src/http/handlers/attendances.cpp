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
#include <boost/json/monotonic_resource.hpp>

#include "domain/image.hpp"
#include "domain/recording.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "http/changes.hpp"
#include "http/handlers/common.hpp"
#include "http/handlers/decoders.hpp"
#include "http/handlers/handlers.hpp"
#include "http/handlers/record.hpp"
#include "http/metrics.hpp"
#include "storage/sql.hpp"

namespace attendance::http {

namespace {

constexpr std::size_t kMaxClientIdLength = 200;
constexpr std::size_t kMaxBatchSize = 1000;

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
  if (!event.client_id) event.client_id = std::move(header_client_id);
  if (event.client_id && (event.client_id->empty() || event.client_id->size() > kMaxClientIdLength)) {
    fields.add_error("client_id", "should be 1 to 200 character(s)");
  }
  if (auto text = fields.string("image")) {
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
  if (auto key = req.header("idempotency-key"); !key.empty()) header_client_id = std::string(key);
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

}  // namespace

domain::Result<Recorded> record(Session& s, const NewEvent& event, const Principal& caller) {
  auto found = storage::find_user_with_school_for_update(s, event.user_id);
  if (!found || !caller.reaches_school(found->user.school_id)) return Error::invalid("user_id", "does not exist");
  const auto& [user, school] = *found;
  if (event.school_id && *event.school_id != user.school_id) {
    return Error::invalid("school_id", "is not the user's school");
  }

  const auto day = day_around(school, event.candidate.timestamp);
  auto recent = storage::recent_events_of_user(s, user.id, day.begin, day.end, event.client_id);
  if (recent.same_client_id) return Recorded{*recent.same_client_id, school, false, user.name, true};
  if (domain::is_double_scan(recent.latest, event.candidate)) return Recorded{*recent.latest, school, false};
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
  return Recorded{storage::insert_attendance(s, row), school, true, user.name};
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
  const auto caller = req.caller();
  auto pending = req.app.db.write(
      lane_of_user(event->user_id),
      [event = std::move(event.value()), caller](Session& s) { return record(s, event, caller); });
  auto result = co_await std::move(pending);
  if (!result) co_return error_response(req, result.error());
  const auto& recorded = result.value();
  announce(req.app, recorded);
  auto body = to_json(recorded.event, recorded.school.fever_threshold);
  if (!recorded.created) co_return data_response(req, std::move(body));
  co_return created_response(req, std::move(body), "/api/attendances/" + std::to_string(recorded.event.id));
}

// One user's events of a batch, in the order they are applied: by timestamp, then by index.
struct UserBatch {
  Id user_id = 0;
  std::vector<std::pair<std::size_t, NewEvent>> items;  // (index in the batch, event)
};

// The result of the batch item at `index`.
struct Outcome {
  std::size_t index = 0;
  domain::Result<Recorded> result;
};

// Splits the decoded events into one UserBatch per user (ordered by user id); each event that
// failed to decode gets its Outcome at once.
std::vector<UserBatch> group_by_user(std::vector<domain::Result<NewEvent>>& events, std::vector<Outcome>& outcomes) {
  std::vector<std::pair<std::size_t, NewEvent>> valid;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i]) valid.emplace_back(i, std::move(events[i].value()));
    else outcomes.push_back({i, events[i].error()});
  }
  std::stable_sort(valid.begin(), valid.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.user_id, a.second.candidate.timestamp) <
           std::tie(b.second.user_id, b.second.candidate.timestamp);
  });
  std::vector<UserBatch> batches;
  for (auto& item : valid) {
    if (batches.empty() || batches.back().user_id != item.second.user_id) {
      batches.push_back(UserBatch{item.second.user_id, {}});
    }
    batches.back().items.push_back(std::move(item));
  }
  return batches;
}

// Records a user's events in order inside one write job. Each event has its own savepoint, so one
// that fails leaves nothing behind while the others are kept (the job's result is always kept).
std::vector<Outcome> record_in_order(Session& s, const UserBatch& batch, const Principal& caller) {
  std::vector<Outcome> outcomes;
  for (const auto& [index, event] : batch.items) {
    storage::sql::execute(s, "SAVEPOINT batch_item", {});
    auto result = record(s, event, caller);
    if (!result) storage::sql::execute(s, "ROLLBACK TO SAVEPOINT batch_item", {});
    storage::sql::execute(s, "RELEASE SAVEPOINT batch_item", {});
    outcomes.push_back({index, std::move(result)});
  }
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

using UserJob = decltype(boost::asio::co_spawn(std::declval<boost::asio::any_io_executor>(),
                                               std::declval<awaitable<std::vector<Outcome>>>(),
                                               boost::asio::deferred));

// Offline clients: every user's events run as one write job on that user's lane (so a user's
// events keep their order against concurrent single requests); the jobs run side by side and
// usually share commits. The answer lists each item's outcome in the batch's order.
awaitable<Response> create_attendance_batch(Request& req) {
  auto events = read_batch(req);
  if (!events) co_return error_response(req, events.error());
  std::vector<Outcome> outcomes;
  auto batches = group_by_user(events.value(), outcomes);
  const auto caller = req.caller();
  auto executor = co_await boost::asio::this_coro::executor;
  std::vector<UserJob> jobs;
  jobs.reserve(batches.size());
  for (auto& batch : batches) {
    const auto lane = lane_of_user(batch.user_id);
    auto pending = req.app.db.write(
        lane, [batch = std::move(batch), caller](Session& s) { return record_in_order(s, batch, caller); });
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
  filter.from = instant_query(req, "from", errors);
  filter.to = instant_query(req, "to", errors);
  if (auto text = req.query("type")) {
    filter.type = domain::parse_event_type(*text);
    if (!filter.type) errors["type"].push_back("must be checkin or checkout");
  }
  if (!errors.empty()) return Error::invalid(std::move(errors));
  return filter;
}

// The fever threshold of each school the events belong to (usually one).
std::map<Id, double> fever_thresholds(Session& s, const std::vector<domain::Attendance>& events) {
  std::map<Id, double> thresholds;
  for (const auto& event : events) {
    if (thresholds.contains(event.school_id)) continue;
    auto school = storage::find_school(s, event.school_id);
    thresholds[event.school_id] = school ? school->fever_threshold : domain::School{}.fever_threshold;
  }
  return thresholds;
}

awaitable<Response> list_attendances(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto page = read_page(req);
  if (!page) co_return error_response(req, page.error());
  auto filter = read_filter(req);
  if (!filter) co_return error_response(req, filter.error());
  if (auto own = req.caller().confined_school()) {
    if (filter->school_id && *filter->school_id != *own) co_return list_response(req, {}, std::nullopt);
    filter->school_id = own;
  }
  struct Listed {
    std::vector<domain::Attendance> rows;
    std::map<Id, double> thresholds;
  };
  auto pending = req.app.db.read([filter = filter.value(), page = *page](Session& s) {
    Listed out{storage::list_attendances(s, filter, page), {}};
    out.thresholds = fever_thresholds(s, out.rows);
    return out;
  });
  auto listed = co_await std::move(pending);
  auto next = finish_page(listed.rows, *page);
  // One buffer for the whole page's JSON, released at once when the page is rendered. Held by
  // this frame, not shared, so the values' destructors have nothing to free or visit.
  boost::json::monotonic_resource buffer(64 * 1024);
  boost::json::storage_ptr storage(&buffer);
  boost::json::array data(storage);
  data.reserve(listed.rows.size());
  for (const auto& event : listed.rows) data.push_back(to_json(event, listed.thresholds[event.school_id], storage));
  co_return list_response(req, std::move(data), next);
}

// The event and its school's fever threshold, if the caller may see it.
struct Shown {
  domain::Attendance event;
  double fever_threshold = 38.0;
};

awaitable<std::optional<Shown>> find_visible(Request& req, Id id) {
  auto pending = req.app.db.read([id](Session& s) -> std::optional<Shown> {
    auto found = storage::find_attendance_with_fever_threshold(s, id);
    if (!found) return std::nullopt;
    return Shown{std::move(found->first), found->second};
  });
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
  co_return data_response(req, to_json(shown->event, shown->fever_threshold));
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
