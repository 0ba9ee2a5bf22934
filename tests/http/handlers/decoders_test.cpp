#include "http/handlers/decoders.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace attendance::http {
namespace {

boost::json::object object_of(std::string_view text) { return boost::json::parse(text).as_object(); }

constexpr std::string_view kEvent = R"({"user_id": 7, "type": "checkin", "temperature": 36.6)";

boost::json::object event_with(std::string_view more) {
  return object_of(std::string(kEvent) + std::string(more) + "}");
}

TEST(ParseNewEvent, TheIdempotencyKeyStandsInForAnAbsentOrNullClientId) {
  for (const char* more : {"", R"(, "client_id": null)"}) {
    auto event = parse_new_event(event_with(more), "key-1");
    ASSERT_TRUE(event) << more;
    EXPECT_EQ(event->client_id, "key-1") << more;
  }
}

TEST(ParseNewEvent, AClientIdEqualToTheIdempotencyKeyIsFine) {
  auto event = parse_new_event(event_with(R"(, "client_id": "key-1")"), "key-1");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->client_id, "key-1");
}

TEST(ParseNewEvent, AClientIdOtherThanTheIdempotencyKeyIsRefused) {
  auto event = parse_new_event(event_with(R"(, "client_id": "body-1")"), "key-1");
  ASSERT_FALSE(event);
  EXPECT_EQ(event.error().fields,
            (domain::FieldErrors{{"client_id", {"does not match the Idempotency-Key header"}}}));
}

TEST(ParseNewEvent, AnImageMayBeWrappedInLinesButAClientIdMayNot) {
  auto wrapped = parse_new_event(event_with(R"(, "client_id": "kiosk\t1")"), std::nullopt);
  ASSERT_FALSE(wrapped);
  EXPECT_EQ(wrapped.error().fields, (domain::FieldErrors{{"client_id", {"must not contain control characters"}}}));
  // 1x1 PNG, wrapped as `base64 -w 40` would.
  auto image = parse_new_event(
      event_with(R"(, "image": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAf\nFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAA\r\nAABJRU5ErkJggg==")"),
      std::nullopt);
  EXPECT_TRUE(image);
}

TEST(ParseNewEvent, ABlankClientIdIsRefused) {
  for (const char* blank : {R"("")", R"(" ")", R"("\u00a0\u3000")", R"("\ufeff")"}) {
    auto event = parse_new_event(event_with(std::string(R"(, "client_id": )") + blank), std::nullopt);
    ASSERT_FALSE(event) << blank;
    EXPECT_EQ(event.error().fields, (domain::FieldErrors{{"client_id", {"can't be blank"}}})) << blank;
  }
  // Beside an Idempotency-Key it differs from, the mismatch alone is said.
  auto beside_key = parse_new_event(event_with(R"(, "client_id": " ")"), "key-1");
  ASSERT_FALSE(beside_key);
  EXPECT_EQ(beside_key.error().fields,
            (domain::FieldErrors{{"client_id", {"does not match the Idempotency-Key header"}}}));
}

TEST(ParseNewEvent, AClientIdIsAtMost200Characters) {
  std::string longest;
  for (int i = 0; i < 200; ++i) longest += "\u00e9";  // 400 bytes, 200 characters
  auto event = parse_new_event(event_with(R"(, "client_id": ")" + longest + R"(")"), std::nullopt);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->client_id, longest);
  auto longer = parse_new_event(event_with(R"(, "client_id": ")" + longest + R"(x")"), std::nullopt);
  ASSERT_FALSE(longer);
  EXPECT_EQ(longer.error().fields, (domain::FieldErrors{{"client_id", {"should be at most 200 character(s)"}}}));
}

TEST(ParseNewEvent, AClientIdWithABidiOverrideIsRefused) {
  auto event = parse_new_event(event_with(R"(, "client_id": "kiosk-1\u202e")"), std::nullopt);
  ASSERT_FALSE(event);
  EXPECT_EQ(event.error().fields, (domain::FieldErrors{{"client_id", {"must not contain control characters"}}}));
}

TEST(ApplySchoolFields, NullForAnySettingIsBlankAndLeavesTheSchoolAsItWas) {
  for (const char* field : {"name", "timezone", "school_days", "min_daily_hours", "min_period_ratio", "fever_threshold"}) {
    auto body = object_of(std::string(R"({")") + field + R"(": null})");
    FieldReader fields(body);
    domain::School school;
    school.name = "Rosa Parks";
    school.timezone = "Europe/Berlin";
    apply_school_fields(fields, school);
    EXPECT_EQ(fields.errors(), (domain::FieldErrors{{field, {"can't be blank"}}})) << field;
    EXPECT_EQ(school.name, "Rosa Parks") << field;
    EXPECT_EQ(school.timezone, "Europe/Berlin") << field;
  }
}

TEST(ReadUserFields, NullIsBlankButForExternalIdWhichItClears) {
  auto body = object_of(R"({"name": null, "enrolled_on": null, "school_id": null, "external_id": null})");
  FieldReader fields(body);
  auto read = read_user_fields(fields);
  EXPECT_EQ(fields.errors(), (domain::FieldErrors{{"enrolled_on", {"can't be blank"}},
                                                  {"name", {"can't be blank"}},
                                                  {"school_id", {"can't be blank"}}}));
  EXPECT_TRUE(read.external_id.present);
  EXPECT_FALSE(read.external_id.value);
}

TEST(ReadUserFields, ExternalIdIsTrimmedAndNameIsNot) {
  auto body = object_of(R"({"name": " Ada\u00a0Lovelace ", "external_id": "\u00a0CARD-9 \r\n"})");
  FieldReader fields(body);
  auto read = read_user_fields(fields);
  EXPECT_TRUE(fields.errors().empty());
  EXPECT_EQ(read.name, " Ada\u00a0Lovelace ");
  EXPECT_EQ(read.external_id.value, "CARD-9");
}

}  // namespace
}  // namespace attendance::http
