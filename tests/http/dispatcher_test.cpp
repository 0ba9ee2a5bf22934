#include "http/dispatcher.hpp"

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value_from.hpp>
#include <gtest/gtest.h>

#include "domain/secrets.hpp"
#include "http/live/hub.hpp"
#include "http/metrics.hpp"
#include "http/responses.hpp"
#include "http/static_files.hpp"
#include "http/token_cache.hpp"
#include "http_support.hpp"

namespace attendance::http {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

boost::asio::awaitable<Response> ok_handler(Request& req) {
  co_return data_response(req, json::object{{"params", json::value_from(req.path_params)}});
}
boost::asio::awaitable<Response> throwing_handler(Request&) {
  throw std::runtime_error("SELECT * FROM secrets failed in /work/main/src/x.cpp");
  co_return Response{};
}
// Opens a stream, then fails: the dispatcher must not leak the subscription.
boost::asio::awaitable<Response> failing_stream_handler(Request& req) {
  auto executor = co_await boost::asio::this_coro::executor;
  req.stream = req.app.hub->subscribe(executor, 1, 1);
  throw std::runtime_error("failed after subscribing");
}

// Opens a stream, as GET /api/schools/:id/stream does.
boost::asio::awaitable<Response> stream_handler(Request& req) {
  auto executor = co_await boost::asio::this_coro::executor;
  req.stream = req.app.hub->subscribe(executor, 1, 1);
  Response res = make_response(req, Status::ok);
  res.set(beast_http::field::content_type, "text/event-stream; charset=utf-8");
  co_return res;
}

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : app_{testing::scratch_database()} {
    router_.add({{Verb::get, "/api/things", &ok_handler},
                 {Verb::post, "/api/things", &ok_handler},
                 {Verb::get, "/api/things/:id", &ok_handler},
                 {Verb::get, "/api/boom", &throwing_handler},
                 {Verb::get, "/api/stream", &failing_stream_handler},
                 {Verb::get, "/healthz", &ok_handler, Access::public_},
                 {Verb::get, "/boom", &throwing_handler, Access::public_},
                 {Verb::get, "/stream", &failing_stream_handler, Access::public_},
                 {Verb::get, "/live", &stream_handler, Access::public_}});
    app_.hub = &hub_;
  }

  Reply handle(Verb verb, std::string_view target, std::string_view authorization = {}) {
    RawRequest raw{verb, target, 11};
    if (!authorization.empty()) raw.set(beast_http::field::authorization, authorization);
    Dispatcher dispatcher(app_, router_);
    auto future = boost::asio::co_spawn(io_, dispatcher.handle(raw), boost::asio::use_future);
    io_.restart();
    io_.run();
    return future.get();
  }

  static json::value body_of(const Reply& reply) { return json::parse(reply.response.body()); }

  boost::asio::io_context io_;  // outlives the replies: a stream's channel is bound to it
  AppContext app_;
  Router router_;
  live::Hub hub_;
};

TEST_F(DispatcherTest, APublicRouteRunsWithoutAToken) {
  auto reply = handle(Verb::get, "/healthz");
  EXPECT_EQ(reply.response.result(), Status::ok);
  EXPECT_FALSE(reply.response["x-request-id"].empty());
  EXPECT_EQ(reply.stream, nullptr);
}

TEST_F(DispatcherTest, ATokenRouteWithoutAValidTokenIsUnauthorized) {
  for (const char* authorization : {"", "Bearer", "Basic abc", "Bearer not-a-token-of-this-server"}) {
    auto reply = handle(Verb::get, "/api/things/3", authorization);
    EXPECT_EQ(reply.response.result(), Status::unauthorized) << authorization;
    EXPECT_EQ(reply.response[beast_http::field::www_authenticate], "Bearer");
    EXPECT_EQ(body_of(reply), json::parse(R"({"errors":{"detail":"Unauthorized"}})"));
  }
}

