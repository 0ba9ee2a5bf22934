#include "http/responses.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "http/http_date.hpp"
#include "http_support.hpp"

namespace attendance::http {
namespace {

namespace json = boost::json;
using domain::Error;
using domain::ErrorKind;
using testing::TestRequest;

json::value body_of(const Response& res) { return json::parse(res.body()); }

TEST(StatusOf, MapsEveryErrorKindToItsStatus) {
  EXPECT_EQ(status_of(ErrorKind::bad_request), Status::bad_request);
  EXPECT_EQ(status_of(ErrorKind::unauthorized), Status::unauthorized);
  EXPECT_EQ(status_of(ErrorKind::forbidden), Status::forbidden);
  EXPECT_EQ(status_of(ErrorKind::not_found), Status::not_found);
  EXPECT_EQ(status_of(ErrorKind::method_not_allowed), Status::method_not_allowed);
  EXPECT_EQ(status_of(ErrorKind::conflict), Status::conflict);
  EXPECT_EQ(status_of(ErrorKind::payload_too_large), Status::payload_too_large);
  EXPECT_EQ(status_of(ErrorKind::unsupported_media_type), Status::unsupported_media_type);
  EXPECT_EQ(status_of(ErrorKind::unprocessable), Status::unprocessable_entity);
  EXPECT_EQ(status_of(ErrorKind::too_many_requests), Status::too_many_requests);
  EXPECT_EQ(status_of(ErrorKind::unavailable), Status::service_unavailable);
  EXPECT_EQ(status_of(ErrorKind::timeout), Status::gateway_timeout);
}

TEST(Responses, EveryResponseCarriesTheRequestIdAndTheSecurityHeaders) {
  TestRequest t("/api/schools");
  for (const Response& res : {make_response(t.req, Status::ok), data_response(t.req, json::object{}),
                              error_response(t.req, ErrorKind::not_found), no_content(t.req)}) {
    EXPECT_EQ(res["x-request-id"], "test-request-id");
    EXPECT_EQ(res["x-content-type-options"], "nosniff");
    EXPECT_EQ(res["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
    EXPECT_EQ(res["x-frame-options"], "DENY");
    EXPECT_EQ(res["referrer-policy"], "no-referrer");
    EXPECT_EQ(res[beast_http::field::cache_control], "no-store");
    EXPECT_EQ(res.count(beast_http::field::server), 0u);
    EXPECT_EQ(res.count(beast_http::field::date), 1u);
  }
}

TEST(Responses, EveryResponseCarriesTheServersClockAsItsDate) {
  TestRequest t("/api/schools");
  const auto before = imf_fixdate(std::chrono::system_clock::now());
  const Response res = make_response(t.req, Status::ok);
  const auto after = imf_fixdate(std::chrono::system_clock::now());
  const auto date = res[beast_http::field::date];
  EXPECT_TRUE(date == before.view() || date == after.view()) << date;
}

TEST(Responses, DataIsWrappedAsJson) {
  TestRequest t("/api/schools/1");
  auto res = data_response(t.req, json::object{{"id", 1}, {"fever_threshold", 38.0}});
  EXPECT_EQ(res.result(), Status::ok);
  EXPECT_EQ(res[beast_http::field::content_type], "application/json; charset=utf-8");
  EXPECT_EQ(res.body(), R"({"data":{"id":1,"fever_threshold":38.0}})");
  EXPECT_EQ(res[beast_http::field::content_length], std::to_string(res.body().size()));
}

TEST(Responses, CreatedCarriesTheLocation) {
  TestRequest t("/api/schools", Verb::post);
  auto res = created_response(t.req, json::object{{"id", 7}}, "/api/schools/7");
  EXPECT_EQ(res.result(), Status::created);
  EXPECT_EQ(res[beast_http::field::location], "/api/schools/7");
  EXPECT_EQ(body_of(res), json::parse(R"({"data":{"id":7}})"));
}

TEST(Responses, ListsCarryNextAfterOrNull) {
  TestRequest t("/api/schools");
  EXPECT_EQ(list_response(t.req, json::array{1, 2}, 2).body(), R"({"data":[1,2],"meta":{"next_after":2}})");
  EXPECT_EQ(list_response(t.req, json::array{}, std::nullopt).body(), R"({"data":[],"meta":{"next_after":null}})");
}

TEST(Responses, ListBodiesWrittenRowByRowAreTheSameEnvelope) {
  TestRequest t("/api/attendances");
  ListBody two;
  two.next_row() += R"({"id":1})";
  two.next_row() += R"({"id":2,"client_id":"a,b"})";
  EXPECT_EQ(list_response(t.req, std::move(two), 2).body(),
            R"({"data":[{"id":1},{"id":2,"client_id":"a,b"}],"meta":{"next_after":2}})");
  EXPECT_EQ(list_response(t.req, ListBody(4096), std::nullopt).body(), R"({"data":[],"meta":{"next_after":null}})");
  auto res = list_response(t.req, ListBody(), 9);
  EXPECT_EQ(res[beast_http::field::content_type], "application/json; charset=utf-8");
}

TEST(Responses, NoContentHasNoBody) {
  TestRequest t("/api/schools/1", Verb::delete_);
  auto res = no_content(t.req);
  EXPECT_EQ(res.result(), Status::no_content);
  EXPECT_TRUE(res.body().empty());
}

TEST(ErrorResponse, UnprocessableNamesOnlyTheFields) {
  TestRequest t("/api/attendances", Verb::post);
  auto res = error_response(t.req, Error::invalid({{"temperature", {"must be between 28.0 and 43.0"}},
                                                   {"type", {"can't be blank", "is invalid"}}}));
  EXPECT_EQ(res.result(), Status::unprocessable_entity);
  EXPECT_EQ(body_of(res), json::parse(R"({"errors":{"temperature":["must be between 28.0 and 43.0"],)"
                                      R"("type":["can't be blank","is invalid"]}})"));
}

TEST(ErrorResponse, ConflictAddsTheFieldAtFaultBesideDetail) {
  TestRequest t("/api/attendances", Verb::post);
  auto res = error_response(t.req, Error::conflict("type", "already checked in since 07:58:12Z (attendance 812)"));
  EXPECT_EQ(res.result(), Status::conflict);
  EXPECT_EQ(body_of(res), json::parse(R"json({"errors":{"detail":"Conflict",)json"
                                      R"json("type":["already checked in since 07:58:12Z (attendance 812)"]}})json"));
}

TEST(ErrorsOf, IsTheErrorsMemberOfTheErrorResponse) {
  TestRequest t("/api/attendances/batch", Verb::post);
  for (const auto& error : {Error::conflict("type", "already checked in (attendance 3)"),
                            Error::invalid("user_id", "does not exist")}) {
    EXPECT_EQ(json::value(errors_of(error)), body_of(error_response(t.req, error)).at("errors"));
  }
}

TEST(ErrorResponse, OtherErrorsAreTheReasonPhrase) {
  TestRequest t("/api/schools");
  const std::pair<ErrorKind, const char*> cases[] = {
      {ErrorKind::bad_request, "Bad Request"},     {ErrorKind::forbidden, "Forbidden"},
      {ErrorKind::not_found, "Not Found"},         {ErrorKind::method_not_allowed, "Method Not Allowed"},
      {ErrorKind::payload_too_large, "Payload Too Large"},
      {ErrorKind::unsupported_media_type, "Unsupported Media Type"},
      {ErrorKind::too_many_requests, "Too Many Requests"},
      {ErrorKind::unavailable, "Service Unavailable"}, {ErrorKind::timeout, "Gateway Timeout"}};
  for (const auto& [kind, detail] : cases) {
    auto res = error_response(t.req, kind);
    EXPECT_EQ(res.result(), status_of(kind));
    EXPECT_EQ(body_of(res), (json::value{{"errors", {{"detail", detail}}}})) << detail;
  }
}

TEST(ErrorResponse, UnauthorizedAsksForABearerToken) {
  TestRequest t("/api/schools");
  auto res = error_response(t.req, ErrorKind::unauthorized);
  EXPECT_EQ(res.result(), Status::unauthorized);
  EXPECT_EQ(res[beast_http::field::www_authenticate], "Bearer");
  EXPECT_EQ(body_of(res), json::parse(R"({"errors":{"detail":"Unauthorized"}})"));
}

TEST(ErrorResponse, DebugOnlyInDevMode) {
  auto error = Error::of(ErrorKind::bad_request);
  error.debug = "syntax error at line 1";
  TestRequest prod("/api/schools", Verb::post, Mode::prod);
  EXPECT_EQ(body_of(error_response(prod.req, error)), json::parse(R"({"errors":{"detail":"Bad Request"}})"));
  TestRequest dev("/api/schools", Verb::post, Mode::dev);
  EXPECT_EQ(body_of(error_response(dev.req, error)),
            json::parse(R"({"errors":{"detail":"Bad Request"},"debug":"syntax error at line 1"})"));
}

TEST(ErrorResponse, RetryAfterOnlyWhenPositive) {
  TestRequest t("/api/schools/1/stream");
  auto busy = Error::of(ErrorKind::unavailable);
  busy.retry_after_seconds = 5;
  EXPECT_EQ(error_response(t.req, busy)[beast_http::field::retry_after], "5");
  auto res = error_response(t.req, ErrorKind::unavailable);
  EXPECT_EQ(res.find(beast_http::field::retry_after), res.end());
}

TEST(InternalErrorResponse, HidesTheCauseInProdAndShowsItInDev) {
  TestRequest prod("/api/schools", Verb::get, Mode::prod);
  auto res = internal_error_response(prod.req, "sqlite3_step: disk I/O error in /work/x.cpp");
  EXPECT_EQ(res.result(), Status::internal_server_error);
  EXPECT_EQ(res.body(), R"({"errors":{"detail":"Internal Server Error"}})");
  EXPECT_EQ(res["x-request-id"], "test-request-id");
  TestRequest dev("/api/schools", Verb::get, Mode::dev);
  EXPECT_EQ(body_of(internal_error_response(dev.req, "boom")),
            json::parse(R"({"errors":{"detail":"Internal Server Error"},"debug":"boom"})"));
}

TEST(Responses, KeepAliveFollowsTheRequest) {
  TestRequest t("/api/schools");
  t.raw.keep_alive(false);
  EXPECT_FALSE(make_response(t.req, Status::ok).keep_alive());
  t.raw.keep_alive(true);
  EXPECT_TRUE(make_response(t.req, Status::ok).keep_alive());
}

}  // namespace
}  // namespace attendance::http
