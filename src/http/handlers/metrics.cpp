// GET /metrics: the Prometheus text exposition (format 0.0.4). Readable with an admin token or
// with the dedicated ATTENDANCE_METRICS_TOKEN (compared in constant time), so a scraper needs no
// API token.

#include "aggregate/service.hpp"
#include "domain/secrets.hpp"
#include "http/cluster.hpp"
#include "http/handlers/common.hpp"
#include "http/handlers/handlers.hpp"
#include "http/live/hub.hpp"
#include "http/metrics.hpp"
#include "http/rate_limit.hpp"
#include "http/server.hpp"

namespace attendance::http {

namespace {

MetricsSources gather(const AppContext& app) {
  MetricsSources sources;
  if (app.server) {
    auto c = app.server->stats();
    sources.connections =
        MetricsSources::Connections{c.open, c.refused, c.timed_out_header, c.timed_out_body, c.timed_out_write};
  }
  auto db = app.db.stats();
  sources.database = MetricsSources::Database{db.reads, db.writes, db.commits, db.read_queue, db.write_queue};
  if (app.aggregates) {
    auto counters = app.aggregates->counters();
    auto cache = app.aggregates->cache_stats();
    sources.aggregation = MetricsSources::Aggregation{
        counters.requests, counters.cache_hits, counters.merged,  counters.started, counters.completed,
        counters.rejected, counters.timed_out,  counters.failed,  counters.retried, cache.bytes,
        cache.days,        cache.schools,       cache.evictions};
  }
  if (app.hub) sources.streams = MetricsSources::Streams{app.hub->open_streams(), app.hub->dropped_slow_readers()};
  if (app.rate_limiter) sources.rate_limit_buckets = app.rate_limiter->size();
  if (app.cluster) {
    auto cluster = app.cluster->stats();
    sources.cluster = MetricsSources::Cluster{cluster.sent,       cluster.applied, cluster.own, cluster.undecodable,
                                              cluster.reconnects, cluster.dropped, app.cluster->connected()};
  }
  return sources;
}

awaitable<Response> metrics(Request& req) {
  auto secret = bearer_secret(req.header("authorization"));
  if (!secret) co_return error_response(req, ErrorKind::unauthorized);
  bool scraper = !req.app.metrics_token.empty() && domain::secrets_equal(*secret, req.app.metrics_token);
  if (!scraper) {
    req.principal = co_await authenticate(req.app, req.header("authorization"));
    if (!req.principal) co_return error_response(req, ErrorKind::unauthorized);
    if (auto denied = forbid_unless(req, {Role::admin})) co_return std::move(*denied);
  }
  if (!req.app.metrics) co_return error_response(req, ErrorKind::not_found);
  Response res = make_response(req, Status::ok);
  res.set(beast_http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.set(beast_http::field::cache_control, "no-store");
  res.body() = req.app.metrics->render(gather(req.app));
  res.prepare_payload();
  co_return res;
}

}  // namespace

std::vector<Route> metrics_routes() {
  return {{Verb::get, "/metrics", &metrics, Access::public_}};
}

}  // namespace attendance::http
