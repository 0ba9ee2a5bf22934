// The live side of a school, for its dashboard: the event stream (Server-Sent Events) and the
// list of fever alerts. Admins, and the school's own school_admin.

#include <boost/asio/this_coro.hpp>
#include <boost/beast/http/field.hpp>

#include "http/handlers/common.hpp"
#include "http/handlers/handlers.hpp"
#include "http/live/hub.hpp"
#include "http/live/occupancy.hpp"

namespace attendance::http {

namespace {

// The school of the path, loaded, when the caller may watch it.
awaitable<std::optional<domain::School>> watched_school(Request& req) {
  auto id = req.id_param();
  if (!id || !req.caller().reaches_school(*id)) co_return std::nullopt;
  auto pending = req.app.db.read([id = *id](Session& s) { return storage::find_school(s, id); });
  co_return co_await std::move(pending);
}

Response too_busy(const Request& req) {
  auto error = Error::of(ErrorKind::unavailable);
  error.retry_after_seconds = 5;
  return error_response(req, error);
}

// GET /api/schools/:id/stream: `attendance`, `fever` and `occupancy` events, a heartbeat comment
// when idle. The first event is the current occupancy, so a page needs no second request.
awaitable<Response> open_stream(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto school = co_await watched_school(req);
  if (!school) co_return error_response(req, ErrorKind::not_found);
  if (!req.app.hub || !req.app.occupancy) co_return too_busy(req);
  // Subscribed before counting, then recounted once more: a check-in committed meanwhile is
  // either in the first count or published right after it.
  auto executor = co_await boost::asio::this_coro::executor;
  auto subscription = req.app.hub->subscribe(executor, school->id, req.caller().token_id);
  if (!subscription) co_return too_busy(req);
  std::int64_t checked_in_now = 0;
  try {
    checked_in_now = co_await req.app.occupancy->count(*school);
  } catch (...) {
    req.app.hub->unsubscribe(subscription);
    throw;
  }
  subscription->offer_occupancy(checked_in_now,
                                live::sse_message("occupancy", live::occupancy_json(school->id, checked_in_now)));
  req.app.occupancy->refresh(*school);

  Response res = make_response(req, Status::ok);
  res.set(beast_http::field::content_type, "text/event-stream; charset=utf-8");
  res.set(beast_http::field::cache_control, "no-store");
  res.set("x-accel-buffering", "no");  // proxies must pass events through as they come
  req.stream = std::move(subscription);
  co_return res;
}

// GET /api/schools/:id/fever_events?from=&to=: newest recorded first, with the user's name.
awaitable<Response> list_fever_events(Request& req) {
  if (auto denied = forbid_unless(req, {Role::admin, Role::school_admin})) co_return std::move(*denied);
  auto id = req.id_param();
  if (!id || !req.caller().reaches_school(*id)) co_return error_response(req, ErrorKind::not_found);
  auto page = read_page(req);
  if (!page) co_return error_response(req, page.error());
  domain::FieldErrors errors;
  storage::FeverFilter filter;
  filter.school_id = *id;
  auto range = instant_range_query(req, errors);
  filter.from = range.from;
  filter.to = range.to;
  if (!errors.empty()) co_return error_response(req, Error::invalid(std::move(errors)));

  struct Found {
    double threshold = 0;
    std::vector<storage::FeverEvent> rows;
  };
  auto pending = req.app.db.read([filter, page = *page](Session& s) mutable -> std::optional<Found> {
    auto school = storage::find_school(s, filter.school_id);
    if (!school) return std::nullopt;
    filter.threshold = school->fever_threshold;
    return Found{school->fever_threshold, storage::list_fever_events(s, filter, page)};
  });
  auto found = co_await std::move(pending);
  if (!found) co_return error_response(req, ErrorKind::not_found);
  auto next = finish_page(found->rows, *page, [](const storage::FeverEvent& row) { return row.event.id; });
  boost::json::array data;
  for (const auto& row : found->rows) {
    auto item = to_json(row.event, found->threshold);
    item["user_name"] = row.user_name;
    data.push_back(std::move(item));
  }
  co_return list_response(req, std::move(data), next);
}

}  // namespace

std::vector<Route> live_routes() {
  return {
      {Verb::get, "/api/schools/:id/stream", &open_stream},
      {Verb::get, "/api/schools/:id/fever_events", &list_fever_events},
  };
}

}  // namespace attendance::http
