#pragma once
// Shared fixture of the storage tests: every test runs once on SQLite (a fresh file) and once on
// PostgreSQL (a fresh database created through ATTENDANCE_TEST_POSTGRES_URL, skipped without it).

#include <future>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "storage/database.hpp"
#include "storage/repositories.hpp"

namespace attendance::storage::testing {

// A private, empty database for one test; removed when destroyed.
class ScratchDatabase {
 public:
  // Skips the test (returns nullptr) when backend is PostgreSQL and no server is configured.
  static std::unique_ptr<ScratchDatabase> create(Backend backend);
  ~ScratchDatabase();

  const std::string& url() const { return url_; }
  Backend backend() const { return backend_; }

 private:
  ScratchDatabase(Backend backend, std::string url, std::string drop_name);
  Backend backend_;
  std::string url_;
  std::string name_;  // SQLite: the temp directory; PostgreSQL: the database name
};

// The URL of the PostgreSQL server for tests, or empty.
std::string postgres_test_url();
// The same URL pointing at another database of that server.
std::string with_database(const std::string& url, const std::string& database);

class StorageTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // (Re)opens the Database on this test's scratch database.
  void open() { open(options_for_test()); }
  void open(const DatabaseOptions& options);
  void close() { db_.reset(); }
  DatabaseOptions options_for_test() const;
  // (Re)opens it with one read and one write connection, so a test knows which connection its
  // next job runs on.
  void open_one_connection_each();

  Database& db() { return *db_; }

  template <class F>
  auto write(F fn) {
    return db_->write_now(std::move(fn));
  }
  template <class F>
  auto read(F fn) {
    return db_->read_now(std::move(fn));
  }

  // Inserts a school / user with defaults, for tests that need one.
  domain::School make_school(const std::string& name = "Sunrise Primary");
  domain::User make_user(Id school_id, const std::string& name = "Ada", std::optional<std::string> external_id = {});

  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<Database> db_;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

// Occupies a database thread until released (write lane 0, or one read connection), so the jobs
// submitted meanwhile queue up and are then taken together: the way to make group commit and
// coalescing observable deterministically. With more than one read connection, a reader blocker
// holds only one of them.
class ThreadBlocker {
 public:
  enum class Kind { write_lane, reader };
  explicit ThreadBlocker(Database& db, Kind kind = Kind::write_lane);
  ~ThreadBlocker() { release(); }
  void release();

 private:
  std::promise<void> started_, release_;
  std::thread thread_;
};

}  // namespace attendance::storage::testing

#define ATTENDANCE_STORAGE_BACKENDS(Suite)                                                     \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                    \
                           ::testing::Values(::attendance::storage::Backend::sqlite,           \
                                             ::attendance::storage::Backend::postgresql),      \
                           ::attendance::storage::testing::backend_name)
