#include "tools/datagen/http_loader.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <string_view>
#include <memory>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <boost/system/system_error.hpp>
#include <fmt/format.h>

#include "domain/time.hpp"
#include "tools/datagen/http_client.hpp"
#include "tools/datagen/progress.hpp"
#include "tools/datagen/stop_flag.hpp"

namespace attendance::datagen {

namespace asio = boost::asio;
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

constexpr std::size_t kSampleRejections = 5;

// Everything the coroutines of one run share; they all run on one thread.
struct Run {
  const Generator& generator;
  HttpOptions options;
  Endpoint endpoint;
  HttpReport report;
  std::vector<std::unique_ptr<HttpConnection>> connections;
  std::vector<domain::Id> school_ids;
  std::vector<domain::Id> user_ids;  // by global user index: school * users_per_school + user
  std::vector<std::vector<domain::LocalDate>> days;
  std::unique_ptr<Progress> progress;
  bool aborting = false;  // a fatal error: every worker stops

  bool stopping() const { return aborting || stop_requested(); }
  // What fails after Ctrl-C (a create whose retry-after wait the stop cut short, a connection
  // closed under it) is the stop's doing, not the server's: the report says interrupted only.
  void abort(std::string why) {
    if (!aborting && !stop_requested()) report.fatal = std::move(why);
    aborting = true;
  }
};

std::optional<domain::Id> created_id(const HttpResponse& response) {
  if (response.status != 201 && response.status != 200) return std::nullopt;
  boost::system::error_code ec;
  auto parsed = json::parse(response.body, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const auto* data = parsed.as_object().if_contains("data");
  if (data == nullptr || !data->is_object()) return std::nullopt;
  const auto* id = data->as_object().if_contains("id");
  if (id == nullptr || !id->is_int64()) return std::nullopt;
  return id->as_int64();
}

std::string school_body(const SchoolSpec& school) {
  json::array days;
  for (int d : school.school_days) days.push_back(d);
  return json::serialize(json::object{
      {"school", json::object{{"name", school.name}, {"timezone", school.timezone}, {"school_days", days}}}});
}

std::string user_body(const UserSpec& user, domain::Id school_id) {
  return json::serialize(json::object{{"user", json::object{{"name", user.name},
                                                            {"school_id", school_id},
                                                            {"external_id", user.external_id},
                                                            {"enrolled_on", domain::format_date(user.enrolled_on)}}}});
}

// One event as the API reads it, without the {"attendance": ...} wrapper.
std::string event_object(domain::Id user_id, const Event& event, const std::string& client_id) {
  return fmt::format(R"({{"user_id":{},"type":"{}","temperature":{:.1f},"timestamp":"{}","client_id":"{}"}})",
                     user_id, event.type == domain::EventType::checkin ? "checkin" : "checkout", event.temperature,
                     domain::format_timestamp(event.timestamp), client_id);
}

// A 429 (the token's rate limit) or a 503 (the database away) is sent again after the
// retry-after the server asked for, as a kiosk would; anything else is the answer. A 503 may
// come after the commit, so only events, idempotent by their client_id, are sent again on a 503,
// not creates. The report's latency is the events' requests', each attempt on its own.
constexpr auto kLongestRetryWait = std::chrono::seconds(30);
constexpr auto kStopCheckInterval = std::chrono::milliseconds(100);
enum class Sent { create, events };

asio::awaitable<HttpResponse> send_with_retries(Run& run, HttpConnection& connection, verb method, std::string target,
                                                std::string body, Sent sent) {
  for (;;) {
    const auto start = std::chrono::steady_clock::now();
    auto pending = connection.send(method, target, body);
    auto response = co_await std::move(pending);
    if (sent == Sent::events) run.report.latency.record(std::chrono::steady_clock::now() - start);
    const bool again = response.status == 429 || (response.status == 503 && sent == Sent::events);
    if (!again || run.stopping()) co_return response;
    ++run.report.retried;
    // In slices, so that a Ctrl-C during a retry-after of many seconds stops the run at once.
    const auto until = std::chrono::steady_clock::now() +
                       std::min<std::chrono::steady_clock::duration>(
                           std::chrono::seconds(std::max(1, response.retry_after_seconds)), kLongestRetryWait);
    asio::steady_timer wait(co_await asio::this_coro::executor);
    for (auto now = std::chrono::steady_clock::now(); now < until && !run.stopping(); now = std::chrono::steady_clock::now()) {
      wait.expires_after(std::min<std::chrono::steady_clock::duration>(until - now, kStopCheckInterval));
      co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (run.stopping()) co_return response;
  }
}

// Counts one event's answer in the report.
void count_answer(Run& run, int status, std::string_view body) {
  ++run.report.sent;
  ++run.report.by_status[status];
  if (status >= 200 && status < 300) {
    ++run.report.accepted;
  } else if (run.report.sample_rejections.size() < kSampleRejections) {
    run.report.sample_rejections.push_back(fmt::format("{} {}", status, body));
  }
}

// Sends the events waiting in `items` (JSON objects) as one batch and counts each item's own
// answer; a batch refused as a whole counts every item with the batch's status.
asio::awaitable<void> send_batch(Run& run, HttpConnection& connection, std::vector<std::string>& items) {
  if (items.empty()) co_return;
  std::string body = R"({"attendances":[)";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) body += ',';
    body += items[i];
  }
  body += "]}";
  auto pending = send_with_retries(run, connection, verb::post, "/api/attendances/batch", std::move(body),
                                   Sent::events);
  auto response = co_await std::move(pending);
  boost::system::error_code ec;
  auto parsed = json::parse(response.body, ec);
  const json::array* results = nullptr;
  if (!ec && response.status == 200 && parsed.is_object()) {
    if (const auto* data = parsed.as_object().if_contains("data"); data && data->is_array()) results = &data->as_array();
  }
  if (results == nullptr || results->size() != items.size()) {
    for (std::size_t i = 0; i < items.size(); ++i) count_answer(run, response.status, response.body);
  } else {
    for (const auto& result : *results) {
      const auto* status = result.is_object() ? result.as_object().if_contains("status") : nullptr;
      count_answer(run, status && status->is_int64() ? static_cast<int>(status->as_int64()) : 0,
                   json::serialize(result));
    }
  }
  items.clear();
  run.progress->update(run.report.sent);
}

asio::awaitable<void> create_schools(Run& run) {
  auto& connection = *run.connections.front();
  for (const auto& school : run.generator.schools()) {
    if (run.stopping()) co_return;
    auto response = co_await send_with_retries(run, connection, verb::post, "/api/schools", school_body(school),
                                               Sent::create);
    auto id = created_id(response);
    if (!id) {
      run.abort(fmt::format("creating school {} answered {}: {}", school.index + 1, response.status, response.body));
      co_return;
    }
    run.school_ids.push_back(*id);
  }
}

asio::awaitable<void> create_users(Run& run, int worker) {
  auto& connection = *run.connections[static_cast<std::size_t>(worker)];
  const int per_school = run.generator.config().users_per_school;
  const auto total = run.user_ids.size();
  for (auto g = static_cast<std::size_t>(worker); g < total; g += run.connections.size()) {
    if (run.stopping()) co_return;
    const int school = static_cast<int>(g / static_cast<std::size_t>(per_school));
    const auto user = run.generator.user(school, static_cast<int>(g % static_cast<std::size_t>(per_school)));
    auto response = co_await send_with_retries(run, connection, verb::post, "/api/users",
                                               user_body(user, run.school_ids[static_cast<std::size_t>(school)]),
                                               Sent::create);
    auto id = created_id(response);
    if (!id) {
      run.abort(fmt::format("creating user {} answered {}: {}", user.external_id, response.status, response.body));
      co_return;
    }
    run.user_ids[g] = *id;
    ++run.report.users;
  }
}

// Sends the events of the users this worker owns (global index % connections == worker),
// day by day, each user's events in order and one at a time.
asio::awaitable<void> send_events(Run& run, int worker) {
  auto& connection = *run.connections[static_cast<std::size_t>(worker)];
  const int per_school = run.generator.config().users_per_school;
  const int workers = static_cast<int>(run.connections.size());
  const auto seed = run.generator.config().seed;
  std::vector<Event> events;
  std::vector<std::string> batch;  // events waiting to go as one batch (batch mode)
  const auto batch_size = static_cast<std::size_t>(std::max(0, run.options.batch));
  for (const auto& school : run.generator.schools()) {
    const int offset = school.index * per_school;
    const int first = ((worker - offset) % workers + workers) % workers;
    for (auto day : run.days[static_cast<std::size_t>(school.index)]) {
      for (int u = first; u < per_school; u += workers) {
        if (run.stopping()) co_return;
        const auto user = run.generator.user(school.index, u);
        const auto user_id = run.user_ids[static_cast<std::size_t>(offset + u)];
        events.clear();
        run.generator.day_events(user, day, events);
        for (const auto& event : events) {
          if (run.stopping()) co_return;
          auto item = event_object(user_id, event, client_id_of(seed, user, day, event.sequence));
          if (batch_size > 0) {
            batch.push_back(std::move(item));
            if (batch.size() < batch_size) continue;
            auto sending = send_batch(run, connection, batch);
            co_await std::move(sending);
            continue;
          }
          auto pending = send_with_retries(run, connection, verb::post, "/api/attendances",
                                           R"({"attendance":)" + item + "}", Sent::events);
          auto response = co_await std::move(pending);
          count_answer(run, response.status, response.body);
          run.progress->update(run.report.sent);
        }
      }
    }
  }
  if (run.stopping()) co_return;
  auto rest = send_batch(run, connection, batch);
  co_await std::move(rest);
}

// Stops the run for a request that threw: the server went away or never answered. A system
// error is told by its message alone: its what() carries Boost's source location.
void abort_on(Run& run, std::exception_ptr error) {
  ++run.report.transport_errors;
  try {
    std::rethrow_exception(error);
  } catch (const boost::system::system_error& e) {
    run.abort("no answer from the server: " + e.code().message());
  } catch (const std::exception& e) {
    run.abort(std::string("no answer from the server: ") + e.what());
  }
}

// Runs make(worker) for every connection at once and returns when all have ended. A worker
// that throws (the server went away) aborts the run: the others stop at their next request.
template <class MakeWorker>
asio::awaitable<void> run_workers(Run& run, MakeWorker make) {
  auto executor = co_await asio::this_coro::executor;
  auto remaining = std::make_shared<std::size_t>(run.connections.size());
  auto all_done = std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
  Run* shared = &run;
  for (std::size_t i = 0; i < run.connections.size(); ++i) {
    asio::co_spawn(executor, make(static_cast<int>(i)), [shared, remaining, all_done](std::exception_ptr error) {
      if (error) abort_on(*shared, error);
      if (--*remaining == 0) all_done->cancel();
    });
  }
  if (*remaining > 0) {
    auto wait = all_done->async_wait(asio::as_tuple(asio::use_awaitable));
    co_await std::move(wait);
  }
}

asio::awaitable<void> run_all(Run& run) {
  co_await create_schools(run);
  if (run.stopping()) co_return;
  std::fprintf(stderr, "creating %zu users over %zu connections\n", run.user_ids.size(), run.connections.size());
  Run* r = &run;
  auto creating = run_workers(run, [r](int worker) { return create_users(*r, worker); });
  co_await std::move(creating);
  if (run.stopping()) co_return;
  run.progress = std::make_unique<Progress>("events", run.report.total, run.options.progress);
  const auto start = std::chrono::steady_clock::now();
  auto sending = run_workers(run, [r](int worker) { return send_events(*r, worker); });
  co_await std::move(sending);
  run.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.progress->finish(run.report.sent);
}

}  // namespace