TEST_F(DispatcherTest, AnUnknownPathIsNotFoundAndAKnownOneWithAnotherVerbListsTheAllowedOnes) {
  auto missing = handle(Verb::get, "/api/nothing");
  EXPECT_EQ(missing.response.result(), Status::not_found);
  EXPECT_EQ(body_of(missing), json::parse(R"({"errors":{"detail":"Not Found"}})"));
  // 405 comes before authentication: the method is wrong whoever asks.
  auto wrong = handle(Verb::delete_, "/api/things");
  EXPECT_EQ(wrong.response.result(), Status::method_not_allowed);
  EXPECT_EQ(wrong.response[beast_http::field::allow], "GET, HEAD, POST");
  EXPECT_EQ(body_of(wrong), json::parse(R"({"errors":{"detail":"Method Not Allowed"}})"));
}

TEST_F(DispatcherTest, AnExceptionIsAnOpaque500InProd) {
  auto reply = handle(Verb::get, "/boom");
  EXPECT_EQ(reply.response.result(), Status::internal_server_error);
  EXPECT_EQ(reply.response.body(), R"({"errors":{"detail":"Internal Server Error"}})");
  EXPECT_FALSE(reply.response["x-request-id"].empty());
}

TEST_F(DispatcherTest, AnExceptionExplainsItselfInDev) {
  app_.mode = Mode::dev;
  auto reply = handle(Verb::get, "/boom");
  EXPECT_EQ(reply.response.result(), Status::internal_server_error);
  EXPECT_NE(body_of(reply).as_object().if_contains("debug"), nullptr);
}

TEST_F(DispatcherTest, AStreamOpenedByAFailingHandlerIsClosedAndForgotten) {
  auto reply = handle(Verb::get, "/stream");
  EXPECT_EQ(reply.response.result(), Status::internal_server_error);
  EXPECT_EQ(reply.stream, nullptr);
  EXPECT_EQ(hub_.open_streams(), 0U);
}

TEST_F(DispatcherTest, HeadIsAnsweredWithTheGetsResponseBodyIncludedForTheServerToDrop) {
  auto get = handle(Verb::get, "/api/things/3?x=1", "Bearer not-a-token");
  auto head = handle(Verb::head, "/api/things/3?x=1", "Bearer not-a-token");
  EXPECT_EQ(head.response.result(), Status::unauthorized);
  EXPECT_EQ(head.response[beast_http::field::www_authenticate], "Bearer");
  EXPECT_EQ(head.response[beast_http::field::content_length], get.response[beast_http::field::content_length]);
  EXPECT_EQ(head.response.body(), get.response.body());

  auto ok = handle(Verb::head, "/healthz");
  EXPECT_EQ(ok.response.result(), Status::ok);
  EXPECT_EQ(ok.response[beast_http::field::content_length], std::to_string(ok.response.body().size()));
  auto missing = handle(Verb::head, "/api/nothing");
  EXPECT_EQ(missing.response.result(), Status::not_found);
}

TEST_F(DispatcherTest, HeadOnAStreamAnswersItsHeaderAndKeepsNoSubscription) {
  auto get = handle(Verb::get, "/live");
  ASSERT_NE(get.stream, nullptr);
  EXPECT_EQ(hub_.open_streams(), 1U);
  hub_.unsubscribe(get.stream);

  auto head = handle(Verb::head, "/live");
  EXPECT_EQ(head.response.result(), Status::ok);
  EXPECT_EQ(head.response[beast_http::field::content_type], "text/event-stream; charset=utf-8");
  EXPECT_EQ(head.stream, nullptr);
  EXPECT_EQ(hub_.open_streams(), 0U);
}

TEST_F(DispatcherTest, EveryResponseIsCountedUnderItsMatchedRouteOrUnmatched) {
  Metrics metrics(router_.routes());
  app_.metrics = &metrics;
  handle(Verb::get, "/healthz");
  handle(Verb::get, "/healthz");
  handle(Verb::get, "/api/nothing");
  handle(Verb::get, "/api/things/3");
  handle(Verb::head, "/healthz");
  app_.metrics = nullptr;
  auto text = metrics.render();
  EXPECT_NE(text.find("\nattendance_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nattendance_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nattendance_http_requests_total{route=\"/api/things/:id\",method=\"GET\",status=\"401\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nattendance_http_requests_total{route=\"/healthz\",method=\"HEAD\",status=\"200\"} 1\n"), std::string::npos) << text;
}

