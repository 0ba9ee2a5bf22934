#pragma once
// The data set of aggregate_bench: N schools of 2,000 users with a school year of events
// (tools/datagen's generator: arrivals around 07:35-08:30, departures 14:30-16:00, lunch
// check-out/check-in pairs, ~6 % absence, ~2 % missing check-outs, a few fevers), loaded in
// calendar-day order across schools (so one school's rows are interleaved with the others', as
// in a live database), through tools/datagen's bulk writers (SQLite: one prepared INSERT in big
// transactions; PostgreSQL: COPY FROM STDIN).
//
// The measured school sits in the middle of the load and its zone is UTC (the SQLite baseline
// query buckets days in UTC); the others get the generator's mixed zones. Every school has the
// same closures: a spring-break week and two days of the month before the bench's "today".
//
// A marker table (bench_aggregate_dataset) records what was loaded; a later run with the same
// shape reuses the database, including the loaded "now", so re-runs skip the load.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>
#include <libpq-fe.h>

#include "domain/time.hpp"
#include "storage/connection.hpp"
#include "storage/database.hpp"
#include "storage/repositories.hpp"
#include "storage/sql.hpp"
#include "tools/datagen/bulk_writer.hpp"
#include "tools/datagen/generator.hpp"

namespace attendance::bench {

struct DatasetShape {
  std::uint64_t seed = 2026;
  int schools = 50;
  int users_per_school = 2000;
  int days = 252;  // calendar days ending with today: ~180 school days (late March .. today)
};

struct Dataset {
  DatasetShape shape;
  domain::Timestamp now{};         // the clock of the run (the generator's and the engine's)
  domain::Id measured_school = 0;  // UTC
  std::vector<domain::Id> school_ids;
  long long events = 0;
  bool loaded_now = false;         // false: reused
  double load_seconds = 0;
};

namespace detail {

constexpr std::string_view kMarkerTable = "bench_aggregate_dataset";

// The latest weekday 11:00 UTC at or before the real clock: a school day in progress in the
// measured (UTC) school, so the current month has a "today" with check-ins and open intervals.
inline domain::Timestamp pick_now() {
  const auto real = domain::now();
  auto day = date::floor<date::days>(real);
  for (;;) {
    const auto candidate = day + std::chrono::hours(11);
    const date::weekday wd{day};
    if (candidate <= real && wd != date::Saturday && wd != date::Sunday) {
      return std::chrono::time_point_cast<std::chrono::microseconds>(candidate);
    }
    day -= date::days(1);
  }
}

inline bool marker_exists(storage::Database& db) {
  return db.read_now([](storage::Session& s) {
    const std::string_view query =
        s.is_postgresql()
            ? "SELECT count(*) FROM information_schema.tables WHERE table_name = 'bench_aggregate_dataset'"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'bench_aggregate_dataset'";
    return storage::sql::fetch_integer(s, query, {});
  }) > 0;
}

struct MarkerRow {
  long long seed = 0, schools = 0, users = 0, days = 0, now = 0, measured = 0, events = 0;
  void bind(soci::statement& st) {
    st.exchange(soci::into(seed));
    st.exchange(soci::into(schools));
    st.exchange(soci::into(users));
    st.exchange(soci::into(days));
    st.exchange(soci::into(now));
    st.exchange(soci::into(measured));
    st.exchange(soci::into(events));
  }
  MarkerRow value() const { return *this; }
};

inline std::optional<MarkerRow> read_marker(storage::Database& db) {
  if (!marker_exists(db)) return std::nullopt;
  return db.read_now([](storage::Session& s) {
    return storage::sql::fetch_one<MarkerRow>(
        s, "SELECT seed, schools, users, days, now_micros, measured_school, events FROM bench_aggregate_dataset", {});
  });
}

// The closures of every school: a spring-break week (the first full week of April) and the
// 9th and 10th weekdays of the month before `today`.
inline std::vector<domain::LocalDate> closure_dates(domain::LocalDate today) {
  std::vector<domain::LocalDate> out;
  const date::year_month_day ymd{today};
  auto april = date::local_days{ymd.year() / date::April / 1};
  if (april > today) april = date::local_days{(ymd.year() - date::years(1)) / date::April / 1};
  while (domain::iso_weekday(april) != 1) april += date::days(1);
  for (int i = 0; i < 5; ++i) out.push_back(april + date::days(i));
  const auto previous = ymd.year() / ymd.month() / 1 - date::months(1);
  int weekday_index = 0;
  for (auto d = date::local_days{previous}; date::year_month_day{d}.month() == previous.month(); d += date::days(1)) {
    if (domain::iso_weekday(d) > 5) continue;
    ++weekday_index;
    if (weekday_index == 9 || weekday_index == 10) out.push_back(d);
  }
  return out;
}

}  // namespace detail

// Loads the data set into `url` unless it already holds one of this shape (or `reload`): wipes
// the database (SQLite: the file; PostgreSQL: the public schema), migrates, loads, analyzes.
inline Dataset prepare_dataset(const std::string& url, const DatasetShape& shape, bool reload) {
  const bool pg = storage::backend_of_url(url) == storage::Backend::postgresql;
  auto open = [&url] {
    storage::DatabaseOptions options;
    options.url = url;
    options.readers = 1;
    options.writers = 1;
    return std::make_unique<storage::Database>(options);
  };
  Dataset dataset;
  dataset.shape = shape;
  {
    auto db = open();
    const auto marker = detail::read_marker(*db);
    if (!reload && marker && marker->seed == static_cast<long long>(shape.seed) && marker->schools == shape.schools &&
        marker->users == shape.users_per_school && marker->days == shape.days) {
      dataset.now = storage::sql::timestamp_of_micros(marker->now);
      dataset.measured_school = marker->measured;
      dataset.events = marker->events;
      dataset.school_ids = db->read_now([](storage::Session& s) {
        std::vector<domain::Id> ids;
        for (long long id : storage::sql::fetch_all<storage::sql::IntegerRow>(s, "SELECT id FROM schools ORDER BY id", {}))
          ids.push_back(id);
        return ids;
      });
      return dataset;
    }
    if (pg) {
      db->write_now([](storage::Session& s) {
        s.sql << "DROP SCHEMA public CASCADE";
        s.sql << "CREATE SCHEMA public";
        return domain::Done{};
      });
    }
  }
  if (!pg) {
    const auto path = storage::target_of_url(url).connect_string;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }

  const auto started = std::chrono::steady_clock::now();
  dataset.loaded_now = true;
  dataset.now = detail::pick_now();
  datagen::GeneratorConfig config;
  config.seed = shape.seed;
  config.schools = shape.schools;
  config.users_per_school = shape.users_per_school;
  config.days = shape.days;
  config.now = dataset.now;
  const datagen::Generator mixed(config);
  config.timezone = "UTC";
  const datagen::Generator utc(config);
  const int measured = shape.schools / 2;
  auto generator_of = [&](int school) -> const datagen::Generator& { return school == measured ? utc : mixed; };

  std::vector<std::vector<domain::Id>> user_ids(static_cast<std::size_t>(shape.schools));
  std::vector<std::vector<datagen::UserSpec>> users(static_cast<std::size_t>(shape.schools));
  {
    auto db = open();
    dataset.school_ids = db->write_now([&](storage::Session& s) {
      std::vector<domain::Id> ids;
      for (int i = 0; i < shape.schools; ++i) {
        const auto& g = generator_of(i);
        const auto& spec = g.schools()[static_cast<std::size_t>(i)];
        domain::School school;
        school.name = spec.name;
        school.timezone = spec.timezone;
        school.school_days = spec.school_days;
        const auto stored = storage::insert_school(s, school);
        ids.push_back(stored.id);
        for (auto day : detail::closure_dates(g.today(i))) {
          storage::upsert_closure(s, domain::Closure{stored.id, day, "bench closure"});
        }
        for (int u = 0; u < shape.users_per_school; ++u) {
          auto spec_user = g.user(i, u);
          domain::User user;
          user.school_id = stored.id;
          user.name = spec_user.name;
          user.external_id = spec_user.external_id;
          user.enrolled_on = spec_user.enrolled_on;
          user_ids[static_cast<std::size_t>(i)].push_back(storage::insert_user(s, user).id);
          users[static_cast<std::size_t>(i)].push_back(std::move(spec_user));
        }
      }
      return ids;
    });
  }
  dataset.measured_school = dataset.school_ids[static_cast<std::size_t>(measured)];

  // Calendar-day order across schools, like a live database fills up.
  domain::LocalDate first = generator_of(0).first_day(0), last = generator_of(0).today(0);
  std::vector<std::vector<bool>> is_day(static_cast<std::size_t>(shape.schools));
  for (int i = 0; i < shape.schools; ++i) {
    first = std::min(first, generator_of(i).first_day(i));
    last = std::max(last, generator_of(i).today(i));
  }
  for (int i = 0; i < shape.schools; ++i) {
    auto& flags = is_day[static_cast<std::size_t>(i)];
    flags.assign(static_cast<std::size_t>((last - first).count() + 1), false);
    for (auto d : generator_of(i).school_days(i)) flags[static_cast<std::size_t>((d - first).count())] = true;
  }
  auto writer = datagen::open_bulk_writer(url, pg ? 500'000 : 50'000);
  std::vector<datagen::Event> events;
  datagen::AttendanceRow row;
  const auto total_days = (last - first).count() + 1;
  long long reported = -1;
  for (auto day = first; day <= last; day += date::days(1)) {
    const auto offset = static_cast<std::size_t>((day - first).count());
    for (int i = 0; i < shape.schools; ++i) {
      if (!is_day[static_cast<std::size_t>(i)][offset]) continue;
      const auto& g = generator_of(i);
      row.school_id = dataset.school_ids[static_cast<std::size_t>(i)];
      for (const auto& user : users[static_cast<std::size_t>(i)]) {
        events.clear();
        g.day_events(user, day, events);
        row.user_id = user_ids[static_cast<std::size_t>(i)][static_cast<std::size_t>(user.index)];
        for (const auto& event : events) {
          row.timestamp = event.timestamp;
          row.inserted_at = event.timestamp;
          row.type = event.type;
          row.temperature = event.temperature;
          row.client_id = datagen::client_id_of(shape.seed, user, day, event.sequence);
          writer->add(row);
        }
      }
    }
    const long long percent = 100 * (static_cast<long long>(offset) + 1) / total_days;
    if (percent / 10 != reported / 10) {
      reported = percent;
      std::fprintf(stderr, "  loading: %3lld %% of days (%.1f s)\n", percent,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
  }
  writer->finish();
  dataset.events = static_cast<long long>(writer->committed());
  writer.reset();

  {
    auto db = open();
    std::fprintf(stderr, "  analyzing ...\n");
    if (!pg) {
      db->write_now([](storage::Session& s) {
        s.sql << "ANALYZE";
        return domain::Done{};
      });
    }
    db->write_now([&dataset, &shape](storage::Session& s) {
      using storage::sql::Param;
      storage::sql::execute(s,
                            "CREATE TABLE bench_aggregate_dataset (seed bigint, schools bigint, users bigint, "
                            "days bigint, now_micros bigint, measured_school bigint, events bigint)",
                            {});
      storage::sql::execute(
          s, "INSERT INTO bench_aggregate_dataset VALUES (:seed, :schools, :users, :days, :now, :measured, :events)",
          {Param::of(static_cast<long long>(shape.seed)), Param::of(static_cast<long long>(shape.schools)),
           Param::of(static_cast<long long>(shape.users_per_school)), Param::of(static_cast<long long>(shape.days)),
           Param::of(storage::sql::micros_of(dataset.now)), Param::of(static_cast<long long>(dataset.measured_school)),
           Param::of(dataset.events)});
      return domain::Done{};
    });
  }
  if (pg) {
    // VACUUM can't run in a transaction: a libpq connection of our own. It sets the visibility
    // map (index-only scans) and the statistics, as autovacuum would have on a live database.
    PGconn* conn = PQconnectdb(storage::target_of_url(url).connect_string.c_str());
    PGresult* result = PQexec(conn, "VACUUM ANALYZE");
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    const std::string message = ok ? "" : PQerrorMessage(conn);
    PQfinish(conn);
    if (!ok) throw std::runtime_error("VACUUM ANALYZE failed: " + message);
  }
  dataset.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return dataset;
}

}  // namespace attendance::bench
