#include "http/request.hpp"

#include <boost/beast/http/field.hpp>
#include <gtest/gtest.h>

#include "http_support.hpp"

namespace attendance::http {
namespace {

using testing::TestRequest;

TEST(RequestQuery, DecodesPercentEncoding) {
  TestRequest t("/api/attendances?from=2024-03-06T08%3A00%3A00%2B01%3A00&type=checkin");
  EXPECT_EQ(t.req.query("from"), "2024-03-06T08:00:00+01:00");
  EXPECT_EQ(t.req.query("type"), "checkin");
  EXPECT_FALSE(t.req.query("to"));
}

TEST(RequestQuery, AnEmptyValueIsPresent) {
  TestRequest t("/api/attendances?from=&flag");
  EXPECT_EQ(t.req.query("from"), "");
  EXPECT_EQ(t.req.query("flag"), "");
}

TEST(RequestFlag, IsTrueOrOneOnFalseZeroOrAbsentOffAndAnythingElseRefused) {
  EXPECT_EQ(TestRequest("/x?cascade=true").req.flag("cascade"), true);
  EXPECT_EQ(TestRequest("/x?cascade=1").req.flag("cascade"), true);
  EXPECT_EQ(TestRequest("/x?cascade=false").req.flag("cascade"), false);
  EXPECT_EQ(TestRequest("/x?cascade=0").req.flag("cascade"), false);
  EXPECT_EQ(TestRequest("/x").req.flag("cascade"), false);
  EXPECT_EQ(TestRequest("/x?cascade=yes").req.flag("cascade"), std::nullopt);
  EXPECT_EQ(TestRequest("/x?cascade=TRUE").req.flag("cascade"), std::nullopt);
}

TEST(RequestIdParam, IsEmptyUnlessAPositiveInteger) {
  TestRequest t("/api/schools/12");
  t.req.path_params = {"12", "abc", "0"};
  EXPECT_EQ(t.req.id_param(), 12);
  EXPECT_FALSE(t.req.id_param(1));
  EXPECT_FALSE(t.req.id_param(2));
  EXPECT_FALSE(t.req.id_param(3));
}

TEST(RequestHeader, IsCaseInsensitiveAndEmptyWhenAbsent) {
  TestRequest t("/api/schools");
  t.raw.set(beast_http::field::authorization, "Bearer abc");
  EXPECT_EQ(t.req.header("Authorization"), "Bearer abc");
  EXPECT_EQ(t.req.header("authorization"), "Bearer abc");
  EXPECT_EQ(t.req.header("idempotency-key"), "");
}

}  // namespace
}  // namespace attendance::http
