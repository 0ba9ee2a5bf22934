#include "storage_support.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

#include <unistd.h>

#include <soci/postgresql/soci-postgresql.h>

#include "domain/result.hpp"
#include "storage/connection.hpp"

namespace attendance::storage::testing {

namespace {
std::atomic<int> counter{0};

std::string unique_suffix() {
  static const auto seed = std::random_device{}();
  return std::to_string(::getpid()) + "_" + std::to_string(seed % 100000) + "_" + std::to_string(counter++);
}
}  // namespace

std::string postgres_test_url() {
  const char* url = std::getenv("ATTENDANCE_TEST_POSTGRES_URL");
  return url ? std::string(url) : std::string();
}

std::string with_database(const std::string& url, const std::string& database) {
  auto scheme_end = url.find("://");
  auto slash = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  auto query = url.find('?');
  std::string base = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
  std::string rest = query == std::string::npos ? std::string() : url.substr(query);
  return base + "/" + database + rest;
}

std::unique_ptr<ScratchDatabase> ScratchDatabase::create(Backend backend) {
  if (backend == Backend::sqlite) {
    auto dir = std::filesystem::temp_directory_path() / ("attendance-storage-test-" + unique_suffix());
    std::filesystem::create_directories(dir);
    return std::unique_ptr<ScratchDatabase>(
        new ScratchDatabase(backend, "sqlite:" + (dir / "db" / "attendance.db").string(), dir.string()));
  }
  const std::string url = postgres_test_url();
  if (url.empty()) return nullptr;
  const std::string name = "attendance_t_" + unique_suffix();
  soci::session maintenance(*soci::factory_postgresql(), target_of_url(url).connect_string);
  maintenance << "CREATE DATABASE " + name;  // name is ours, made of digits and underscores
  return std::unique_ptr<ScratchDatabase>(new ScratchDatabase(backend, with_database(url, name), name));
}

ScratchDatabase::ScratchDatabase(Backend backend, std::string url, std::string name)
    : backend_(backend), url_(std::move(url)), name_(std::move(name)) {}

ScratchDatabase::~ScratchDatabase() {
  try {
    if (backend_ == Backend::sqlite) {
      std::filesystem::remove_all(name_);
    } else {
      soci::session maintenance(*soci::factory_postgresql(), target_of_url(postgres_test_url()).connect_string);
      maintenance << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cleanup of scratch database failed: " << e.what();
  }
}

void StorageTest::SetUp() {
  if (GetParam() == Backend::postgresql && postgres_test_url().empty()) {
    GTEST_SKIP() << "PostgreSQL tests need ATTENDANCE_TEST_POSTGRES_URL (scripts/pg-test-server.sh start)";
  }
  scratch_ = ScratchDatabase::create(GetParam());
  ASSERT_NE(scratch_, nullptr);
  open();
}

void StorageTest::TearDown() {
  db_.reset();
  scratch_.reset();
}

DatabaseOptions StorageTest::options_for_test() const {
  DatabaseOptions options;
  options.url = scratch_->url();
  options.readers = 2;
  options.writers = 2;
  return options;
}

void StorageTest::open_one_connection_each() {
  DatabaseOptions options = options_for_test();
  options.readers = 1;
  options.writers = 1;
  open(options);
}

void StorageTest::open(const DatabaseOptions& options) {
  db_.reset();
  db_ = std::make_unique<Database>(options);
}

domain::School StorageTest::make_school(const std::string& name) {
  domain::School school;
  school.name = name;
  return write([school](Session& s) { return insert_school(s, school); });
}

domain::User StorageTest::make_user(Id school_id, const std::string& name, std::optional<std::string> external_id) {
  domain::User user;
  user.school_id = school_id;
  user.name = name;
  user.external_id = std::move(external_id);
  user.enrolled_on = date::local_days{date::year{2026} / 1 / 5};
  return write([user](Session& s) { return insert_user(s, user); });
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "SQLite" : "PostgreSQL";
}

ThreadBlocker::ThreadBlocker(Database& db, Kind kind) {
  auto released = release_.get_future().share();
  thread_ = std::thread([&db, this, released, kind] {
    auto hold = [this, released](Session&) {
      started_.set_value();
      released.wait();
      return domain::Done{};
    };
    if (kind == Kind::write_lane) db.write_now(hold);
    else db.read_now(hold);
  });
  started_.get_future().wait();
}

void ThreadBlocker::release() {
  if (thread_.joinable()) {
    release_.set_value();
    thread_.join();
  }
}

}  // namespace attendance::storage::testing
