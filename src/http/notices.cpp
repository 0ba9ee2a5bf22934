#include "http/notices.hpp"

#include <cstdio>
#include <random>

#include <boost/json/parse.hpp>

#include "domain/time.hpp"
#include "http/json_text.hpp"

namespace attendance::http {

namespace json = boost::json;

namespace {

constexpr std::int64_t kVersion = 1;

// Members common to every notice, then the kind's own.
json::object header(std::string_view origin, std::string_view kind) {
  return {{"v", kVersion}, {"from", origin}, {"kind", kind}};
}

struct Encoder {
  std::string_view origin;

  json::object operator()(const AttendanceNotice& notice) const {
    auto object = header(origin, "attendance");
    object["school_id"] = notice.school_id;
    object["timezone"] = notice.timezone;
    object["day"] = domain::format_date(notice.day);
    object["change"] = notice.change == Change::recorded ? "recorded" : "deleted";
    if (!notice.attendance.empty()) object["attendance"] = notice.attendance;
    if (notice.fever_user_name) object["fever_user_name"] = *notice.fever_user_name;
    return object;
  }
  json::object operator()(const SchoolNotice& notice) const {
    auto object = header(origin, "school");
    object["school_id"] = notice.school_id;
    return object;
  }
  json::object operator()(const TokensNotice&) const { return header(origin, "tokens"); }
  json::object operator()(const ResetNotice&) const { return header(origin, "reset"); }
};

std::optional<domain::Id> positive_id(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (!value) return std::nullopt;
  if (value->is_int64() && value->get_int64() > 0) return value->get_int64();
  return std::nullopt;
}

const json::string* string_member(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value ? value->if_string() : nullptr;
}

std::optional<AttendanceNotice> decode_attendance(const json::object& object) {
  AttendanceNotice notice;
  const auto school_id = positive_id(object, "school_id");
  const auto* timezone = string_member(object, "timezone");
  const auto* day = string_member(object, "day");
  const auto* change = string_member(object, "change");
  if (!school_id || !timezone || !day || !change) return std::nullopt;
  notice.school_id = *school_id;
  notice.timezone = std::string(*timezone);
  const auto parsed_day = domain::parse_date(*day);
  if (!parsed_day) return std::nullopt;
  notice.day = *parsed_day;
  if (*change == "recorded") notice.change = Change::recorded;
  else if (*change == "deleted") notice.change = Change::deleted;
  else return std::nullopt;
  if (const auto* attendance = object.if_contains("attendance")) {
    if (!attendance->is_object()) return std::nullopt;
    notice.attendance = attendance->get_object();
  }
  if (const auto* name = object.if_contains("fever_user_name")) {
    if (!name->is_string()) return std::nullopt;
    notice.fever_user_name = std::string(name->get_string());
  }
  return notice;
}

}  // namespace

std::string encode_notice(const Notice& notice, std::string_view origin) {
  auto object = std::visit(Encoder{origin}, notice);
  auto text = to_json_text(object);
  if (text.size() <= kMaxNoticeBytes) return text;
  // Only an attendance notice carries free text (client_id, a user's name); without its rendered
  // event it is a few hundred bytes whatever the school.
  object.erase("attendance");
  object.erase("fever_user_name");
  object["trimmed"] = true;
  return to_json_text(object);
}

std::optional<DecodedNotice> decode_notice(std::string_view payload) {
  if (payload.size() > kMaxNoticeBytes) return std::nullopt;
  boost::system::error_code error;
  auto parsed = json::parse(payload, error);
  if (error || !parsed.is_object()) return std::nullopt;
  const auto& object = parsed.get_object();
  const auto* version = object.if_contains("v");
  if (!version || !version->is_int64() || version->get_int64() != kVersion) return std::nullopt;
  const auto* origin = string_member(object, "from");
  const auto* kind = string_member(object, "kind");
  if (!origin || origin->empty() || !kind) return std::nullopt;

  DecodedNotice decoded{std::string(*origin), ResetNotice{}};
  if (*kind == "attendance") {
    auto notice = decode_attendance(object);
    if (!notice) return std::nullopt;
    decoded.notice = std::move(*notice);
  } else if (*kind == "school") {
    const auto school_id = positive_id(object, "school_id");
    if (!school_id) return std::nullopt;
    decoded.notice = SchoolNotice{*school_id};
  } else if (*kind == "tokens") {
    decoded.notice = TokensNotice{};
  } else if (*kind != "reset") {
    return std::nullopt;
  }
  return decoded;
}

std::string new_origin() {
  std::random_device random;
  const std::uint64_t bits = (static_cast<std::uint64_t>(random()) << 32) ^ random();
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(bits));
  return text;
}

}  // namespace attendance::http
