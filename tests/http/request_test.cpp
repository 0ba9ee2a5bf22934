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

domain::FieldErrors repeated_in(std::string_view target) {
  TestRequest t(target);
  auto error = t.req.repeated_query_error();
  if (!error) return {};
  EXPECT_EQ(error->kind, domain::ErrorKind::unprocessable);
  return error->fields;
}

TEST(RequestRepeatedQueryError, IsEmptyWhenEveryKeyIsGivenOnce) {
  EXPECT_EQ(repeated_in("/api/attendances"), domain::FieldErrors{});
  EXPECT_EQ(repeated_in("/api/attendances?school_id=1&user_id=1&from=x&to=x"), domain::FieldErrors{});
  EXPECT_EQ(repeated_in("/api/attendances?school_id=1&School_id=2"), domain::FieldErrors{});  // keys are case-sensitive
  EXPECT_EQ(repeated_in("/api/attendances?&&limit=5&&"), domain::FieldErrors{});  // empty keys name nothing
}

TEST(RequestRepeatedQueryError, NamesEachKeyGivenTwiceOnceWhateverItsValues) {
  const domain::FieldErrors once{{"school_id", {"must be given once"}}};
  EXPECT_EQ(repeated_in("/api/attendances?school_id=1&school_id=2"), once);
  EXPECT_EQ(repeated_in("/api/attendances?school_id=1&limit=5&school_id=1&school_id"), once);
  EXPECT_EQ(repeated_in("/api/attendances?to=a&school_id=1&from=b&to=c&from=d&limit=1"),
            (domain::FieldErrors{{"from", {"must be given once"}}, {"to", {"must be given once"}}}));
  EXPECT_EQ(repeated_in("/api/schools/1?unknown=1&unknown=2"), (domain::FieldErrors{{"unknown", {"must be given once"}}}));
}

TEST(RequestRepeatedQueryError, ComparesKeysDecodedAsQueryReadsThem) {
  const domain::FieldErrors once{{"school_id", {"must be given once"}}};
  EXPECT_EQ(repeated_in("/api/users?school_id=1&school%5Fid=2"), once);
  EXPECT_EQ(repeated_in("/api/users?school%5fid=1&school%5Fid=2"), once);
}

TEST(RequestRepeatedQueryError, NamesAKeyOfUnprintableBytesInPrintableText) {
  EXPECT_EQ(repeated_in("/api/users?%FF%0A=1&%FF%0A=2"), (domain::FieldErrors{{"%FF%0A", {"must be given once"}}}));
  EXPECT_EQ(repeated_in("/api/users?a%25b=1&a%25b=2"), (domain::FieldErrors{{"a%25b", {"must be given once"}}}));
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
