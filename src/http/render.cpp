#include "http/render.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include <boost/json/array.hpp>

#include "domain/time.hpp"
#include "http/json_text.hpp"

namespace attendance::http {

namespace json = boost::json;

namespace {
template <class T>
json::value or_null(const std::optional<T>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}
}  // namespace

json::object to_json(const domain::School& school) {
  json::array days;
  for (int day : school.school_days) days.emplace_back(day);
  return {{"id", school.id},
          {"name", school.name},
          {"timezone", school.timezone},
          {"school_days", std::move(days)},
          {"min_daily_hours", school.min_daily_hours},
          {"min_period_ratio", school.min_period_ratio},
          {"fever_threshold", school.fever_threshold},
          {"inserted_at", domain::format_timestamp(school.inserted_at)},
          {"updated_at", domain::format_timestamp(school.updated_at)}};
}

json::object to_json(const domain::User& user) {
  return {{"id", user.id},
          {"school_id", user.school_id},
          {"name", user.name},
          {"external_id", or_null(user.external_id)},
          {"enrolled_on", domain::format_date(user.enrolled_on)},
          {"inserted_at", domain::format_timestamp(user.inserted_at)},
          {"updated_at", domain::format_timestamp(user.updated_at)}};
}

json::object to_json(const domain::ApiToken& token) {
  return {{"id", token.id},
          {"name", token.name},
          {"role", domain::to_string(token.role)},
          {"school_id", or_null(token.school_id)},
          {"inserted_at", domain::format_timestamp(token.inserted_at)},
          {"revoked_at", token.revoked_at ? json::value(domain::format_timestamp(*token.revoked_at))
                                          : json::value(nullptr)}};
}

json::object to_json(const domain::Closure& closure) {
  return {{"school_id", closure.school_id},
          {"date", domain::format_date(closure.date)},
          {"reason", closure.reason}};
}

namespace {

// Text this service writes itself (timestamps, enum names): never anything JSON escapes.
struct OwnText {
  std::string_view text;
};

// An attendance's fields in the order clients see them, each handed to fields(name, value) as an
// integer, a double, a bool, OwnText, or optional text from clients (null when empty): the one
// list behind both its JSON value and its JSON text.
template <class Fields>
void attendance_fields(Fields&& fields, const domain::Attendance& attendance, double fever_threshold) {
  std::optional<std::string> image_url;
  if (attendance.image_hash) image_url = "/api/attendances/" + std::to_string(attendance.id) + "/image";
  fields("id", std::int64_t{attendance.id});
  fields("user_id", std::int64_t{attendance.user_id});
  fields("school_id", std::int64_t{attendance.school_id});
  fields("timestamp", OwnText{domain::timestamp_text(attendance.timestamp).view()});
  fields("type", OwnText{domain::to_string(attendance.type)});
  fields("temperature", attendance.temperature);
  fields("fever", attendance.temperature >= fever_threshold);
  fields("image_url", image_url);
  fields("client_id", attendance.client_id);
  fields("inserted_at", OwnText{domain::timestamp_text(attendance.inserted_at).view()});
}

}  // namespace

json::object to_json(const domain::Attendance& attendance, double fever_threshold) {
  json::object object;
  object.reserve(10);
  attendance_fields(
      [&object]<class Value>(std::string_view name, const Value& value) {
        if constexpr (std::is_same_v<Value, std::optional<std::string>>) {
          if (value) object.emplace(name, json::string_view(*value));
          else object.emplace(name, nullptr);
        } else if constexpr (std::is_same_v<Value, OwnText>) {
          object.emplace(name, json::string_view(value.text));
        } else {
          object.emplace(name, value);
        }
      },
      attendance, fever_threshold);
  return object;
}

void append_json(std::string& out, const domain::Attendance& attendance, double fever_threshold) {
  char separator = '{';
  attendance_fields(
      [&out, &separator]<class Value>(std::string_view name, const Value& value) {
        // `,"name":` in one append; the names are this file's literals, short, with nothing to escape.
        char key[32];
        if (name.size() + 4 > sizeof key) throw std::logic_error("attendance field name too long");
        key[0] = separator;
        key[1] = '"';
        name.copy(key + 2, name.size());
        key[name.size() + 2] = '"';
        key[name.size() + 3] = ':';
        out.append(key, name.size() + 4);
        separator = ',';
        if constexpr (std::is_same_v<Value, std::optional<std::string>>) {
          if (value) append_json(out, std::string_view(*value));
          else append_json_null(out);
        } else if constexpr (std::is_same_v<Value, OwnText>) {
          out += '"';
          out += value.text;
          out += '"';
        } else if constexpr (std::is_same_v<Value, bool>) {
          append_json_bool(out, value);
        } else {
          append_json(out, value);
        }
      },
      attendance, fever_threshold);
  out += '}';
}

}  // namespace attendance::http