HttpReport load_http(const Generator& generator, const HttpOptions& options) {
  if (options.concurrency < 1) throw std::invalid_argument("concurrency must be at least 1");
  if (options.batch < 0 || options.batch > 1000) throw std::invalid_argument("batch must be 0 to 1000 events");
  // Declared before `run`, so it outlives the connections whose streams use its services.
  asio::io_context io(1);
  Run run{generator, options, parse_endpoint(options.target), {}, {}, {}, {}, {}, {}, false};
  const auto& config = generator.config();
  run.user_ids.assign(static_cast<std::size_t>(config.schools) * static_cast<std::size_t>(config.users_per_school), 0);
  for (const auto& school : generator.schools()) run.days.push_back(generator.school_days(school.index));
  run.report.total = generator.count_events();

  for (int i = 0; i < options.concurrency; ++i) {
    run.connections.push_back(std::make_unique<HttpConnection>(io.get_executor(), run.endpoint, options.token));
  }
  Run* r = &run;
  asio::co_spawn(io, run_all(run), [r](std::exception_ptr error) {
    if (error) abort_on(*r, error);
  });
  io.run();
  for (auto& connection : run.connections) connection->close();
  run.report.schools = run.school_ids.size();
  run.report.interrupted = stop_requested();
  return std::move(run.report);
}

