#include "http/render.hpp"

#include <boost/json/array.hpp>

#include "domain/time.hpp"

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

json::object to_json(const domain::Attendance& attendance, double fever_threshold, json::storage_ptr storage) {
  json::value image_url = nullptr;
  if (attendance.image_hash) image_url = "/api/attendances/" + std::to_string(attendance.id) + "/image";
  return json::object({{"id", attendance.id},
                       {"user_id", attendance.user_id},
                       {"school_id", attendance.school_id},
                       {"timestamp", domain::timestamp_text(attendance.timestamp).view()},
                       {"type", domain::to_string(attendance.type)},
                       {"temperature", attendance.temperature},
                       {"fever", attendance.temperature >= fever_threshold},
                       {"image_url", std::move(image_url)},
                       {"client_id", or_null(attendance.client_id)},
                       {"inserted_at", domain::timestamp_text(attendance.inserted_at).view()}},
                      std::move(storage));
}

}  // namespace attendance::http
