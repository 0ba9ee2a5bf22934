#include "http/router.hpp"

#include <boost/url/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace attendance::http {
namespace {

using ::testing::ElementsAre;

boost::asio::awaitable<Response> list_schools(Request&) { co_return Response{}; }
boost::asio::awaitable<Response> create_school(Request&) { co_return Response{}; }
boost::asio::awaitable<Response> show_school(Request&) { co_return Response{}; }
boost::asio::awaitable<Response> delete_school(Request&) { co_return Response{}; }
boost::asio::awaitable<Response> delete_closure(Request&) { co_return Response{}; }
boost::asio::awaitable<Response> aggregate_school(Request&) { co_return Response{}; }
boost::asio::awaitable<Response> show_attendance(Request&) { co_return Response{}; }
boost::asio::awaitable<Response> healthz(Request&) { co_return Response{}; }

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.add({{Verb::get, "/api/schools", &list_schools},
                 {Verb::post, "/api/schools", &create_school},
                 {Verb::get, "/api/schools/:id", &show_school},
                 {Verb::delete_, "/api/schools/:id", &delete_school},
                 {Verb::delete_, "/api/schools/:id/closures/:date", &delete_closure},
                 {Verb::get, "/api/attendances/aggregate/school/:id", &aggregate_school},
                 {Verb::get, "/api/attendances/:id", &show_attendance},
                 {Verb::get, "/healthz", &healthz, Access::public_}});
  }

  Router::Match match(Verb verb, std::string_view path) const {
    auto url = boost::urls::parse_origin_form(path);
    EXPECT_TRUE(url) << path;
    return router_.match(verb, url->segments());
  }

  Router router_;
};

TEST_F(RouterTest, FindsTheHandlerOfTheVerbAndPath) {
  auto m = match(Verb::post, "/api/schools");
  auto* found = std::get_if<Router::Found>(&m);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->route->handler, &create_school);
  EXPECT_TRUE(found->params.empty());

  m = match(Verb::get, "/api/schools");
  ASSERT_TRUE(std::holds_alternative<Router::Found>(m));
  EXPECT_EQ(std::get<Router::Found>(m).route->handler, &list_schools);
}

TEST_F(RouterTest, ExtractsPathParametersInOrder) {
  auto m = match(Verb::delete_, "/api/schools/12/closures/2024-03-06");
  auto* found = std::get_if<Router::Found>(&m);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->route->handler, &delete_closure);
  EXPECT_THAT(found->params, ElementsAre("12", "2024-03-06"));
}

TEST_F(RouterTest, PercentEncodedParametersArriveDecoded) {
  auto m = match(Verb::get, "/api/schools/a%20b");
  auto* found = std::get_if<Router::Found>(&m);
  ASSERT_NE(found, nullptr);
  EXPECT_THAT(found->params, ElementsAre("a b"));
}

TEST_F(RouterTest, ALiteralRouteIsNotTakenForAParameter) {
  auto m = match(Verb::get, "/api/attendances/aggregate/school/4");
  auto* found = std::get_if<Router::Found>(&m);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->route->handler, &aggregate_school);
  EXPECT_THAT(found->params, ElementsAre("4"));

  m = match(Verb::get, "/api/attendances/4");
  ASSERT_TRUE(std::holds_alternative<Router::Found>(m));
  EXPECT_EQ(std::get<Router::Found>(m).route->handler, &show_attendance);
}

TEST_F(RouterTest, AnUnknownPathIsNotFound) {
  EXPECT_TRUE(std::holds_alternative<Router::NotFound>(match(Verb::get, "/api/nothing")));
  EXPECT_TRUE(std::holds_alternative<Router::NotFound>(match(Verb::get, "/api/schools/1/nothing")));
  EXPECT_TRUE(std::holds_alternative<Router::NotFound>(match(Verb::get, "/")));
  // Another shape of a known path: a trailing slash or an empty parameter names no route.
  EXPECT_TRUE(std::holds_alternative<Router::NotFound>(match(Verb::get, "/api/schools/1/")));
  EXPECT_TRUE(std::holds_alternative<Router::NotFound>(match(Verb::get, "/api/schools//closures/x")));
}

TEST_F(RouterTest, AKnownPathWithAnotherVerbIsWrongMethodWithTheAllowedVerbs) {
  auto m = match(Verb::put, "/api/schools");
  auto* wrong = std::get_if<Router::WrongMethod>(&m);
  ASSERT_NE(wrong, nullptr);
  EXPECT_EQ(wrong->allow, "GET, HEAD, POST");

  m = match(Verb::patch, "/api/schools/3");
  wrong = std::get_if<Router::WrongMethod>(&m);
  ASSERT_NE(wrong, nullptr);
  EXPECT_EQ(wrong->allow, "GET, HEAD, DELETE");

  m = match(Verb::post, "/healthz");
  wrong = std::get_if<Router::WrongMethod>(&m);
  ASSERT_NE(wrong, nullptr);
  EXPECT_EQ(wrong->allow, "GET, HEAD");

  m = match(Verb::get, "/api/schools/3/closures/2024-03-06");
  wrong = std::get_if<Router::WrongMethod>(&m);
  ASSERT_NE(wrong, nullptr);
  EXPECT_EQ(wrong->allow, "DELETE") << "HEAD is allowed only where GET is";
}

