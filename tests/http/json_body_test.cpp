#include "http/json_body.hpp"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http_support.hpp"

namespace attendance::http {
namespace {

using ::testing::ElementsAre;
using testing::TestRequest;

boost::json::object object_of(std::string_view text) { return boost::json::parse(text).as_object(); }

domain::FieldErrors one(std::string field, std::string message) { return {{std::move(field), {std::move(message)}}}; }

TEST(FieldReader, ReadsEachTypeItIsAskedFor) {
  auto body = object_of(R"({"name": "Ada", "temperature": 36.6, "user_id": 12, "school_days": [1, 3, 5]})");
  FieldReader fields(body);
  EXPECT_EQ(fields.string("name"), "Ada");
  EXPECT_EQ(fields.number("temperature"), 36.6);
  EXPECT_EQ(fields.integer("user_id"), 12);
  EXPECT_EQ(fields.integers("school_days"), (std::vector<int>{1, 3, 5}));
  EXPECT_TRUE(fields.errors().empty());
}

TEST(FieldReader, AnIntegerIsANumber) {
  auto body = object_of(R"({"temperature": 37, "big": 18446744073709551615})");
  FieldReader fields(body);
  EXPECT_EQ(fields.number("temperature"), 37.0);
  EXPECT_TRUE(fields.number("big").has_value());
  EXPECT_TRUE(fields.errors().empty());
}

TEST(FieldReader, AbsentAndNullAreEmptyWithoutAnError) {
  auto body = object_of(R"({"name": null, "temperature": null})");
  FieldReader fields(body);
  EXPECT_FALSE(fields.string("name"));
  EXPECT_FALSE(fields.number("temperature"));
  EXPECT_FALSE(fields.integer("user_id"));
  EXPECT_FALSE(fields.integers("school_days"));
  EXPECT_TRUE(fields.errors().empty());
  EXPECT_TRUE(fields.has("name"));
  EXPECT_FALSE(fields.has("user_id"));
}

TEST(FieldReader, AWrongTypeIsInvalid) {
  auto body = object_of(R"({"name": 5, "temperature": "36.6", "user_id": "12", "school_days": [1, "2"],
                           "timezone": ["UTC"], "flag": true, "days": 3})");
  FieldReader fields(body);
  EXPECT_FALSE(fields.string("name"));
  EXPECT_FALSE(fields.number("temperature"));
  EXPECT_FALSE(fields.integer("user_id"));
  EXPECT_FALSE(fields.integers("school_days"));
  EXPECT_FALSE(fields.string("timezone"));
  EXPECT_FALSE(fields.integer("flag"));
  EXPECT_FALSE(fields.integers("days"));
  domain::FieldErrors expected;
  for (const char* key : {"name", "temperature", "user_id", "school_days", "timezone", "flag", "days"}) {
    expected[key] = {"is invalid"};
  }
  EXPECT_EQ(fields.errors(), expected);
}

TEST(FieldReader, IntegersAcceptWholeDoublesOnly) {
  auto body = object_of(R"({"a": 12.0, "b": 12.5, "c": -3.0, "d": 1e300, "e": 1e2})");
  FieldReader fields(body);
  EXPECT_EQ(fields.integer("a"), 12);
  EXPECT_EQ(fields.integer("c"), -3);
  EXPECT_EQ(fields.integer("e"), 100);
  EXPECT_FALSE(fields.integer("b"));
  EXPECT_FALSE(fields.integer("d"));  // whole, but far beyond any id
  EXPECT_EQ(fields.errors(), (domain::FieldErrors{{"b", {"is invalid"}}, {"d", {"is invalid"}}}));
}

TEST(FieldReader, AnUnsignedBeyondInt64IsAnInvalidInteger) {
  auto body = object_of(R"({"id": 18446744073709551615, "ok": 9223372036854775807})");
  FieldReader fields(body);
  EXPECT_FALSE(fields.integer("id"));
  EXPECT_EQ(fields.integer("ok"), 9223372036854775807LL);
  EXPECT_EQ(fields.errors(), one("id", "is invalid"));
}

TEST(FieldReader, RequireAddsCantBeBlankForAbsentOrNull) {
  auto body = object_of(R"({"name": null, "type": "checkin", "empty": ""})");
  FieldReader fields(body);
  fields.require("name");
  fields.require("user_id");
  fields.require("type");
  fields.require("empty");  // present: its own validation judges an empty string
  EXPECT_EQ(fields.errors(), (domain::FieldErrors{{"name", {"can't be blank"}}, {"user_id", {"can't be blank"}}}));
}

TEST(FieldReader, MessagesOfOneFieldAccumulate) {
  auto body = object_of(R"({"name": 5})");
  FieldReader fields(body);
  fields.string("name");
  fields.add_error("name", "is too long");
  EXPECT_THAT(fields.errors()["name"], ElementsAre("is invalid", "is too long"));
}

TEST(FieldReader, NullableStringTellsAbsentNullAndValueApart) {
  auto body = object_of(R"({"cleared": null, "set": "CARD-1", "wrong": 3})");
  FieldReader fields(body);
  auto absent = fields.nullable_string("external_id");
  EXPECT_FALSE(absent.present);
  EXPECT_FALSE(absent.value);
  auto cleared = fields.nullable_string("cleared");
  EXPECT_TRUE(cleared.present);
  EXPECT_FALSE(cleared.value);
  auto set = fields.nullable_string("set");
  EXPECT_TRUE(set.present);
  EXPECT_EQ(set.value, "CARD-1");
  EXPECT_TRUE(fields.errors().empty());
  auto wrong = fields.nullable_string("wrong");
  EXPECT_TRUE(wrong.present);
  EXPECT_FALSE(wrong.value);
  EXPECT_EQ(fields.errors(), one("wrong", "is invalid"));
}

TEST(FieldReader, NonFiniteAndOutOfRangeIntegerArraysAreInvalid) {
  auto body = object_of(R"({"days": [1, 4294967296], "float_days": [1.5]})");
  FieldReader fields(body);
  EXPECT_FALSE(fields.integers("days"));
  EXPECT_FALSE(fields.integers("float_days"));
  EXPECT_EQ(fields.errors().size(), 2U);
}

TEST(FieldReader, AStringWithAControlCharacterIsRefused) {
  auto body = object_of(R"({"nul": "a\u0000b", "bell": "a\u0007", "escape": "\u001b[2J", "del": "a\u007f",
                           "tab": "Ada\tLovelace", "cr": "Ada\r", "lf": "Ada\nLovelace", "nel": "Ada\u0085",
                           "c1": "\u009b2J", "accents": "Zo\u00eb \u014ctani", "nbsp": "Ada\u00a0L"})");
  FieldReader fields(body);
  const std::vector<const char*> refused = {"bell", "c1", "cr", "del", "escape", "lf", "nel", "nul", "tab"};
  for (const char* key : refused) EXPECT_FALSE(fields.string(key)) << key;
  EXPECT_EQ(fields.string("accents"), "Zo\u00eb \u014ctani");
  EXPECT_EQ(fields.string("nbsp"), "Ada\u00a0L");
  domain::FieldErrors expected;
  for (const char* key : refused) expected[key] = {"must not contain control characters"};
  EXPECT_EQ(fields.errors(), expected);
}

TEST(FieldReader, AStringWithALineSeparatorOrABidiOverrideIsRefused) {
  auto body = object_of(R"({"ls": "Ada\u2028Lovelace", "ps": "Ada\u2029", "rlo": "\u202eexe.fdp", "lre": "a\u202ab",
                           "pdf": "a\u202c", "rli": "\u2067Ada", "pdi": "Ada\u2069",
                           "rlm": "\u05d3\u05e0\u05d4\u200f - Dana", "lrm": "\u200eA-7", "alm": "\u061c\u0661",
                           "zwnj": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "zwj": "\u0915\u094d\u200d\u0937"})");
  FieldReader fields(body);
  const std::vector<const char*> refused = {"ls", "lre", "pdf", "pdi", "ps", "rli", "rlo"};
  for (const char* key : refused) EXPECT_FALSE(fields.string(key)) << key;
  // The marks and joiners right-to-left and Indic names use are kept as sent.
  for (const char* key : {"alm", "lrm", "rlm", "zwj", "zwnj"}) EXPECT_EQ(fields.string(key), body.at(key).as_string()) << key;
  domain::FieldErrors expected;
  for (const char* key : refused) expected[key] = {"must not contain control characters"};
  EXPECT_EQ(fields.errors(), expected);
}

