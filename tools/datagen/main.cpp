// attendance-datagen: realistic, deterministic attendance data for demos and load tests.
// See docs/datagen.md. Exit status: 0 done (or skipped by --if-empty), 1 failed or events
// rejected, 2 bad usage, 130 interrupted.

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "domain/time.hpp"
#include "tools/datagen/direct_loader.hpp"
#include "tools/datagen/generator.hpp"
#include "tools/datagen/http_loader.hpp"
#include "tools/datagen/stop_flag.hpp"

namespace dg = attendance::datagen;
namespace domain = attendance::domain;

int main(int argc, char** argv) {
  CLI::App app{"attendance-datagen: generates schools, users and their check-ins/check-outs"};
  dg::GeneratorConfig config;
  std::string now_text, zone_name, target, token, database;
  int concurrency = 8, batch_rows = 10000, batch = 0;
  bool if_empty = false, no_progress = false;
  app.add_option("--schools", config.schools, "schools")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--users", config.users_per_school, "users per school")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--days", config.days, "local days of history, ending today")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--seed", config.seed, "seed: the same seed and --now give the same data")->capture_default_str();
  app.add_option("--now", now_text, "the run's clock, RFC 3339 (default: the current time)");
  app.add_option("--timezone", zone_name, "one IANA zone for every school, or 'live' (a zone in school hours now)");
  auto* target_opt = app.add_option("--target", target, "HTTP mode: the server, http://host:port");
  app.add_option("--token", token, "HTTP mode: an admin token (default: $ATTENDANCE_ADMIN_TOKEN)");
  app.add_option("--concurrency", concurrency, "HTTP mode: keep-alive connections")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--batch", batch, "HTTP mode: events per POST /api/attendances/batch (0: one per request)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  auto* database_opt = app.add_option("--database", database, "direct mode: sqlite:PATH or postgresql://...");
  app.add_flag("--if-empty", if_empty, "direct mode: do nothing when the database has a school");
  app.add_option("--batch-rows", batch_rows, "direct mode: rows per transaction")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_flag("--no-progress", no_progress, "no progress line on stderr");
  target_opt->excludes(database_opt);
  // --help is 0, every usage error 2 (docs/datagen.md), whatever CLI11's code for its kind.
  const auto usage_exit = [&app](const CLI::Error& e) { return app.exit(e) == 0 ? 0 : 2; };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return usage_exit(e);
  }

  try {
    config.now = domain::now();
    if (!now_text.empty()) {
      auto parsed = domain::parse_timestamp(now_text);
      if (!parsed) throw CLI::ValidationError("--now", "not an RFC 3339 timestamp: " + now_text);
      config.now = *parsed;
    }
    if (!zone_name.empty()) config.timezone = zone_name;
    dg::Generator generator(config);
    dg::install_stop_handlers();

    if (!database.empty()) {
      dg::DirectOptions options{database, if_empty, batch_rows, !no_progress};
      const auto report = dg::load_direct(generator, options);
      if (report.skipped) {
        std::cout << "the database already has schools; nothing generated (--if-empty)\n";
        return 0;
      }
      std::cout << fmt::format("loaded {} schools, {} users, {} attendances in {:.2f} s: {:.0f} rows/s{}\n",
                               report.schools, report.users, report.events, report.seconds,
                               report.rows_per_second(), report.interrupted ? " (interrupted)" : "");
      for (const auto& school : generator.schools()) {
        std::cout << fmt::format("  {} ({}), {} school days up to {}\n", school.name, school.timezone,
                                 generator.school_days(school.index).size(),
                                 domain::format_date(generator.today(school.index)));
      }
      return report.interrupted ? 130 : 0;
    }
    if (!target.empty()) {
      if (token.empty()) {
        if (const char* env = std::getenv("ATTENDANCE_ADMIN_TOKEN")) token = env;
      }
      if (token.empty()) throw CLI::ValidationError("--token", "HTTP mode needs --token or ATTENDANCE_ADMIN_TOKEN");
      dg::HttpOptions options{target, token, concurrency, !no_progress, batch};
      const auto report = dg::load_http(generator, options);
      std::cout << dg::format_report(report);
      if (report.interrupted) return 130;
      return report.fatal.empty() && report.rejected() == 0 ? 0 : 1;
    }
    // Neither mode: describe the run without sending anything.
    std::cout << fmt::format("{} events for {} schools x {} users over {} days (dry run: no --target or --database)\n",
                             generator.count_events(), config.schools, config.users_per_school, config.days);
    return 0;
  } catch (const CLI::Error& e) {
    return usage_exit(e);
  } catch (const std::invalid_argument& e) {  // a zone or a database URL that names nothing
    std::cerr << "attendance-datagen: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "attendance-datagen: " << e.what() << "\n";
    return 1;
  }
}
