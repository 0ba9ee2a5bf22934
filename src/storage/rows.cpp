#include "storage/rows.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace attendance::storage::rows {

using soci::into;

namespace {
// An attendance type as stored; anything else is a corrupt row, not user input.
domain::EventType stored_event_type(std::string_view text) {
  auto parsed = domain::parse_event_type(text);
  if (!parsed) throw std::runtime_error("stored attendance type is unknown: " + std::string(text));
  return *parsed;
}

// Assigns into an engaged target's string, which keeps its memory.
void assign_optional(std::optional<std::string>& target, std::optional<std::string_view> value) {
  if (!value) target.reset();
  else if (target) target->assign(*value);
  else target.emplace(*value);
}

std::optional<std::string_view> text_if(soci::indicator indicator, const std::string& text) {
  if (indicator != soci::i_ok) return std::nullopt;
  return text;
}
}  // namespace

std::string qualified(std::string_view columns, std::string_view alias) {
  std::string out;
  while (!columns.empty()) {
    auto comma = columns.find(',');
    auto column = columns.substr(0, comma);
    while (column.starts_with(' ')) column.remove_prefix(1);
    if (!out.empty()) out += ", ";
    // A helper such as @ts(col) keeps its name; the alias goes on the column inside it.
    auto open = column.starts_with('@') ? column.find('(') : std::string_view::npos;
    if (open == std::string_view::npos) {
      out.append(alias).append(".").append(column);
    } else {
      out.append(column.substr(0, open + 1)).append(alias).append(".").append(column.substr(open + 1));
    }
    columns = comma == std::string_view::npos ? std::string_view() : columns.substr(comma + 1);
  }
  return out;
}

void SchoolRow::bind(soci::statement& st) {
  st.exchange(into(id));
  st.exchange(into(name));
  st.exchange(into(timezone));
  st.exchange(into(school_days));
  st.exchange(into(min_daily_hours));
  st.exchange(into(min_period_ratio));
  st.exchange(into(fever_threshold));
  st.exchange(into(inserted_at));
  st.exchange(into(updated_at));
}

domain::School SchoolRow::value() const {
  domain::School s;
  s.id = id;
  s.name = name;
  s.timezone = timezone;
  s.school_days = days_of_text(school_days);
  s.min_daily_hours = min_daily_hours;
  s.min_period_ratio = min_period_ratio;
  s.fever_threshold = fever_threshold;
  s.inserted_at = sql::timestamp_of_micros(inserted_at);
  s.updated_at = sql::timestamp_of_micros(updated_at);
  return s;
}

void ClosureRow::bind(soci::statement& st) {
  st.exchange(into(school_id));
  st.exchange(into(date));
  st.exchange(into(reason));
}

domain::Closure ClosureRow::value() const { return domain::Closure{school_id, sql::date_of_text(date), reason}; }

void UserRow::bind(soci::statement& st) {
  st.exchange(into(id));
  st.exchange(into(school_id));
  st.exchange(into(name));
  st.exchange(into(external_id, external_id_ind));
  st.exchange(into(enrolled_on));
  st.exchange(into(inserted_at));
  st.exchange(into(updated_at));
}

domain::User UserRow::value() const {
  domain::User u;
  u.id = id;
  u.school_id = school_id;
  u.name = name;
  if (external_id_ind == soci::i_ok) u.external_id = external_id;
  u.enrolled_on = sql::date_of_text(enrolled_on);
  u.inserted_at = sql::timestamp_of_micros(inserted_at);
  u.updated_at = sql::timestamp_of_micros(updated_at);
  return u;
}

void AttendanceRow::bind(soci::statement& st) {
  st.exchange(into(id));
  st.exchange(into(user_id));
  st.exchange(into(school_id));
  st.exchange(into(timestamp));
  st.exchange(into(type));
  st.exchange(into(temperature));
  st.exchange(into(image_hash, image_hash_ind));
  st.exchange(into(client_id, client_id_ind));
  st.exchange(into(inserted_at));
}

domain::Attendance AttendanceRow::value() const {
  domain::Attendance a;
  a.id = id;
  a.user_id = user_id;
  a.school_id = school_id;
  a.timestamp = sql::timestamp_of_micros(timestamp);
  a.type = stored_event_type(type);
  a.temperature = temperature;
  assign_optional(a.image_hash, text_if(image_hash_ind, image_hash));
  assign_optional(a.client_id, text_if(client_id_ind, client_id));
  a.inserted_at = sql::timestamp_of_micros(inserted_at);
  return a;
}

void AttendanceRow::read(const scan::Columns& row, domain::Attendance& a) {
  a.id = row.integer(0);
  a.user_id = row.integer(1);
  a.school_id = row.integer(2);
  a.timestamp = sql::timestamp_of_micros(row.integer(3));
  a.type = stored_event_type(row.text(4));
  a.temperature = row.real(5);
  assign_optional(a.image_hash, row.optional_text(6));
  assign_optional(a.client_id, row.optional_text(7));
  a.inserted_at = sql::timestamp_of_micros(row.integer(8));
}

void TokenRow::bind(soci::statement& st) {
  st.exchange(into(id));
  st.exchange(into(name));
  st.exchange(into(role));
  st.exchange(into(school_id, school_id_ind));
  st.exchange(into(inserted_at));
  st.exchange(into(revoked_at, revoked_at_ind));
}

domain::ApiToken TokenRow::value() const {
  domain::ApiToken t;
  t.id = id;
  t.name = name;
  auto parsed = domain::parse_role(role);
  if (!parsed) throw std::runtime_error("stored token role is unknown: " + role);
  t.role = *parsed;
  if (school_id_ind == soci::i_ok) t.school_id = school_id;
  t.inserted_at = sql::timestamp_of_micros(inserted_at);
  if (revoked_at_ind == soci::i_ok) t.revoked_at = sql::timestamp_of_micros(revoked_at);
  return t;
}

std::string text_of_days(const std::vector<int>& days) {
  std::string text;
  for (int day : days) {
    if (!text.empty()) text += ',';
    text += std::to_string(day);
  }
  return text;
}

std::vector<int> days_of_text(const std::string& text) {
  std::vector<int> days;
  std::size_t start = 0;
  while (start < text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    days.push_back(std::stoi(text.substr(start, comma - start)));
    start = comma + 1;
  }
  return days;
}

}  // namespace attendance::storage::rows
