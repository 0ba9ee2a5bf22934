// Direct mode on PostgreSQL (COPY): every generated event lands, in a fresh database created
// through ATTENDANCE_TEST_POSTGRES_URL (scripts/pg-test-server.sh start); skipped without it.

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>

#include <gtest/gtest.h>

#include "domain/time.hpp"
#include "tools/datagen/direct_loader.hpp"

namespace attendance::datagen {
namespace {

// Runs one statement on a URL; returns the first value of the first row ("" when none).
std::string query(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error(message);
  }
  PGresult* result = PQexec(conn, sql.c_str());
  const auto status = PQresultStatus(result);
  std::string value = status == PGRES_TUPLES_OK && PQntuples(result) > 0 ? PQgetvalue(result, 0, 0) : "";
  std::string error = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK ? "" : PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (!error.empty()) throw std::runtime_error(error);
  return value;
}

std::string with_database(const std::string& url, const std::string& database) {
  return url.substr(0, url.rfind('/')) + "/" + database;
}

TEST(DirectLoaderPostgresql, CopiesEveryGeneratedEvent) {
  const char* base = std::getenv("ATTENDANCE_TEST_POSTGRES_URL");
  if (base == nullptr || *base == '\0') GTEST_SKIP() << "needs ATTENDANCE_TEST_POSTGRES_URL";
  const std::string name = "datagen_test_" + std::to_string(getpid());
  const std::string admin = with_database(base, "postgres");
  query(admin, "DROP DATABASE IF EXISTS " + name);
  query(admin, "CREATE DATABASE " + name);
  const std::string url = with_database(base, name);

  GeneratorConfig config;
  config.seed = 4;
  config.schools = 2;
  config.users_per_school = 40;
  config.days = 20;
  config.now = *domain::parse_timestamp("2026-11-25T21:00:00Z");
  const Generator generator(config);
  // Small batches: several COPY statements, so batch boundaries are exercised too.
  const auto report = load_direct(generator, DirectOptions{url, false, 50, false});
  EXPECT_EQ(report.events, generator.count_events());
  EXPECT_EQ(query(url, "SELECT count(*) FROM attendances"), std::to_string(report.events));
  for (const auto& school : generator.schools()) {  // nobody enrolled before the history starts
    EXPECT_EQ(query(url, "SELECT count(*) FROM users WHERE school_id = " + std::to_string(school.index + 1) +
                             " AND enrolled_on < DATE '" + domain::format_date(generator.first_day(school.index)) + "'"),
              "0");
  }
  // Timestamps survive the text format exactly (microseconds, UTC).
  std::vector<Event> events;
  generator.day_events(generator.user(0, 0), generator.school_days(0).front(), events);
  if (!events.empty()) {
    const auto micros = events.front().timestamp.time_since_epoch().count();
    EXPECT_EQ(query(url, "SELECT count(*) FROM attendances WHERE user_id = 1 AND \"timestamp\" = "
                         "to_timestamp(0) + " + std::to_string(micros) + " * interval '1 microsecond'"),
              "1");
  }
  EXPECT_EQ(load_direct(generator, DirectOptions{url, true, 50, false}).skipped, true);
  query(admin, "DROP DATABASE " + name + " WITH (FORCE)");
}

}  // namespace
}  // namespace attendance::datagen
