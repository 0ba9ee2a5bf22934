// aggregate_bench: the aggregation benchmark of issue 3 (see bench/README-aggregate.md).
//
// One run, one database per backend: loads (or reuses) N schools of 2,000 users with a school
// year of events, then measures through aggregate::Aggregation + StorageLoader exactly what the
// server runs (cold = a fresh Aggregation, warm = the same request again), runs one hand-written
// SQL query for the same past month on the same database, checks its counts equal the engine's,
// and prints the figures with their ratios against the targets. Then, unless --no-load, records
// check-ins alone and again while 32 clients request aggregates of different schools (cache
// disabled), and compares their p99.
//
//   aggregate_bench [--quick] [--schools N] [--reload] [--reps N] [--load-seconds S] [--no-load]
//                   [--backend sqlite|postgresql|all] [--sqlite PATH]
// PostgreSQL runs when ATTENDANCE_BENCH_POSTGRES_URL is set (or --backend postgresql).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <fmt/format.h>

#include "aggregate/aggregation.hpp"
#include "aggregate/storage_loader.hpp"
#include "aggregate_dataset.hpp"
#include "aggregate_sql.hpp"
#include "domain/recording.hpp"
#include "domain/time.hpp"
#include "http/handlers/record.hpp"
#include "storage/repositories.hpp"
#include "storage/sql.hpp"

namespace attendance::bench {
namespace {

using Clock = std::chrono::steady_clock;
using domain::LocalDate;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(index, v.size() - 1)];
}

struct Options {
  int schools = 50;
  bool reload = false;
  int reps = 7;
  double load_seconds = 15;
  bool load_test = true;
  std::string backend;  // "", sqlite, postgresql, all
  std::string sqlite_path;
};

Options parse_options(int argc, char** argv) {
  Options o;
  bool quick = false;
  std::optional<int> schools;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--quick") quick = true;
    else if (arg == "--schools") schools = std::stoi(next());
    else if (arg == "--reload") o.reload = true;
    else if (arg == "--reps") o.reps = std::stoi(next());
    else if (arg == "--load-seconds") o.load_seconds = std::stod(next());
    else if (arg == "--no-load") o.load_test = false;
    else if (arg == "--backend") o.backend = next();
    else if (arg == "--sqlite") o.sqlite_path = next();
    else if (arg == "--help" || arg == "-h") {
      std::puts(
          "aggregate_bench [--quick] [--schools N] [--reload] [--reps N] [--load-seconds S] [--no-load]\n"
          "                [--backend sqlite|postgresql|all] [--sqlite PATH]\n"
          "PostgreSQL: ATTENDANCE_BENCH_POSTGRES_URL=postgresql://user@host:port/db");
      std::exit(0);
    } else {
      throw std::invalid_argument("unknown option " + arg);
    }
  }
  if (quick) {
    o.schools = 5;
    o.reps = std::min(o.reps, 5);
    o.load_seconds = std::min(o.load_seconds, 8.0);
  }
  if (schools) o.schools = *schools;
  if (o.schools < 1) throw std::invalid_argument("--schools must be at least 1");
  if (o.sqlite_path.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    o.sqlite_path = fmt::format("{}/attendance_aggregate_bench_{}.db", tmp != nullptr ? tmp : "/tmp", o.schools);
  }
  return o;
}

