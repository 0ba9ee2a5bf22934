#include "http/metrics.hpp"

#include <chrono>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

namespace attendance::http {
namespace {

using namespace std::chrono_literals;

boost::asio::awaitable<Response> no_handler(Request&) { co_return Response{}; }

std::vector<Route> routes() {
  return {{Verb::get, "/api/schools/:id", &no_handler},
          {Verb::patch, "/api/schools/:id", &no_handler},
          {Verb::post, "/api/attendances", &no_handler},
          {Verb::get, "/api/attendances", &no_handler}};
}

bool contains_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

TEST(Metrics, RequestsAreCountedByRoutePatternMethodAndStatus) {
  Metrics metrics(routes());
  metrics.record(0, Verb::get, 200, 1ms);
  metrics.record(0, Verb::get, 200, 1ms);
  metrics.record(1, Verb::patch, 422, 1ms);
  metrics.record(metrics.unmatched(), Verb::get, 404, 1ms);
  metrics.record(metrics.unmatched(), Verb::get, 599, 1ms);
  auto text = metrics.render();
  EXPECT_TRUE(contains_line(text, R"(attendance_http_requests_total{route="/api/schools/:id",method="GET",status="200"} 2)")) << text;
  EXPECT_TRUE(contains_line(text, R"(attendance_http_requests_total{route="/api/schools/:id",method="PATCH",status="422"} 1)")) << text;
  EXPECT_TRUE(contains_line(text, R"(attendance_http_requests_total{route="unmatched",method="GET",status="404"} 1)")) << text;
  EXPECT_TRUE(contains_line(text, R"(attendance_http_requests_total{route="unmatched",method="GET",status="other"} 1)")) << text;
}

TEST(Metrics, HistogramBucketsAreCumulativeWithSumAndCount) {
  Metrics metrics(routes());
  metrics.record(0, Verb::get, 200, 500us);   // <= 0.001
  metrics.record(1, Verb::patch, 200, 3ms);   // same pattern, <= 0.005
  metrics.record(0, Verb::get, 200, 5ms);     // exactly on a bound: <= 0.005
  metrics.record(0, Verb::get, 200, 20s);     // only +Inf
  auto text = metrics.render();
  const std::string prefix = R"(attendance_http_request_duration_seconds_bucket{route="/api/schools/:id",le=")";
  EXPECT_TRUE(contains_line(text, prefix + R"(0.001"} 1)")) << text;
  EXPECT_TRUE(contains_line(text, prefix + R"(0.005"} 3)")) << text;
  EXPECT_TRUE(contains_line(text, prefix + R"(0.01"} 3)")) << text;
  EXPECT_TRUE(contains_line(text, prefix + R"(10"} 3)")) << text;
  EXPECT_TRUE(contains_line(text, prefix + R"(+Inf"} 4)")) << text;
  EXPECT_TRUE(contains_line(text, R"(attendance_http_request_duration_seconds_count{route="/api/schools/:id"} 4)")) << text;
  EXPECT_TRUE(contains_line(text, R"(attendance_http_request_duration_seconds_sum{route="/api/schools/:id"} 20.0085)")) << text;
  // Routes without requests have no series.
  EXPECT_EQ(text.find(R"(duration_seconds_count{route="/api/attendances"})"), std::string::npos);
}

TEST(Metrics, EveryLineIsACommentOrASampleOfTheTextFormat) {
  Metrics metrics(routes());
  metrics.record(0, Verb::get, 200, 2ms);
  MetricsSources sources;
  sources.database = MetricsSources::Database{1, 2, 3, 4, 5};
  sources.aggregation = MetricsSources::Aggregation{};
  sources.streams = MetricsSources::Streams{7, 1};
  sources.connections = MetricsSources::Connections{9, 2, 3, 4, 5};
  auto text = metrics.render(sources);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::regex comment(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+)");
  std::regex sample(R"([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? ([0-9.e+-]+|\+Inf))");
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    EXPECT_TRUE(std::regex_match(line, comment) || std::regex_match(line, sample)) << line;
  }
  EXPECT_TRUE(contains_line(text, "# TYPE attendance_http_request_duration_seconds histogram"));
  EXPECT_TRUE(contains_line(text, "attendance_db_write_queue 5"));
  EXPECT_TRUE(contains_line(text, "attendance_live_open_streams 7"));
  EXPECT_TRUE(contains_line(text, R"(attendance_aggregation_outcomes_total{outcome="timed_out"} 0)"));
  EXPECT_TRUE(contains_line(text, "attendance_http_connections_open 9"));
  EXPECT_TRUE(contains_line(text, "attendance_http_connections_refused_total 2"));
  EXPECT_TRUE(contains_line(text, R"(attendance_http_connections_timed_out_total{phase="header"} 3)"));
  EXPECT_TRUE(contains_line(text, R"(attendance_http_connections_timed_out_total{phase="body"} 4)"));
  EXPECT_TRUE(contains_line(text, R"(attendance_http_connections_timed_out_total{phase="write"} 5)"));
}

TEST(Metrics, EventsRecordedCountsStoredEventsNotResponses) {
  Metrics metrics(routes());
  metrics.record(2, Verb::post, 201, 1ms);
  EXPECT_EQ(metrics.events_recorded(), 0U);
  metrics.count_event_recorded();
  metrics.count_event_recorded();
  EXPECT_EQ(metrics.events_recorded(), 2U);
  EXPECT_TRUE(contains_line(metrics.render(), "attendance_events_recorded_total 2"));
}

}  // namespace
}  // namespace attendance::http
