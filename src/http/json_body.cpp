#include "http/json_body.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>

#include "domain/text.hpp"

namespace attendance::http {

namespace json = boost::json;

namespace {

bool is_json_content_type(std::string_view content_type) {
  auto semicolon = content_type.find(';');
  auto media = content_type.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lowered;
  for (char c : media) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lowered == "application/json" || (lowered.starts_with("application/") && lowered.ends_with("+json"));
}

}  // namespace

domain::Result<json::object> read_object(const RawRequest& raw) {
  const auto& body = raw.body();
  if (body.empty()) return json::object{};
  if (!is_json_content_type(raw[beast_http::field::content_type])) {
    return domain::Error::of(domain::ErrorKind::unsupported_media_type);
  }
  boost::system::error_code error;
  json::parse_options options;
  options.max_depth = 32;
  json::value parsed = json::parse(body, error, {}, options);
  if (error || !parsed.is_object()) {
    auto failure = domain::Error::of(domain::ErrorKind::bad_request);
    failure.debug = error ? error.message() : "the body is not a JSON object";
    return failure;
  }
  return std::move(parsed.as_object());
}

domain::Result<json::object> read_resource(const RawRequest& raw, std::string_view resource) {
  auto object = read_object(raw);
  if (!object) return object;
  if (auto* wrapped = object->if_contains(resource)) {
    if (!wrapped->is_object()) return domain::Error::invalid(std::string(resource), "must be an object");
    return std::move(wrapped->as_object());
  }
  return object;
}

const json::value* FieldReader::find(std::string_view key) const {
  const auto* value = object_.if_contains(key);
  if (!value || value->is_null()) return nullptr;
  return value;
}

bool FieldReader::has(std::string_view key) const { return object_.contains(key); }

void FieldReader::add_error(std::string_view key, std::string message) {
  errors_[std::string(key)].push_back(std::move(message));
}

// One "can't be blank" per field, whether require() or refuse_null() found it.
void FieldReader::add_blank(std::string_view key) {
  constexpr std::string_view kBlank = "can't be blank";
  if (auto it = errors_.find(std::string(key)); it != errors_.end() &&
                                                std::find(it->second.begin(), it->second.end(), kBlank) != it->second.end()) {
    return;
  }
  add_error(key, std::string(kBlank));
}

void FieldReader::require(std::string_view key) {
  if (!find(key)) add_blank(key);
}

void FieldReader::refuse_null(std::initializer_list<std::string_view> keys) {
  for (auto key : keys) {
    if (has(key) && !find(key)) add_blank(key);
  }
}

std::optional<std::string> FieldReader::string(std::string_view key, Text text) {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    add_error(key, "is invalid");
    return std::nullopt;
  }
  std::string_view read = value->as_string();
  if (text == Text::trimmed) read = domain::trim_identifier(read);
  const auto line_breaks = text == Text::base64 ? domain::LineBreaks::allowed : domain::LineBreaks::refused;
  if (domain::has_control_character(read, line_breaks)) {
    add_error(key, "must not contain control characters");
    return std::nullopt;
  }
  if (text == Text::trimmed && domain::has_invisible_character(read)) {
    add_error(key, "must not contain invisible characters");
    return std::nullopt;
  }
  return std::string(read);
}

std::optional<double> FieldReader::number(std::string_view key) {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  if (value->is_double() && std::isfinite(value->as_double())) return value->as_double();
  if (value->is_int64()) return static_cast<double>(value->as_int64());
  if (value->is_uint64()) return static_cast<double>(value->as_uint64());
  add_error(key, "is invalid");
  return std::nullopt;
}

std::optional<std::int64_t> FieldReader::integer(std::string_view key) {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return static_cast<std::int64_t>(value->as_uint64());
  }
  // Kiosk clients written in JavaScript may send 12.0; accept whole doubles only.
  if (value->is_double()) {
    double d = value->as_double();
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.0e15) return static_cast<std::int64_t>(d);
  }
  add_error(key, "is invalid");
  return std::nullopt;
}

std::optional<std::vector<int>> FieldReader::integers(std::string_view key) {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_array()) {
    add_error(key, "is invalid");
    return std::nullopt;
  }
  std::vector<int> result;
  for (const auto& item : value->as_array()) {
    if (!item.is_int64() || item.as_int64() < std::numeric_limits<int>::min() ||
        item.as_int64() > std::numeric_limits<int>::max()) {
      add_error(key, "is invalid");
      return std::nullopt;
    }
    result.push_back(static_cast<int>(item.as_int64()));
  }
  return result;
}

Nullable<std::string> FieldReader::nullable_string(std::string_view key, Text text) {
  Nullable<std::string> result;
  result.present = has(key);
  result.value = string(key, text);
  return result;
}

void merge_errors(domain::FieldErrors& into, const domain::FieldErrors& more) {
  for (const auto& [field, messages] : more) {
    if (into.contains(field)) continue;
    into[field] = messages;
  }
}

}  // namespace attendance::http