// Stands in for the HTTP threads: coroutines of the service run here; the caller blocks.
class Runner {
 public:
  explicit Runner(int threads = 1) : guard_(io_.get_executor()) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~Runner() {
    guard_.reset();
    for (auto& t : threads_) t.join();
  }
  template <class T>
  T run(boost::asio::awaitable<T> work) {
    return boost::asio::co_spawn(io_, std::move(work), boost::asio::use_future).get();
  }
  boost::asio::io_context& io() { return io_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

// The StorageLoader with the time of each load added up: where a cold computation's time goes.
class TimingLoader final : public aggregate::Loader {
 public:
  explicit TimingLoader(storage::Database& db) : inner_(db) {}

  boost::asio::awaitable<std::optional<aggregate::SchoolRecord>> load_school(domain::Id school_id) override {
    const auto start = Clock::now();
    auto pending = inner_.load_school(school_id);
    auto record = co_await std::move(pending);
    school_us_ += std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    co_return record;
  }

  boost::asio::awaitable<std::vector<domain::PresenceEvent>> load_events(domain::Id school_id, domain::Timestamp from,
                                                                         domain::Timestamp to) override {
    const auto start = Clock::now();
    auto pending = inner_.load_events(school_id, from, to);
    auto events = co_await std::move(pending);
    events_us_ += std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    event_rows_ += static_cast<long long>(events.size());
    co_return events;
  }

  bool is_transient(std::exception_ptr error) const override { return inner_.is_transient(error); }

  void reset() { school_us_ = events_us_ = event_rows_ = 0; }
  double school_ms() const { return static_cast<double>(school_us_.load()) / 1000.0; }
  double events_ms() const { return static_cast<double>(events_us_.load()) / 1000.0; }
  long long event_rows() const { return event_rows_.load(); }

 private:
  aggregate::StorageLoader inner_;
  std::atomic<long long> school_us_{0}, events_us_{0}, event_rows_{0};
};

struct Requests {
  aggregate::AggregateRequest past_month, current_month, series;
  LocalDate past_first{}, past_last{};
};

Requests make_requests(domain::Id school, LocalDate today) {
  Requests r;
  const date::year_month_day ymd{today};
  const auto this_month = ymd.year() / ymd.month();
  const auto previous = this_month - date::months(1);
  r.past_first = date::local_days{previous / 1};
  r.past_last = date::local_days{previous / date::last};
  r.past_month.school_id = school;
  r.past_month.period = domain::PeriodKind::month;
  r.past_month.date = r.past_first;
  r.current_month = r.past_month;
  r.current_month.date = today;
  r.series = r.past_month;
  r.series.date.reset();
  r.series.from = date::local_days{(this_month - date::months(11)) / 1};
  r.series.to = today;
  return r;
}

// A figure measured several times.
struct Figure {
  std::vector<double> ms;
  double school_ms = 0, events_ms = 0;  // loader time of the median-ish run (cold only)
  long long rows = 0;
  double med() const { return median(ms); }
  double min() const { return ms.empty() ? 0 : *std::min_element(ms.begin(), ms.end()); }
};

struct Counts {
  long long total = 0, present = 0, absent = 0;
};

struct BackendResult {
  std::string name;
  Figure cold_past, warm_past, cold_current, warm_current, cold_series, warm_series, sql;
  Counts engine, baseline;
  int series_periods = 0;
  bool counts_equal = false;
  // Load test.
  bool load_ran = false;
  std::vector<double> checkins_alone, checkins_loaded, aggregate_latencies;
  long long aggregates_done = 0, aggregates_rejected = 0, aggregates_failed = 0, checkin_conflicts = 0;
};

aggregate::ReportPtr aggregate_now(Runner& runner, aggregate::Aggregation& aggregation,
                                   const aggregate::AggregateRequest& request) {
  auto result = runner.run(aggregation.service().aggregate(request));
  if (!result.report.ok()) throw std::runtime_error(fmt::format("aggregate failed: error kind {}", static_cast<int>(result.report.error().kind)));
  return *result.report;
}

// Cold: a fresh Aggregation per repetition (empty cache); warm: the same request again on it.
void measure_request(Runner& runner, storage::Database& db, domain::Timestamp now,
                     const aggregate::AggregateRequest& request, int reps, Figure& cold, Figure& warm,
                     aggregate::ReportPtr* last_report) {
  std::vector<double> school_ms, events_ms;
  for (int r = 0; r < reps; ++r) {
    auto loader = std::make_unique<TimingLoader>(db);
    auto* timing = loader.get();
    aggregate::Aggregation aggregation(aggregate::AggregationOptions{}, std::move(loader), [now] { return now; });
    auto start = Clock::now();
    auto report = aggregate_now(runner, aggregation, request);
    cold.ms.push_back(ms_since(start));
    school_ms.push_back(timing->school_ms());
    events_ms.push_back(timing->events_ms());
    cold.rows = timing->event_rows();
    for (int w = 0; w < reps; ++w) {
      start = Clock::now();
      report = aggregate_now(runner, aggregation, request);
      warm.ms.push_back(ms_since(start));
    }
    if (last_report != nullptr) *last_report = report;
    aggregation.stop();
  }
  cold.school_ms = median(school_ms);
  cold.events_ms = median(events_ms);
}

struct CountsRow {
  long long present = 0, absent = 0;
  void bind(soci::statement& st) {
    st.exchange(soci::into(present));
    st.exchange(soci::into(absent));
  }
  CountsRow value() const { return *this; }
};

Counts run_sql(storage::Database& db, domain::Id school, LocalDate first, LocalDate last) {
  const auto row = db.read_now([school, first, last](storage::Session& s) {
    using storage::sql::Param;
    const auto id = Param::of(static_cast<long long>(school));
    if (s.is_postgresql()) {
      const auto from = Param::of(storage::sql::text_of_date(first));
      const auto to = Param::of(storage::sql::text_of_date(last));
      return storage::sql::fetch_one<CountsRow>(s, kPostgresqlMonthCounts, {id, from, to, id, id, id, from, id, to, id});
    }
    const auto* utc = domain::find_time_zone("UTC");
    return storage::sql::fetch_one<CountsRow>(
        s, kSqliteMonthCounts,
        {id, Param::of(static_cast<long long>(first.time_since_epoch().count())),
         Param::of(static_cast<long long>(last.time_since_epoch().count())), id, id, id,
         Param::of(storage::sql::micros_of(domain::local_day_bounds(utc, first).begin)),
         Param::of(storage::sql::micros_of(domain::local_day_bounds(utc, last).end))});
  });
  if (!row) throw std::runtime_error("the SQL baseline returned no row");
  return Counts{row->present + row->absent, row->present, row->absent};
}

// ---- load test ----

// The check-in handler's own write job (http::record_all), for one event of an admin caller.
domain::Result<http::Recorded> record_event(storage::Session& s, domain::Id user_id, domain::EventType type,
                                            domain::Timestamp at, const std::string& client_id) {
  http::NewEvent event;
  event.user_id = user_id;
  event.candidate = domain::Candidate{at, type};
  event.temperature = 36.6;
  event.client_id = client_id;
  std::vector<http::Recording> recordings{{std::move(event), http::Principal{0, domain::Role::admin, std::nullopt}}};
  return std::move(http::record_all(s, recordings).front());
}

// Records check-ins at a steady rate for `seconds`, on its own thread like an HTTP handler
// awaiting Database::write; returns each one's latency (submit to commit) in ms.
class CheckinRecorder {
 public:
  // Starts from each user's real state today, so a re-run on a reused database (whose users
  // already checked in during an earlier run) records valid events instead of 409s.
  CheckinRecorder(storage::Database& db, std::vector<domain::Id> users, std::string tag)
      : db_(db), users_(std::move(users)), checked_in_(users_.size(), false), tag_(std::move(tag)) {
    const auto today = domain::local_day_bounds(nullptr, domain::local_date_of(nullptr, domain::now()));
    for (std::size_t i = 0; i < users_.size(); ++i) {
      auto events = db_.read_now([user = users_[i], today](storage::Session& s) {
        return storage::attendances_of_user_between(s, user, today.begin, today.end);
      });
      checked_in_[i] = !events.empty() && events.back().type == domain::EventType::checkin;
    }
  }

  std::vector<double> run(double seconds, aggregate::Service* service, long long& conflicts) {
    std::vector<double> latencies;
    const auto period = std::chrono::milliseconds(10);  // 100 check-ins per second
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    auto next = Clock::now();
    while (Clock::now() < end) {
      std::this_thread::sleep_until(next);
      next += period;
      const auto slot = cursor_++ % users_.size();
      const auto user = users_[slot];
      const auto type = checked_in_[slot] ? domain::EventType::checkout : domain::EventType::checkin;
      const auto at = domain::now();
      const auto client_id = fmt::format("bench-{}-{}", tag_, cursor_);
      const auto start = Clock::now();
      auto result = db_.write_now([user, type, at, client_id](storage::Session& s) {
        return record_event(s, user, type, at, client_id);
      });
      latencies.push_back(ms_since(start));
      if (result.ok()) {
        checked_in_[slot] = !checked_in_[slot];
        if (service != nullptr) {
          service->invalidate_day(result->event.school_id, domain::local_date_of(domain::find_time_zone("UTC"), at));
        }
      } else {
        ++conflicts;
      }
    }
    return latencies;
  }

 private:
  storage::Database& db_;
  std::vector<domain::Id> users_;
  std::vector<bool> checked_in_;
  std::string tag_;
  std::size_t cursor_ = 0;
};

boost::asio::awaitable<void> aggregate_client(aggregate::Service* service, aggregate::AggregateRequest request,
                                              int months, std::shared_ptr<std::atomic<bool>> stop,
                                              std::shared_ptr<std::vector<double>> latencies,
                                              std::shared_ptr<std::atomic<long long>> rejected,
                                              std::shared_ptr<std::atomic<long long>> failed) {
  const auto base = date::year_month_day{*request.date};
  int k = 0;
  while (!stop->load()) {
    request.date = date::local_days{(base.year() / base.month() - date::months(k++ % months)) / 1};
    const auto start = Clock::now();
    try {
      auto pending = service->aggregate(request);
      auto result = co_await std::move(pending);
      if (!result.report.ok()) ++*rejected;
      else latencies->push_back(ms_since(start));
    } catch (const std::exception&) {
      ++*failed;
    }
  }
}

void run_load_test(storage::Database& db, const Dataset& dataset, const Options& options, BackendResult& out) {
  const auto users = db.read_now([school = dataset.measured_school](storage::Session& s) {
    std::vector<domain::Id> ids;
    for (long long id : storage::sql::fetch_all<storage::sql::IntegerRow>(
             s, "SELECT id FROM users WHERE school_id = :school ORDER BY id", {storage::sql::Param::of(static_cast<long long>(school))}))
      ids.push_back(id);
    return ids;
  });
  const auto tag = fmt::format("{}", storage::sql::micros_of(domain::now()));
  CheckinRecorder recorder(db, users, tag);

  // The aggregation of the loaded phase: the server's options, cache off (every request computes).
  aggregate::AggregationOptions agg_options;
  agg_options.cache_bytes = 0;
  const auto now = dataset.now;
  aggregate::Aggregation aggregation(agg_options, std::make_unique<aggregate::StorageLoader>(db), [now] { return now; });

  std::fprintf(stderr, "  load test: check-ins alone (%.0f s) ...\n", options.load_seconds);
  out.checkins_alone = recorder.run(options.load_seconds, &aggregation.service(), out.checkin_conflicts);

  std::fprintf(stderr, "  load test: check-ins while 32 clients aggregate (%.0f s) ...\n", options.load_seconds);
  Runner http(2);  // the server's HTTP threads
  auto stop = std::make_shared<std::atomic<bool>>(false);
  auto rejected = std::make_shared<std::atomic<long long>>(0);
  auto failed = std::make_shared<std::atomic<long long>>(0);
  std::vector<std::shared_ptr<std::vector<double>>> latencies;
  const auto requests = make_requests(0, domain::local_date_of(domain::find_time_zone("UTC"), now));
  std::vector<std::future<void>> clients;
  for (int i = 0; i < 32; ++i) {
    auto request = requests.past_month;
    request.school_id = dataset.school_ids[static_cast<std::size_t>(i) % dataset.school_ids.size()];
    latencies.push_back(std::make_shared<std::vector<double>>());
    // Clients of one school start on different months so they don't merge into one computation.
    request.date = date::local_days{(date::year_month_day{*request.date}.year() /
                                     date::year_month_day{*request.date}.month() -
                                     date::months(i / static_cast<int>(dataset.school_ids.size()))) /
                                    1};
    clients.push_back(boost::asio::co_spawn(
        http.io(), aggregate_client(&aggregation.service(), request, 6, stop, latencies.back(), rejected, failed),
        boost::asio::use_future));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the clients ramp up
  out.checkins_loaded = recorder.run(options.load_seconds, &aggregation.service(), out.checkin_conflicts);
  stop->store(true);
  for (auto& c : clients) c.get();
  aggregation.stop();
  for (const auto& l : latencies) {
    out.aggregates_done += static_cast<long long>(l->size());
    out.aggregate_latencies.insert(out.aggregate_latencies.end(), l->begin(), l->end());
  }
  out.aggregates_rejected = rejected->load();
  out.aggregates_failed = failed->load();
  out.load_ran = true;
}

// ---- one backend ----

BackendResult run_backend(const std::string& name, const std::string& url, const Options& options) {
  BackendResult out;
  out.name = name;
  std::fprintf(stderr, "%s: preparing %d schools x 2000 users at %s\n", name.c_str(), options.schools, url.c_str());
  DatasetShape shape;
  shape.schools = options.schools;
  const auto dataset = prepare_dataset(url, shape, options.reload);
  std::fprintf(stderr, "%s: %s %lld events (%.1f s), now = %s, measured school %lld\n", name.c_str(),
               dataset.loaded_now ? "loaded" : "reused", dataset.events, dataset.load_seconds,
               domain::format_timestamp(dataset.now).c_str(), static_cast<long long>(dataset.measured_school));

  storage::DatabaseOptions db_options;  // the server's defaults: 4 readers, 2 write lanes
  db_options.url = url;
  db_options.readers = 4;
  db_options.writers = 2;
  storage::Database db(db_options);
  Runner runner;
  const auto today = domain::local_date_of(domain::find_time_zone("UTC"), dataset.now);
  const auto requests = make_requests(dataset.measured_school, today);
  const int reps = options.reps;

  // Warm up the OS page cache and the connections once (both sides read the same pages).
  run_sql(db, dataset.measured_school, requests.past_first, requests.past_last);

  std::fprintf(stderr, "%s: past month ...\n", name.c_str());
  aggregate::ReportPtr past;
  measure_request(runner, db, dataset.now, requests.past_month, reps, out.cold_past, out.warm_past, &past);
  std::fprintf(stderr, "%s: SQL baseline ...\n", name.c_str());
  for (int r = 0; r < reps; ++r) {
    const auto start = Clock::now();
    out.baseline = run_sql(db, dataset.measured_school, requests.past_first, requests.past_last);
    out.sql.ms.push_back(ms_since(start));
  }
  std::fprintf(stderr, "%s: current month ...\n", name.c_str());
  measure_request(runner, db, dataset.now, requests.current_month, reps, out.cold_current, out.warm_current, nullptr);
  std::fprintf(stderr, "%s: 12-month series ...\n", name.c_str());
  aggregate::ReportPtr series;
  measure_request(runner, db, dataset.now, requests.series, std::max(3, reps / 2), out.cold_series, out.warm_series,
                  &series);
  out.series_periods = static_cast<int>(series->periods.size());

  const auto& period = past->periods.at(0);
  out.engine = Counts{period.total, period.present, period.absent};
  out.counts_equal = out.engine.present == out.baseline.present && out.engine.absent == out.baseline.absent;

  if (options.load_test) run_load_test(db, dataset, options, out);
  return out;
}

// ---- the table ----

void print_result(const BackendResult& r, const Options& options) {
  auto line = [](const std::string& text) { std::printf("%s\n", text.c_str()); };
  line(fmt::format("\n== {} ({} schools x 2000 users; medians of {} runs; ms) ==", r.name, options.schools,
                   options.reps));
  line(fmt::format("{:<44} {:>10} {:>10}   {}", "figure", "median", "min", "notes"));
  auto row = [&](const std::string& label, const Figure& f, const std::string& notes) {
    line(fmt::format("{:<44} {:>10.3f} {:>10.3f}   {}", label, f.med(), f.min(), notes));
  };
  auto cold_notes = [](const Figure& f) {
    return fmt::format("load_school {:.1f} + load_events {:.1f} ({} rows); rest compute", f.school_ms, f.events_ms,
                       f.rows);
  };
  row("SQL baseline (past month, one query)", r.sql, "");
  row("engine cold past month", r.cold_past, cold_notes(r.cold_past));
  row("engine warm past month", r.warm_past, "");
  row("engine cold current month", r.cold_current, cold_notes(r.cold_current));
  row("engine warm current month", r.warm_current, "");
  row(fmt::format("engine cold {}-month series", r.series_periods), r.cold_series, cold_notes(r.cold_series));
  row(fmt::format("engine warm {}-month series", r.series_periods), r.warm_series, "");

  line(fmt::format("\ncounts past month: engine total {} present {} absent {} | SQL total {} present {} absent {} -> {}",
                   r.engine.total, r.engine.present, r.engine.absent, r.baseline.total, r.baseline.present,
                   r.baseline.absent, r.counts_equal ? "EQUAL" : "DIFFERENT"));

  const double sql = r.sql.med();
  auto target = [&](const std::string& label, double value, const std::string& goal, bool met) {
    line(fmt::format("{:<44} {:>10.2f}   {:<12} {}", label, value, goal, met ? "met" : "MISSED"));
  };
  line(fmt::format("\n{:<44} {:>10}   {:<12} {}", "target", "value", "goal", "status"));
  target("cold past month / SQL", r.cold_past.med() / sql, "<= 1.0", r.cold_past.med() <= sql);
  target("SQL / warm past month", sql / r.warm_past.med(), ">= 100", sql / r.warm_past.med() >= 100);
  target("SQL / warm current month", sql / r.warm_current.med(), ">= 10", sql / r.warm_current.med() >= 10);
  target("warm 12-month series (ms)", r.warm_series.med(), "< 20", r.warm_series.med() < 20);
  line(fmt::format("{:<44} {:>10.2f}   {:<12} {}", "cold 12-month series (ms)", r.cold_series.med(), "reported", "-"));
  if (r.load_ran) {
    const double alone = percentile(r.checkins_alone, 0.99);
    const double loaded = percentile(r.checkins_loaded, 0.99);
    target("check-in p99 loaded / alone", loaded / alone, "< 2", loaded / alone < 2);
    line(fmt::format("  check-ins alone:  n {} p50 {:.2f} p99 {:.2f} max {:.2f} ms", r.checkins_alone.size(),
                     percentile(r.checkins_alone, 0.5), alone, percentile(r.checkins_alone, 1.0)));
    line(fmt::format("  check-ins loaded: n {} p50 {:.2f} p99 {:.2f} max {:.2f} ms (409s: {})", r.checkins_loaded.size(),
                     percentile(r.checkins_loaded, 0.5), loaded, percentile(r.checkins_loaded, 1.0),
                     r.checkin_conflicts));
    line(fmt::format("  aggregates (32 clients, cache off): {} done, p50 {:.1f} p99 {:.1f} ms, 503s {}, failures {}",
                     r.aggregates_done, percentile(r.aggregate_latencies, 0.5),
                     percentile(r.aggregate_latencies, 0.99), r.aggregates_rejected, r.aggregates_failed));
  }
  std::fflush(stdout);
}

int run(int argc, char** argv) {
  const auto options = parse_options(argc, argv);
  const char* pg_env = std::getenv("ATTENDANCE_BENCH_POSTGRES_URL");
  const bool want_sqlite = options.backend.empty() || options.backend == "sqlite" || options.backend == "all";
  const bool want_pg = (options.backend.empty() && pg_env != nullptr) || options.backend == "postgresql" ||
                       options.backend == "all";
  if (want_pg && pg_env == nullptr) throw std::invalid_argument("set ATTENDANCE_BENCH_POSTGRES_URL for PostgreSQL");
  bool all_equal = true;
  if (want_sqlite) {
    const auto r = run_backend("SQLite", "sqlite:" + options.sqlite_path, options);
    print_result(r, options);
    all_equal = all_equal && r.counts_equal;
  }
  if (want_pg) {
    const auto r = run_backend("PostgreSQL", pg_env, options);
    print_result(r, options);
    all_equal = all_equal && r.counts_equal;
  }
  if (!all_equal) {
    std::fprintf(stderr, "\nFAILED: the SQL baseline and the engine disagree on the past month's counts\n");
    return 2;
  }
  return 0;
}

}  // namespace
}  // namespace attendance::bench

int main(int argc, char** argv) {
  try {
    return attendance::bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aggregate_bench: %s\n", e.what());
    return 1;
  }
}
