// attendance-server: the composition root. Builds the configuration, the database, the
// aggregation engine and the router, hands references down, and serves until SIGTERM/SIGINT.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include <boost/asio/signal_set.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "aggregate/aggregation.hpp"
#include "aggregate/storage_loader.hpp"
#include "app/backup.hpp"
#include "app/bootstrap.hpp"
#include "app/config.hpp"
#include "http/changes.hpp"
#include "http/cluster.hpp"
#include "http/dispatcher.hpp"
#include "http/handlers/handlers.hpp"
#include "http/live/hub.hpp"
#include "http/live/occupancy.hpp"
#include "http/live/revoked_streams.hpp"
#include "http/metrics.hpp"
#include "http/rate_limit.hpp"
#include "http/static_files.hpp"
#include "http/token_cache.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"

namespace {

using namespace attendance;

int serve(const app::Config& config) {
  storage::DatabaseOptions db_options;
  db_options.url = config.database_url;
  db_options.readers = config.db_readers;
  db_options.writers = config.db_writers;
  db_options.statement_timeout = std::chrono::seconds(config.db_statement_timeout_seconds);
  storage::Database db(db_options);

  aggregate::AggregationOptions aggregation_options;
  aggregation_options.threads = static_cast<std::size_t>(config.aggregate_threads);
  aggregation_options.cache_bytes = config.aggregate_cache_mb << 20;
  if (config.aggregate_max_running > 0) aggregation_options.supervisor.max_running = config.aggregate_max_running;
  aggregation_options.supervisor.max_waiting = config.aggregate_max_waiting;
  aggregation_options.supervisor.deadline = std::chrono::milliseconds(config.aggregate_deadline_ms);
  aggregate::Aggregation aggregation(aggregation_options, std::make_unique<aggregate::StorageLoader>(db));

  http::live::Hub hub({config.max_streams, 256});
  http::StaticFiles web(config.web_root);
  http::AppContext context{db, &aggregation.service()};
  context.mode = config.mode;
  context.hub = &hub;
  context.web = &web;
  context.metrics_token = config.metrics_token;
  http::TokenCache tokens({});
  context.tokens = &tokens;
  http::RateLimiter rate_limiter({config.rate_limit, config.rate_burst});
  if (rate_limiter.enabled()) context.rate_limiter = &rate_limiter;
  http::Router router;
  router.add(http::all_routes());
  http::Metrics metrics(router.routes());
  context.metrics = &metrics;
  http::Dispatcher dispatcher(context, router);

  http::ServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.threads = config.threads;
  options.body_limit = config.body_limit;
  options.header_timeout = std::chrono::seconds(config.header_timeout_seconds);
  options.body_timeout = std::chrono::seconds(config.body_timeout_seconds);
  options.max_connections = config.max_connections;
  http::Server server(options, dispatcher);
  context.server = &server;
  http::live::Occupancy occupancy(db, hub, server.io_context().get_executor());
  context.occupancy = &occupancy;
  http::live::RevokedStreams revoked_streams(db, hub, server.io_context().get_executor());
  context.on_tokens_changed = [&tokens, &revoked_streams] {
    tokens.clear();
    revoked_streams.check();
  };
  // Other processes on the same PostgreSQL hear of this one's writes, and it of theirs.
  std::optional<http::Cluster> cluster;
  if (db.backend() == storage::Backend::postgresql) {
    cluster.emplace(context, config.database_url);
    context.cluster = &*cluster;
    if (!cluster->start(std::chrono::seconds(5))) {
      spdlog::warn("not listening for the other processes' changes yet: not ready until then");
    }
  }
  auto port = server.listen();
  // Only once the port is ours: a start that can't listen must not use up the one showing of a
  // new secret. Nothing is served before run().
  auto admin = app::ensure_admin_token(db, config.admin_token);
  if (admin.generated_secret) {
    std::cout << "Created an admin token; it is shown only this once:\n  " << *admin.generated_secret << "\n"
              << std::flush;
  }
  // As an API revocation does: the other processes forget the retired secrets and end their
  // streams (this one has neither yet). After the commit, so none of them re-reads them as active.
  if (!admin.retired.empty()) http::tokens_changed(context);

  boost::asio::signal_set signals(server.io_context(), SIGINT, SIGTERM);
  signals.async_wait([&server](const boost::system::error_code& error, int signal) {
    if (error) return;
    // Stopping first: once the line is logged, every answer written says connection: close.
    server.stop();
    spdlog::info("signal {}: finishing requests in flight, then stopping", signal);
  });

  std::string shown_host = config.host == "0.0.0.0" ? "127.0.0.1" : config.host;
  std::cout << "attendance-server listening on http://" << shown_host << ":" << port << std::endl;
  spdlog::info("serving on {}:{} with {} threads, database {}, mode {}", config.host, port, config.threads,
               app::redact_url(config.database_url), config.mode == http::Mode::dev ? "dev" : "prod");
  server.run();
  if (cluster) cluster->stop();  // after the last request: its announcement goes out first
  aggregation.stop();
  // Jobs still running (an occupancy recount, a stream's read) finish while the server's
  // io_context, which they resume on, still exists.
  db.close();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = app::parse_config(argc, argv);
  if (parsed.exit_code) return *parsed.exit_code;
  const auto& config = parsed.config;

  if (config.print_routes) {
    http::Router router;
    router.add(http::all_routes());
    for (const auto& line : router.describe()) std::cout << line << "\n";
    return 0;
  }
  // Before anything of the server: the backup only reads the database, beside a running server.
  if (config.backup_to) return app::backup_database(config.database_url, *config.backup_to, std::cout, std::cerr);

  spdlog::set_default_logger(spdlog::stderr_color_mt("attendance"));
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  try {
    return serve(config);
  } catch (const std::exception& error) {
    spdlog::critical("cannot start: {}", error.what());
    return 1;
  }
}