// An admin token known to the token cache, so the request needs no tokens table.
class DispatcherWithTokenTest : public DispatcherTest {
 protected:
  void SetUp() override {
    tokens_.remember(domain::hash_token_secret("admin-secret"), Principal{1, domain::Role::admin, std::nullopt},
                     tokens_.generation());
    app_.tokens = &tokens_;
  }
  Reply get(std::string_view target) { return handle(Verb::get, target, "Bearer admin-secret"); }

  TokenCache tokens_{TokenCache::Options{}};
};

TEST_F(DispatcherWithTokenTest, ARepeatedQueryKeyOnAnApiRouteIsA422NamingItAndTheHandlerNeverRuns) {
  auto reply = get("/api/things/3?school_id=1&limit=5&school_id=1");
  EXPECT_EQ(reply.response.result(), Status::unprocessable_entity);
  EXPECT_EQ(body_of(reply), json::parse(R"({"errors":{"school_id":["must be given once"]}})"));
  EXPECT_EQ(get("/api/things/3?school_id=1&limit=5").response.result(), Status::ok);
}

TEST_F(DispatcherWithTokenTest, TheTokenIsCheckedBeforeTheQuery) {
  auto reply = handle(Verb::get, "/api/things/3?a=1&a=2");
  EXPECT_EQ(reply.response.result(), Status::unauthorized);
}

TEST_F(DispatcherWithTokenTest, PublicRoutesKeepIgnoringTheirQuery) {
  EXPECT_EQ(handle(Verb::get, "/healthz?a=1&a=2").response.result(), Status::ok);
}

TEST_F(DispatcherTest, AMalformedTargetIsBadRequest) {
  auto reply = handle(Verb::get, "/api/things/%zz");
  EXPECT_EQ(reply.response.result(), Status::bad_request);
}

class DispatcherWithPageTest : public DispatcherTest {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("attendance-dispatch-web-" + std::to_string(std::random_device{}()));
    fs::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<!doctype html>page";
    files_ = std::make_unique<StaticFiles>(root_.string());
    app_.web = files_.get();
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
  std::unique_ptr<StaticFiles> files_;
};

TEST_F(DispatcherWithPageTest, ThePageIsServedForUnknownNonApiPaths) {
  for (const char* path : {"/", "/schools/3/students"}) {
    auto reply = handle(Verb::get, path);
    EXPECT_EQ(reply.response.result(), Status::ok) << path;
    EXPECT_EQ(reply.response.body(), "<!doctype html>page") << path;
    EXPECT_EQ(reply.response["x-frame-options"], "DENY");
  }
}

TEST_F(DispatcherWithPageTest, HeadOfAPageHasTheGetsHeaders) {
  auto get = handle(Verb::get, "/schools/3/students");
  auto head = handle(Verb::head, "/schools/3/students");
  EXPECT_EQ(head.response.result(), Status::ok);
  EXPECT_EQ(head.response[beast_http::field::content_type], get.response[beast_http::field::content_type]);
  EXPECT_EQ(head.response[beast_http::field::content_length], std::to_string(std::string_view("<!doctype html>page").size()));
  EXPECT_EQ(head.response["content-security-policy"], get.response["content-security-policy"]);
  EXPECT_EQ(handle(Verb::head, "/assets/missing.js").response.result(), Status::not_found);
}

TEST_F(DispatcherWithPageTest, ApiPathsAndOtherVerbsNeverGetThePage) {
  for (const char* path : {"/api/nothing", "/api/", "/assets/missing.js"}) {
    auto reply = handle(Verb::get, path);
    EXPECT_EQ(reply.response.result(), Status::not_found) << path;
    EXPECT_EQ(body_of(reply), json::parse(R"({"errors":{"detail":"Not Found"}})")) << path;
  }
  auto post = handle(Verb::post, "/schools/3");
  EXPECT_EQ(post.response.result(), Status::not_found);
}

}  // namespace
}  // namespace attendance::http