TEST(FieldReader, Base64TextMayBeWrappedInLinesButHoldsNoOtherControl) {
  auto body = object_of(R"({"lines": "iVBO\r\nRw0K\tx\n", "bell": "iVBO\u0007", "nel": "iVBO\u0085",
                           "ls": "iVBO\u2028Rw0K"})");
  FieldReader fields(body);
  EXPECT_EQ(fields.string("lines", Text::base64), "iVBO\r\nRw0K\tx\n");
  EXPECT_FALSE(fields.string("bell", Text::base64));
  EXPECT_FALSE(fields.string("nel", Text::base64));
  EXPECT_FALSE(fields.string("ls", Text::base64));
  EXPECT_EQ(fields.errors(), (domain::FieldErrors{{"bell", {"must not contain control characters"}},
                                                  {"ls", {"must not contain control characters"}},
                                                  {"nel", {"must not contain control characters"}}}));
}

TEST(FieldReader, TrimmedTextLosesItsEdgeWhitespaceBeforeTheControlCheck) {
  auto body = object_of(R"({"reader": " CARD-9\r\n", "nbsp": "\u00a0CARD-9\ufeff", "inner": "CARD\t9 ",
                           "spaces": " \u3000 ", "separator": "CARD-9\u2028", "override": " \u202eCARD-9"})");
  FieldReader fields(body);
  EXPECT_EQ(fields.string("reader", Text::trimmed), "CARD-9");
  EXPECT_EQ(fields.string("nbsp", Text::trimmed), "CARD-9");
  EXPECT_EQ(fields.string("spaces", Text::trimmed), "");  // the model says "can't be blank"
  // U+2028 is whitespace too: at an edge it goes as a trailing LF does. U+202E is not.
  EXPECT_EQ(fields.string("separator", Text::trimmed), "CARD-9");
  EXPECT_FALSE(fields.string("inner", Text::trimmed));
  EXPECT_FALSE(fields.string("override", Text::trimmed));
  EXPECT_EQ(fields.errors(), (domain::FieldErrors{{"inner", {"must not contain control characters"}},
                                                  {"override", {"must not contain control characters"}}}));
  EXPECT_EQ(fields.nullable_string("reader", Text::trimmed).value, "CARD-9");
}

