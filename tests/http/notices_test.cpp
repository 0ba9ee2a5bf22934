#include "http/notices.hpp"

#include <set>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "domain/time.hpp"

namespace attendance::http {
namespace {

namespace json = boost::json;

constexpr std::string_view kOrigin = "0123456789abcdef";

AttendanceNotice fever_notice() {
  AttendanceNotice notice;
  notice.school_id = 12;
  notice.timezone = "America/New_York";
  notice.day = *domain::parse_date("2026-11-30");
  notice.change = Change::recorded;
  notice.attendance = {{"id", 812}, {"user_id", 5}, {"school_id", 12}, {"timestamp", "2026-11-30T12:58:12Z"},
                       {"type", "checkin"}, {"temperature", 38.6}, {"fever", true}, {"image_url", nullptr},
                       {"client_id", "kiosk-1-000017"}, {"inserted_at", "2026-11-30T12:58:12Z"}};
  notice.fever_user_name = "Ada Lovelace";
  return notice;
}

DecodedNotice round_trip(const Notice& notice) {
  auto decoded = decode_notice(encode_notice(notice, kOrigin));
  EXPECT_TRUE(decoded.has_value());
  return decoded.value_or(DecodedNotice{});
}

TEST(Notices, AnAttendanceNoticeArrivesWithEverythingAReceiverPublishes) {
  auto decoded = round_trip(fever_notice());
  EXPECT_EQ(decoded.origin, kOrigin);
  const auto* notice = std::get_if<AttendanceNotice>(&decoded.notice);
  ASSERT_NE(notice, nullptr);
  EXPECT_EQ(notice->school_id, 12);
  EXPECT_EQ(notice->timezone, "America/New_York");
  EXPECT_EQ(domain::format_date(notice->day), "2026-11-30");
  EXPECT_EQ(notice->change, Change::recorded);
  EXPECT_EQ(notice->attendance, fever_notice().attendance);  // temperatures included, to the last bit
  EXPECT_EQ(notice->fever_user_name, "Ada Lovelace");
}

TEST(Notices, ADeletionWithoutARenderedEventStaysADeletion) {
  AttendanceNotice deleted = fever_notice();
  deleted.change = Change::deleted;
  deleted.attendance = {};
  deleted.fever_user_name.reset();
  const auto decoded = round_trip(deleted);
  const auto* notice = std::get_if<AttendanceNotice>(&decoded.notice);
  ASSERT_NE(notice, nullptr);
  EXPECT_EQ(notice->change, Change::deleted);
  EXPECT_TRUE(notice->attendance.empty());
  EXPECT_FALSE(notice->fever_user_name);
}

TEST(Notices, SchoolTokensAndResetNoticesRoundTrip) {
  const auto school = round_trip(SchoolNotice{7});
  ASSERT_TRUE(std::holds_alternative<SchoolNotice>(school.notice));
  EXPECT_EQ(std::get<SchoolNotice>(school.notice).school_id, 7);
  EXPECT_TRUE(std::holds_alternative<TokensNotice>(round_trip(TokensNotice{}).notice));
  EXPECT_TRUE(std::holds_alternative<ResetNotice>(round_trip(ResetNotice{}).notice));
}

TEST(Notices, ArePlainCompactJson) {
  EXPECT_EQ(encode_notice(SchoolNotice{7}, kOrigin),
            R"({"v":1,"from":"0123456789abcdef","kind":"school","school_id":7})");
  EXPECT_EQ(encode_notice(TokensNotice{}, kOrigin), R"({"v":1,"from":"0123456789abcdef","kind":"tokens"})");
}

TEST(Notices, TheLongestEventTheApiAcceptsFitsInOnePayload) {
  // 200 characters of 4-byte UTF-8 for the name, 200 bytes that JSON escapes six-fold for the
  // client_id: the most the validation lets through.
  auto notice = fever_notice();
  std::string name;
  for (int i = 0; i < 200; ++i) name += "\xF0\x9F\x98\x80";
  notice.fever_user_name = name;
  notice.attendance["client_id"] = std::string(200, '\x01');
  notice.timezone = "America/Argentina/ComodRivadavia";
  const auto payload = encode_notice(notice, kOrigin);
  EXPECT_LE(payload.size(), kMaxNoticeBytes);
  const auto decoded = decode_notice(payload);
  ASSERT_TRUE(decoded);
  const auto& got = std::get<AttendanceNotice>(decoded->notice);
  EXPECT_EQ(got.fever_user_name, name);
  EXPECT_EQ(got.attendance, notice.attendance);
}

TEST(Notices, AnEventTooLongForAPayloadIsSentWithoutItsRendering) {
  auto notice = fever_notice();
  notice.attendance["client_id"] = std::string(9000, 'x');
  const auto payload = encode_notice(notice, kOrigin);
  EXPECT_LE(payload.size(), kMaxNoticeBytes);
  const auto decoded = decode_notice(payload);
  ASSERT_TRUE(decoded);
  const auto& got = std::get<AttendanceNotice>(decoded->notice);
  EXPECT_EQ(got.school_id, 12);  // the receiver still invalidates the day and recounts
  EXPECT_EQ(domain::format_date(got.day), "2026-11-30");
  EXPECT_TRUE(got.attendance.empty());
  EXPECT_FALSE(got.fever_user_name);
}

TEST(Notices, AnythingElseIsRefused) {
  const std::string valid_attendance = encode_notice(fever_notice(), kOrigin);
  auto with = [&](std::string_view key, json::value value) {
    auto object = json::parse(valid_attendance).as_object();
    if (value.is_null()) object.erase(key);
    else object[key] = value;
    return json::serialize(object);
  };
  for (const std::string& payload : {
           std::string("not json"),
           std::string("[1,2]"),
           std::string(R"({"v":2,"from":"a","kind":"tokens"})"),
           std::string(R"({"from":"a","kind":"tokens"})"),
           std::string(R"({"v":1,"kind":"tokens"})"),
           std::string(R"({"v":1,"from":"","kind":"tokens"})"),
           std::string(R"({"v":1,"from":"a","kind":"users"})"),
           std::string(R"({"v":1,"from":"a","kind":"school","school_id":0})"),
           std::string(R"({"v":1,"from":"a","kind":"school","school_id":"7"})"),
           with("school_id", -3),
           with("day", "2026-02-30"),
           with("day", nullptr),
           with("timezone", 5),
           with("change", "updated"),
           with("attendance", "{}"),
           with("fever_user_name", 1),
           std::string(8000, ' '),
       }) {
    EXPECT_FALSE(decode_notice(payload)) << payload;
  }
}

TEST(Notices, EveryProcessGetsItsOwnOrigin) {
  std::set<std::string> origins;
  for (int i = 0; i < 100; ++i) {
    auto origin = new_origin();
    EXPECT_EQ(origin.size(), 16u);
    EXPECT_EQ(origin.find_first_not_of("0123456789abcdef"), std::string::npos) << origin;
    origins.insert(origin);
  }
  EXPECT_EQ(origins.size(), 100u);
}

}  // namespace
}  // namespace attendance::http
