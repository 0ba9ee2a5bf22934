#include "tools/datagen/direct_loader.hpp"

#include <chrono>
#include <vector>

#include "domain/result.hpp"
#include "storage/database.hpp"
#include "storage/repositories.hpp"
#include "tools/datagen/bulk_writer.hpp"
#include "tools/datagen/progress.hpp"
#include "tools/datagen/stop_flag.hpp"

namespace attendance::datagen {

namespace {

// PostgreSQL batches are larger: a COPY's fixed cost is a round trip and a commit.
constexpr int kPostgresqlBatchFactor = 20;

struct Created {
  std::vector<domain::Id> school_ids;
  std::vector<std::vector<domain::Id>> user_ids;  // [school][user]
};

Created create_schools_and_users(storage::Database& db, const Generator& generator) {
  return db.write_now([&generator](storage::Session& s) {
    Created created;
    for (const auto& spec : generator.schools()) {
      domain::School school;
      school.name = spec.name;
      school.timezone = spec.timezone;
      school.school_days = spec.school_days;
      const auto stored = storage::insert_school(s, school);
      created.school_ids.push_back(stored.id);
      auto& ids = created.user_ids.emplace_back();
      for (int u = 0; u < generator.config().users_per_school; ++u) {
        const auto spec_user = generator.user(spec.index, u);
        domain::User user;
        user.school_id = stored.id;
        user.name = spec_user.name;
        user.external_id = spec_user.external_id;
        user.enrolled_on = spec_user.enrolled_on;
        ids.push_back(storage::insert_user(s, user).id);
      }
    }
    return created;
  });
}

}  // namespace

DirectReport load_direct(const Generator& generator, const DirectOptions& options) {
  DirectReport report;
  const bool postgresql = storage::backend_of_url(options.database_url) == storage::Backend::postgresql;
  Created created;
  {
    storage::DatabaseOptions db_options;
    db_options.url = options.database_url;
    db_options.readers = 1;
    db_options.writers = 1;
    storage::Database db(db_options);  // migrates
    if (options.if_empty) {
      const auto schools = db.read_now([](storage::Session& s) {
        return storage::list_schools(s, std::nullopt, storage::Page{std::nullopt, 1}).size();
      });
      if (schools > 0) {
        report.skipped = true;
        return report;
      }
    }
    created = create_schools_and_users(db, generator);
  }
  report.schools = created.school_ids.size();
  for (const auto& ids : created.user_ids) report.users += ids.size();

  std::uint64_t total_user_days = 0;
  std::vector<std::vector<domain::LocalDate>> days;
  for (const auto& school : generator.schools()) {
    days.push_back(generator.school_days(school.index));
    total_user_days += days.back().size() * static_cast<std::uint64_t>(generator.config().users_per_school);
  }

  const int batch = options.batch_rows * (postgresql ? kPostgresqlBatchFactor : 1);
  auto writer = open_bulk_writer(options.database_url, batch);
  Progress progress("user-days", total_user_days, options.progress);
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t done = 0;
  std::vector<Event> events;
  std::vector<UserSpec> users;
  AttendanceRow row;
  for (const auto& school : generator.schools()) {
    const auto s = static_cast<std::size_t>(school.index);
    users.clear();
    for (int u = 0; u < generator.config().users_per_school; ++u) users.push_back(generator.user(school.index, u));
    row.school_id = created.school_ids[s];
    for (auto day : days[s]) {
      for (const auto& user : users) {
        if (stop_requested()) break;
        events.clear();
        generator.day_events(user, day, events);
        row.user_id = created.user_ids[s][static_cast<std::size_t>(user.index)];
        for (const auto& event : events) {
          row.timestamp = event.timestamp;
          row.inserted_at = event.timestamp;  // history: received when it happened
          row.type = event.type;
          row.temperature = event.temperature;
          row.client_id = client_id_of(generator.config().seed, user, day, event.sequence);
          writer->add(row);
        }
        progress.update(++done);
      }
    }
  }
  writer->finish();
  report.interrupted = stop_requested();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.events = writer->committed();
  progress.finish(done);
  return report;
}

}  // namespace attendance::datagen