TEST_F(RouterTest, HeadFindsTheGetRouteOfItsPath) {
  for (auto [path, handler] : {std::pair{"/api/schools", &list_schools}, std::pair{"/api/schools/7", &show_school},
                               std::pair{"/healthz", &healthz}}) {
    auto head = match(Verb::head, path);
    auto get = match(Verb::get, path);
    auto* found = std::get_if<Router::Found>(&head);
    ASSERT_NE(found, nullptr) << path;
    EXPECT_EQ(found->route->handler, handler) << path;
    EXPECT_EQ(found->route->verb, Verb::get) << path;
    EXPECT_EQ(found->index, std::get<Router::Found>(get).index) << path;  // counted under the GET's route
    EXPECT_EQ(found->params, std::get<Router::Found>(get).params) << path;
  }
  EXPECT_EQ(std::get<Router::Found>(match(Verb::head, "/healthz")).route->access, Access::public_);
}

TEST_F(RouterTest, HeadWithoutAGetRouteIsWrongMethodAndOnAnUnknownPathNotFound) {
  auto m = match(Verb::head, "/api/schools/3/closures/2024-03-06");
  auto* wrong = std::get_if<Router::WrongMethod>(&m);
  ASSERT_NE(wrong, nullptr);
  EXPECT_EQ(wrong->allow, "DELETE");
  EXPECT_TRUE(std::holds_alternative<Router::NotFound>(match(Verb::head, "/api/nothing")));
  EXPECT_TRUE(std::holds_alternative<Router::NotFound>(match(Verb::head, "/api/schools/1/")));
}

TEST_F(RouterTest, ARouteDeclaredForHeadWinsOverTheGetRoute) {
  Router router;
  router.add({Verb::get, "/api/x", &list_schools});
  router.add({Verb::head, "/api/x", &show_school});
  auto url = boost::urls::parse_origin_form("/api/x");
  auto m = router.match(Verb::head, url->segments());
  ASSERT_TRUE(std::holds_alternative<Router::Found>(m));
  EXPECT_EQ(std::get<Router::Found>(m).route->handler, &show_school);
  m = router.match(Verb::post, url->segments());
  ASSERT_TRUE(std::holds_alternative<Router::WrongMethod>(m));
  EXPECT_EQ(std::get<Router::WrongMethod>(m).allow, "GET, HEAD");
}

TEST_F(RouterTest, AllowListsEachVerbOnce) {
  Router router;
  router.add({Verb::get, "/api/x/:id", &show_school});
  router.add({Verb::get, "/api/x/all", &list_schools});
  auto url = boost::urls::parse_origin_form("/api/x/all");
  auto m = router.match(Verb::post, url->segments());
  ASSERT_TRUE(std::holds_alternative<Router::WrongMethod>(m));
  EXPECT_EQ(std::get<Router::WrongMethod>(m).allow, "GET, HEAD");
}

TEST_F(RouterTest, KeepsEachRoutesAccess) {
  auto m = match(Verb::get, "/healthz");
  ASSERT_TRUE(std::holds_alternative<Router::Found>(m));
  EXPECT_EQ(std::get<Router::Found>(m).route->access, Access::public_);
  m = match(Verb::get, "/api/schools");
  EXPECT_EQ(std::get<Router::Found>(m).route->access, Access::token);
}

// Only the declared routes: HEAD, answered by every GET route, is not listed (as openapi.yaml
// documents GET operations only).
TEST_F(RouterTest, DescribesEveryRouteInOpenApiSyntaxInOrder) {
  EXPECT_THAT(router_.describe(), ElementsAre("GET /api/schools", "POST /api/schools", "GET /api/schools/{id}",
                                              "DELETE /api/schools/{id}", "DELETE /api/schools/{id}/closures/{date}",
                                              "GET /api/attendances/aggregate/school/{id}",
                                              "GET /api/attendances/{id}", "GET /healthz"));
  EXPECT_EQ(router_.routes().size(), 8U);
}

TEST(ParseId, AcceptsOnlyPositiveDecimalIntegers) {
  EXPECT_EQ(parse_id("1"), 1);
  EXPECT_EQ(parse_id("9007199254740993"), 9007199254740993LL);
  EXPECT_FALSE(parse_id("0"));
  EXPECT_FALSE(parse_id("-3"));
  EXPECT_FALSE(parse_id("3x"));
  EXPECT_FALSE(parse_id(" 3"));
  EXPECT_FALSE(parse_id("1.0"));
  EXPECT_FALSE(parse_id(""));
  EXPECT_FALSE(parse_id("99999999999999999999"));
}

}  // namespace
}  // namespace attendance::http
