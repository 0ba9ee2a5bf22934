#include "http/dispatcher.hpp"

#include <chrono>
#include <exception>

#include <boost/url/parse.hpp>
#include <soci/soci-backend.h>
#include <spdlog/spdlog.h>

#include "http/auth.hpp"
#include "http/live/hub.hpp"
#include "http/log_text.hpp"
#include "http/metrics.hpp"
#include "http/rate_limit.hpp"
#include "http/request_id.hpp"
#include "http/responses.hpp"
#include "http/static_files.hpp"
#include "storage/database_error.hpp"

namespace attendance::http {

namespace {

// The size logged is of the body sent: none to a HEAD request.
void log_access(const Request& req, const Response& res, std::chrono::steady_clock::duration took) {
  if (!spdlog::should_log(spdlog::level::info)) return;  // spares the target's copy when nobody logs it
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  auto body_bytes = req.raw.method() == Verb::head ? 0 : res.body().size();
  spdlog::info("{} {} {} {} {}B {:.3f}ms", req.request_id, req.raw.method_string(), loggable_target(req.raw.target()),
               res.result_int(), body_bytes, static_cast<double>(micros) / 1000.0);
}

// Broken connections and other storage failures are infrastructure, not bugs: the database
// layer reports them as DatabaseErrors, answered 503 so clients retry.
bool is_database_failure(const std::exception& error) {
  return dynamic_cast<const storage::DatabaseError*>(&error) != nullptr ||
         dynamic_cast<const soci::soci_error*>(&error) != nullptr;
}

// The log line and the metrics of one response; `route` is the matched route's index, if any.
void finish(AppContext& app, const Request& req, const Response& res, std::optional<std::size_t> route,
            std::chrono::steady_clock::duration took) {
  log_access(req, res, took);
  if (app.metrics) app.metrics->record(route.value_or(app.metrics->unmatched()), req.raw.method(), res.result_int(), took);
}

}  // namespace

boost::asio::awaitable<Reply> Dispatcher::handle(const RawRequest& raw) {
  auto started = std::chrono::steady_clock::now();
  auto parsed = boost::urls::parse_origin_form(raw.target());
  Request req{raw, app_, new_request_id(), {}, {}, std::nullopt, nullptr};
  Response res;
  if (!parsed) {
    res = error_response(req, domain::ErrorKind::bad_request);
    finish(app_, req, res, std::nullopt, std::chrono::steady_clock::now() - started);
    co_return Reply{std::move(res), nullptr};
  }
  req.url = *parsed;

  std::string failure;
  bool database_failed = false;
  std::optional<std::size_t> route;
  try {
    auto match = router_.match(raw.method(), req.url.segments());
    if (std::holds_alternative<Router::NotFound>(match)) {
      std::optional<Response> page;
      bool reads = raw.method() == Verb::get || raw.method() == Verb::head;
      if (app_.web && reads && !req.url.path().starts_with("/api/")) page = app_.web->serve(req);
      res = page ? std::move(*page) : error_response(req, domain::ErrorKind::not_found);
    } else if (auto* wrong = std::get_if<Router::WrongMethod>(&match)) {
      res = error_response(req, domain::ErrorKind::method_not_allowed);
      res.set(beast_http::field::allow, wrong->allow);
    } else {
      auto& found = std::get<Router::Found>(match);
      route = found.index;
      req.path_params = std::move(found.params);
      if (found.route->access == Access::token) {
        req.principal = co_await authenticate(app_, req.header("authorization"));
      }
      int retry_after = 0;
      if (req.principal && app_.rate_limiter) retry_after = app_.rate_limiter->acquire(req.principal->token_id);
      if (found.route->access == Access::token && !req.principal) {
        res = error_response(req, domain::ErrorKind::unauthorized);
      } else if (retry_after > 0) {
        auto error = domain::Error::of(domain::ErrorKind::too_many_requests);
        error.retry_after_seconds = retry_after;
        res = error_response(req, error);
      } else if (auto repeated = found.route->access == Access::token ? req.repeated_query_error() : std::nullopt) {
        res = error_response(req, *repeated);
      } else {
        res = co_await found.route->handler(req);
      }
    }
  } catch (const std::exception& error) {
    failure = error.what();
    database_failed = is_database_failure(error);
  } catch (...) {
    failure = "unknown exception";
  }
  if (!failure.empty()) {
    if (database_failed) {
      spdlog::error("request {} failed in the database: {}", req.request_id, loggable_failure(failure));
      auto error = domain::Error::of(domain::ErrorKind::unavailable);
      error.retry_after_seconds = 1;
      if (app_.dev_mode()) error.debug = failure;
      res = error_response(req, error);
    } else {
      res = internal_error_response(req, failure);
    }
  }
  finish(app_, req, res, route, std::chrono::steady_clock::now() - started);
  // A stream's events follow its header only when the handler answered a GET: a HEAD gets the
  // stream's header alone, and the subscription is released here as for a failed handler.
  if (req.stream && (!failure.empty() || raw.method() == Verb::head)) {
    if (app_.hub) app_.hub->unsubscribe(req.stream);
    req.stream.reset();
  }
  co_return Reply{std::move(res), std::move(req.stream)};
}

Response Dispatcher::reject(const RawRequest& raw, domain::ErrorKind kind) {
  Request req{raw, app_, new_request_id(), {}, {}, std::nullopt, nullptr};
  Response res = error_response(req, kind);
  res.keep_alive(false);
  finish(app_, req, res, std::nullopt, {});
  return res;
}

}  // namespace attendance::http
