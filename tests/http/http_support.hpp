#pragma once
// Shared helpers of the HTTP-layer unit tests: a request as a handler sees it, built without a
// socket, on an AppContext whose Database is a scratch SQLite file (opened once per process,
// only when a test needs one).

#include <string>
#include <string_view>

#include "http/context.hpp"
#include "http/request.hpp"
#include "http/types.hpp"

namespace attendance::storage {
class Database;
}

namespace attendance::http::testing {

// The process's scratch database (a fresh SQLite file, removed at exit).
storage::Database& scratch_database();

// A parsed request with its application context. Not movable: `req` refers to `raw` and `app`.
//
//   TestRequest t("/api/schools?limit=5");
//   t.set_body("application/json", R"({"school": {"name": "A"}})");
//   auto page = read_page(t.req);
class TestRequest {
 public:
  explicit TestRequest(std::string_view target, Verb verb = Verb::get, Mode mode = Mode::prod);
  TestRequest(const TestRequest&) = delete;
  TestRequest& operator=(const TestRequest&) = delete;

  // Sets the body and its content type (an empty content_type sends no content-type header).
  void set_body(std::string_view content_type, std::string body);

  RawRequest raw;
  AppContext app;
  Request req;
};

}  // namespace attendance::http::testing