TEST(FieldReader, TrimmedTextRefusesAnInvisibleCharacterInsideButNotAtItsEdges) {
  auto body = object_of(R"({"zwsp": "CARD\u200b-9", "shy": "CARD\u00ad-9", "edge": "\u200bCARD-9\ufeff",
                           "marks": "\u200fCARD-9\u200e", "name": "CARD\u200b-9"})");
  FieldReader fields(body);
  EXPECT_FALSE(fields.string("zwsp", Text::trimmed));
  EXPECT_FALSE(fields.string("shy", Text::trimmed));
  // At the edges they go before the check, as whitespace does.
  EXPECT_EQ(fields.string("edge", Text::trimmed), "CARD-9");
  EXPECT_EQ(fields.string("marks", Text::trimmed), "CARD-9");
  // Text kept as sent (a name) keeps them: names use the joiners and marks.
  EXPECT_EQ(fields.string("name"), "CARD\u200b-9");
  EXPECT_EQ(fields.errors(), (domain::FieldErrors{{"shy", {"must not contain invisible characters"}},
                                                  {"zwsp", {"must not contain invisible characters"}}}));
}

TEST(FieldReader, RefuseNullAddsCantBeBlankForNullOnly) {
  auto body = object_of(R"({"name": null, "timezone": "UTC", "days": null, "empty": ""})");
  FieldReader fields(body);
  fields.refuse_null({"name", "timezone", "days", "empty", "absent"});
  EXPECT_EQ(fields.errors(), (domain::FieldErrors{{"days", {"can't be blank"}}, {"name", {"can't be blank"}}}));
}

TEST(FieldReader, RequireAndRefuseNullSayCantBeBlankOnce) {
  auto body = object_of(R"({"name": null})");
  FieldReader fields(body);
  fields.require("name");
  fields.refuse_null({"name"});
  fields.require("name");
  EXPECT_EQ(fields.errors(), one("name", "can't be blank"));
}

TEST(MergeErrors, AddsTheModelsFieldsAndKeepsTheReadersOwnForAFieldItRefused) {
  domain::FieldErrors into{{"name", {"is invalid"}}};
  merge_errors(into, {{"name", {"can't be blank"}}, {"type", {"is invalid"}}});
  EXPECT_EQ(into, (domain::FieldErrors{{"name", {"is invalid"}}, {"type", {"is invalid"}}}));
}

