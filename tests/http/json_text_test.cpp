#include "http/json_text.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <limits>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "domain/time.hpp"
#include "http/render.hpp"

namespace attendance::http {
namespace {

namespace json = boost::json;

TEST(JsonText, WholeDoublesKeepADecimalPoint) {
  EXPECT_EQ(to_json_text(json::value(4.0)), "4.0");
  EXPECT_EQ(to_json_text(json::value(38.0)), "38.0");
  EXPECT_EQ(to_json_text(json::value(0.0)), "0.0");
  EXPECT_EQ(to_json_text(json::value(-2.0)), "-2.0");
}

TEST(JsonText, DoublesAreWrittenInTheirShortestDecimalForm) {
  EXPECT_EQ(to_json_text(json::value(36.6)), "36.6");
  EXPECT_EQ(to_json_text(json::value(0.8)), "0.8");
  EXPECT_EQ(to_json_text(json::value(37.25)), "37.25");
  EXPECT_EQ(to_json_text(json::value(0.1 + 0.2)), "0.30000000000000004");
}

// std::to_chars' shortest form, with ".0" on whole numbers: what every double is written as.
std::string shortest_text(double d) {
  char buffer[64];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, d).ptr;
  std::string text(buffer, end);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

// Numbers with one decimal below 1000 (temperatures) take a shorter path; it must write exactly
// what the general one does, for every such number and for its neighbours that are not one.
TEST(JsonText, OneDecimalNumbersAreWrittenAsTheirShortestForm) {
  for (int tenths = 0; tenths <= 10'010; ++tenths) {
    const double d = tenths / 10.0;
    for (double near : {d, std::nextafter(d, 0.0), std::nextafter(d, 2e4), -d}) {
      ASSERT_EQ(to_json_text(json::value(near)), shortest_text(near)) << tenths;
    }
  }
  for (double d : {36.65, 37.25, 999.95, 0.05, 1000.0, 1e8, 1e21, 38.000000000000007}) {
    EXPECT_EQ(to_json_text(json::value(d)), shortest_text(d)) << d;
  }
}

TEST(JsonText, VeryLargeOrSmallDoublesStayValidJsonNumbers) {
  for (double d : {1e300, 1e-300, 123456789012345680000.0}) {
    auto text = to_json_text(json::value(d));
    auto parsed = json::parse(text);
    ASSERT_TRUE(parsed.is_double()) << text;
    EXPECT_EQ(parsed.as_double(), d) << text;
  }
}

TEST(JsonText, NonFiniteDoublesBecomeNull) {
  EXPECT_EQ(to_json_text(json::value(std::numeric_limits<double>::quiet_NaN())), "null");
  EXPECT_EQ(to_json_text(json::value(std::numeric_limits<double>::infinity())), "null");
}

TEST(JsonText, IntegersStayIntegers) {
  EXPECT_EQ(to_json_text(json::value(4)), "4");
  EXPECT_EQ(to_json_text(json::value(-7)), "-7");
  EXPECT_EQ(to_json_text(json::value(9007199254740993LL)), "9007199254740993");
  EXPECT_EQ(to_json_text(json::value(18446744073709551615ULL)), "18446744073709551615");
}

TEST(JsonText, StringsAndKeysAreEscaped) {
  json::object object;
  object["quote\"key"] = "line\nbreak \"quoted\" back\\slash \x01 tab\t";
  object["unicode"] = "Zoë 🎒";
  auto text = to_json_text(object);
  EXPECT_EQ(text.find('\n'), std::string::npos) << text;  // one SSE data line holds it
  EXPECT_EQ(json::parse(text), json::value(object)) << text;
  EXPECT_NE(text.find(R"("quote\"key")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(\u0001)"), std::string::npos) << text;
}

TEST(JsonText, NestedValuesKeepOrderAndNumberForms) {
  json::value value = {{"data", json::array{json::object{{"id", 1}, {"temperature", 38.0}, {"fever", true},
                                                          {"image_url", nullptr}},
                                             json::array{}, json::object{}}},
                       {"meta", {{"next_after", nullptr}}}};
  EXPECT_EQ(to_json_text(value),
            R"({"data":[{"id":1,"temperature":38.0,"fever":true,"image_url":null},[],{}],"meta":{"next_after":null}})");
}

TEST(JsonText, EverythingButDoublesIsWrittenAsBoostJsonWritesIt) {
  const auto value = json::parse(R"({"name":"Zoë \"Z\" O'Neil\\x","tab\tkey":"a\u0001b\u001fc\n\r\b\f/",)"
                                 R"("ids":[0,-1,9223372036854775807,18446744073709551615],"ok":true,"no":false,)"
                                 R"("nothing":null,"nested":{"empty":{},"list":[]}})");
  EXPECT_EQ(to_json_text(value), json::serialize(value));
  EXPECT_EQ(json::parse(to_json_text(value)), value);
}

// A page writes attendances as text without building values: the text must be exactly what the
// value renders to, for every kind of field (nulls, escapes, an image, fever or not).
TEST(JsonText, AnAttendanceWrittenAsTextIsItsValueRendered) {
  domain::Attendance with_all;
  with_all.id = 42;
  with_all.user_id = 7;
  with_all.school_id = 3;
  with_all.timestamp = domain::parse_timestamp("2026-03-02T08:15:30.250001+01:00").value();
  with_all.inserted_at = domain::parse_timestamp("2026-03-02T07:15:31Z").value();
  with_all.type = domain::EventType::checkout;
  with_all.temperature = 38.0;
  with_all.client_id = "kiosk \"7\"\n\\";
  with_all.image_hash = "abc";
  domain::Attendance bare = with_all;
  bare.client_id.reset();
  bare.image_hash.reset();
  bare.temperature = 36.6;
  for (const auto& event : {with_all, bare}) {
    std::string text;
    append_json(text, event, 38.0);
    EXPECT_EQ(text, to_json_text(to_json(event, 38.0)));
    EXPECT_EQ(boost::json::parse(text).at("fever").as_bool(), event.temperature >= 38.0);
  }
  std::string text;
  append_json(text, with_all, 38.0);
  EXPECT_NE(text.find("\"image_url\":\"/api/attendances/42/image\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"timestamp\":\"2026-03-02T07:15:30.250001Z\""), std::string::npos) << text;
}

}  // namespace
}  // namespace attendance::http
