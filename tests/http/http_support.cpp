#include "http_support.hpp"

#include <filesystem>
#include <memory>
#include <random>

#include <boost/beast/http/field.hpp>
#include <boost/url/parse.hpp>
#include <gtest/gtest.h>

#include "storage/database.hpp"

namespace attendance::http::testing {

namespace fs = std::filesystem;

namespace {

struct Scratch {
  fs::path dir;
  std::unique_ptr<storage::Database> db;
};

Scratch& scratch() {
  static Scratch instance;
  return instance;
}

// Closes the scratch database before the process exits (its threads must not outlive main).
class ScratchCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    auto& s = scratch();
    s.db.reset();
    if (!s.dir.empty()) {
      std::error_code ignored;
      fs::remove_all(s.dir, ignored);
    }
  }
};

[[maybe_unused]] auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

}  // namespace

storage::Database& scratch_database() {
  auto& s = scratch();
  if (!s.db) {
    std::random_device random;
    s.dir = fs::temp_directory_path() / ("attendance-http-tests-" + std::to_string(random()));
    fs::create_directories(s.dir);
    storage::DatabaseOptions options;
    options.url = "sqlite:" + (s.dir / "attendance.db").string();
    options.readers = 1;
    s.db = std::make_unique<storage::Database>(options);
  }
  return *s.db;
}

TestRequest::TestRequest(std::string_view target, Verb verb, Mode mode)
    : raw{verb, target, 11}, app{scratch_database()}, req{raw, app, "test-request-id", {}, {}, std::nullopt, nullptr} {
  app.mode = mode;
  auto parsed = boost::urls::parse_origin_form(raw.target());
  if (!parsed) throw std::invalid_argument("not an origin-form target: " + std::string(target));
  req.url = *parsed;
}

void TestRequest::set_body(std::string_view content_type, std::string body) {
  if (!content_type.empty()) raw.set(beast_http::field::content_type, content_type);
  raw.body() = std::move(body);
  raw.prepare_payload();
}

}  // namespace attendance::http::testing