TEST(ReadResource, UnwrapsTheNamedResource) {
  TestRequest t("/api/schools", Verb::post);
  t.set_body("application/json", R"({"school": {"name": "A"}, "other": 1})");
  auto body = read_resource(t.req, "school");
  ASSERT_TRUE(body);
  EXPECT_EQ(body.value(), object_of(R"({"name": "A"})"));
}

TEST(ReadResource, AcceptsTheBareObject) {
  TestRequest t("/api/schools", Verb::post);
  t.set_body("application/json; charset=utf-8", R"({"name": "A"})");
  auto body = read_resource(t.req, "school");
  ASSERT_TRUE(body);
  EXPECT_EQ(body.value(), object_of(R"({"name": "A"})"));
}

TEST(ReadObject, KeepsTheWholeBodyWithoutUnwrapping) {
  TestRequest t("/api/attendances/batch", Verb::post);
  t.set_body("application/json", R"({"attendances": [{"user_id": 1}]})");
  auto body = read_object(t.req);
  ASSERT_TRUE(body);
  EXPECT_EQ(body.value(), object_of(R"({"attendances": [{"user_id": 1}]})"));
}

TEST(ReadObject, AnArrayBodyIsABadRequest) {
  TestRequest t("/api/attendances/batch", Verb::post);
  t.set_body("application/json", "[1, 2]");
  auto body = read_object(t.req);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().kind, domain::ErrorKind::bad_request);
}

TEST(ReadResource, AWrapperThatIsNotAnObjectIsInvalid) {
  for (const char* text : {R"({"school": "A", "name": "B"})", R"({"school": null})", R"({"school": [{}]})", R"({"school": 5})"}) {
    TestRequest t("/api/schools/1", Verb::patch);
    t.set_body("application/json", text);
    auto body = read_resource(t.req, "school");
    ASSERT_FALSE(body) << text;
    EXPECT_EQ(body.error().kind, domain::ErrorKind::unprocessable) << text;
    EXPECT_EQ(body.error().fields, one("school", "must be an object")) << text;
  }
}

TEST(ReadResource, AnEmptyBodyReadsAsAnEmptyObject) {
  TestRequest t("/api/schools/1", Verb::patch);
  auto body = read_resource(t.req, "school");
  ASSERT_TRUE(body);
  EXPECT_TRUE(body.value().empty());
}

TEST(ReadResource, AcceptsJsonMediaTypesInAnyCase) {
  for (const char* type : {"APPLICATION/JSON", "application/json ;charset=utf-8", "application/vnd.api+json"}) {
    TestRequest t("/api/schools", Verb::post);
    t.set_body(type, R"({"name": "A"})");
    EXPECT_TRUE(read_resource(t.req, "school")) << type;
  }
}

TEST(ReadResource, ANonJsonContentTypeIsUnsupportedMediaType) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "", "application/jsonx", "text/json"}) {
    TestRequest t("/api/schools", Verb::post);
    t.set_body(type, R"({"name": "A"})");
    auto body = read_resource(t.req, "school");
    ASSERT_FALSE(body) << type;
    EXPECT_EQ(body.error().kind, domain::ErrorKind::unsupported_media_type) << type;
  }
}

TEST(ReadResource, MalformedJsonOrANonObjectIsBadRequestWithACauseForDevMode) {
  for (const char* text : {R"({"name": )", "[1, 2]", "\"school\"", "42", "{} {}", "nul"}) {
    TestRequest t("/api/schools", Verb::post);
    t.set_body("application/json", text);
    auto body = read_resource(t.req, "school");
    ASSERT_FALSE(body) << text;
    EXPECT_EQ(body.error().kind, domain::ErrorKind::bad_request) << text;
    EXPECT_TRUE(body.error().fields.empty()) << text;
    EXPECT_FALSE(body.error().debug.empty()) << text;
  }
}

TEST(ReadResource, ADeeplyNestedBodyIsBadRequestNotACrash) {
  std::string deep(5000, '[');
  deep += std::string(5000, ']');
  TestRequest t("/api/schools", Verb::post);
  t.set_body("application/json", R"({"school": )" + deep + "}");
  auto body = read_resource(t.req, "school");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().kind, domain::ErrorKind::bad_request);
}

}  // namespace
}  // namespace attendance::http
