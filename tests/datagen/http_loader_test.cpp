// HTTP mode end to end: a real attendance-server on a fresh SQLite file, the generator sending a
// small school through the API; nothing may be rejected and the server must hold exactly what
// was sent.

#include <gtest/gtest.h>

#include "datagen/listing_support.hpp"
#include "datagen/server_process_support.hpp"
#include "datagen/temp_path_support.hpp"
#include "domain/time.hpp"
#include "tools/datagen/http_loader.hpp"

namespace attendance::datagen {
namespace {

constexpr const char* kToken = "datagen-test-admin-token-0123456789";

std::uint64_t count_on_server(const std::string& url) { return testing::count_on_server(url, kToken); }

GeneratorConfig config_of(std::uint64_t seed, int schools, int users_per_school, int days) {
  GeneratorConfig config;
  config.seed = seed;
  config.schools = schools;
  config.users_per_school = users_per_school;
  config.days = days;
  config.now = domain::now();  // the server refuses events more than 5 minutes ahead of its clock
  return config;
}

TEST(HttpLoader, SendsASchoolWithoutASingleRejection) {
  testing::TempDatabase file("datagen-http");
  testing::ServerProcess server(file.url(), kToken);

  const Generator generator(config_of(21, 2, 25, 10));

  const auto report = load_http(generator, HttpOptions{server.url(), kToken, 4, false});
  ASSERT_TRUE(report.fatal.empty()) << report.fatal << "\n" << server.output();
  EXPECT_EQ(report.schools, 2u);
  EXPECT_EQ(report.users, 50u);
  EXPECT_GT(report.total, 300u);
  EXPECT_EQ(report.sent, report.total);
  EXPECT_EQ(report.rejected(), 0u) << format_report(report);
  EXPECT_EQ(report.accepted, report.total);
  EXPECT_EQ(report.latency.count(), report.sent);
  EXPECT_EQ(count_on_server(server.url()), report.accepted);
}

TEST(HttpLoader, SendsInBatchesWithEveryItemAccepted) {
  testing::TempDatabase file("datagen-http-batch");
  testing::ServerProcess server(file.url(), kToken);

  const Generator generator(config_of(22, 1, 30, 8));

  HttpOptions options{server.url(), kToken, 3, false};
  options.batch = 50;
  const auto report = load_http(generator, options);
  ASSERT_TRUE(report.fatal.empty()) << report.fatal << "\n" << server.output();
  EXPECT_GT(report.total, 150u);
  EXPECT_EQ(report.sent, report.total);
  EXPECT_EQ(report.accepted, report.total) << format_report(report);
  // One request per batch: each worker's full batches and its last partial one.
  EXPECT_LT(report.latency.count(), report.total / 10);
  EXPECT_GE(report.latency.count(), report.total / 50);
  EXPECT_EQ(count_on_server(server.url()), report.accepted);
}

TEST(HttpLoader, WaitsOutTheServersRateLimitAndLosesNothing) {
  testing::TempDatabase file("datagen-http-limited");
  // 30 requests/s, bursts of 20: far below what even a loaded sanitizer build answers, so the
  // limit is reached on any machine (at 100/s a slow run never reached it).
  testing::ServerProcess server(file.url(), kToken, "30");

  const Generator generator(config_of(23, 1, 15, 6));

  const auto report = load_http(generator, HttpOptions{server.url(), kToken, 4, false});
  ASSERT_TRUE(report.fatal.empty()) << report.fatal << "\n" << server.output();
  EXPECT_GT(report.total, 60u);
  EXPECT_GT(report.retried, 0u) << "the limit was never reached: " << format_report(report);
  EXPECT_EQ(report.accepted, report.total) << format_report(report);
  EXPECT_EQ(report.by_status.count(429), 0u) << "a 429 counted as an answer: " << format_report(report);
  EXPECT_EQ(report.by_status.at(201), report.total);
}

TEST(HttpLoader, ReportsAWrongTokenAsAFatalStop) {
  testing::TempDatabase file("datagen-http-token");
  testing::ServerProcess server(file.url(), kToken);
  GeneratorConfig config;
  config.now = domain::now();
  const Generator generator(config);
  const auto report = load_http(generator, HttpOptions{server.url(), "not-the-token", 2, false});
  EXPECT_NE(report.fatal.find("401"), std::string::npos) << report.fatal;
  EXPECT_EQ(report.sent, 0u);
}

TEST(HttpLoader, ReportsAnUnreachableServer) {
  GeneratorConfig config;
  config.now = domain::now();
  const Generator generator(config);
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  const auto report = load_http(generator, HttpOptions{"http://127.0.0.1:1", kToken, 2, false});
  EXPECT_GT(report.transport_errors, 0u);
  // Told plainly: the system's reason, not the library's source location.
  EXPECT_EQ(report.fatal, "no answer from the server: Connection refused");
}

}  // namespace
}  // namespace attendance::datagen