std::string format_report(const HttpReport& report) {
  auto ms = [](std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1e6; };
  std::string out = fmt::format("schools {}, users {} created\n", report.schools, report.users);
  out += fmt::format("sent {} of {} events in {:.1f} s ({:.0f}/s){}\n", report.sent, report.total, report.seconds,
                     report.seconds > 0 ? static_cast<double>(report.sent) / report.seconds : 0.0,
                     report.interrupted ? ", interrupted" : "");
  std::string statuses;
  for (const auto& [status, count] : report.by_status) {
    statuses += fmt::format("{}{}: {}", statuses.empty() ? "" : ", ", status, count);
  }
  out += fmt::format("accepted {}, rejected {} (by status: {})\n", report.accepted, report.rejected(),
                     statuses.empty() ? "none" : statuses);
  out += fmt::format("latency p50 {:.2f} ms, p99 {:.2f} ms\n", ms(report.latency.percentile(0.50)),
                     ms(report.latency.percentile(0.99)));
  for (const auto& sample : report.sample_rejections) out += "  rejected: " + sample + "\n";
  if (report.retried > 0) out += fmt::format("sent again after a 429 or 503: {} requests\n", report.retried);
  if (report.transport_errors > 0) out += fmt::format("transport errors {}\n", report.transport_errors);
  if (!report.fatal.empty()) out += "stopped: " + report.fatal + "\n";
  return out;
}

}  // namespace attendance::datagen
