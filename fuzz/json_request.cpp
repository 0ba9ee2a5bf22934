// JSON request decoding and validation: the body of a write request as the handlers read it
// (read_resource in src/http/json_body.*, FieldReader, the decoders of
// src/http/handlers/decoders.hpp and the rules of src/domain/validation.*), then the record
// rendered back as the response would show it (src/http/render.*, src/http/json_text.*).
//
// The first byte picks the content type (bits 0-2), the resource (bits 3-5) and whether an
// Idempotency-Key header came along (bit 6); the rest is the body. Properties:
// - an empty body reads as {}; a non-empty one with a non-JSON content type is a 415; otherwise
//   either a 400, a 422 on a resource member that is not an object, or exactly the body's object
//   (or its resource object);
// - FieldReader returns a field only in its JSON type, never a non-finite number nor a string
//   with a control character (C0, DEL, C1, U+2028/U+2029, bidi embeddings, overrides and
//   isolates), and its only complaints about a present field are "is invalid" and "must not
//   contain control characters";
// - a 422 names only the resource's own fields;
// - a record that passes validation keeps the validated ranges (temperature, school settings,
//   a client_id not blank and its length, a known time zone, a sniffed image, an external_id
//   trimmed and free of invisible characters, the Idempotency-Key as client_id) and renders to
//   JSON text that parses back to the same name, time zone, date and instant.

#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <string>

#include "check.hpp"
#include "json_compare.hpp"
#include "domain/image.hpp"
#include "domain/recording.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "http/handlers/decoders.hpp"
#include "http/json_body.hpp"
#include "http/json_text.hpp"
#include "http/render.hpp"

namespace {

namespace json = boost::json;
namespace domain = attendance::domain;
namespace http = attendance::http;
using attendance::fuzz::check;
using attendance::fuzz::same_number;
using http::FieldReader;

struct ContentType {
  const char* header;  // empty: no content-type header
  bool is_json;
};
constexpr std::array<ContentType, 8> kContentTypes = {{{"application/json", true},
                                                       {"application/json; charset=utf-8", true},
                                                       {"Application/JSON ;q=1", true},
                                                       {"application/vnd.api+json", true},
                                                       {"text/plain", false},
                                                       {"", false},
                                                       {"application/jsonx", false},
                                                       {"application/x-www-form-urlencoded", false}}};
constexpr std::array<const char*, 5> kResources = {"school", "user", "attendance", "closure", "attendances"};

void check_only_fields(const domain::FieldErrors& errors, std::set<std::string_view> known) {
  for (const auto& [field, messages] : errors) {
    check(known.contains(field), "a 422 names a field the resource does not have");
    check(!messages.empty(), "a 422 field has no message");
  }
}

// JSON text as the response carries it, parsed back.
json::object rendered(const json::object& record) {
  boost::system::error_code error;
  auto value = json::parse(http::to_json_text(record), error);
  check(!error && value.is_object(), "a rendered record is not a JSON object");
  return value.as_object();
}

// What FieldReader::string refuses inside a text: a C0 control (tab, LF and CR too), DEL, a C1
// control (U+0080-U+009F: 0xC2 then 0x80-0x9F in UTF-8), a line or paragraph separator or a bidi
// embedding or override (U+2028-U+202E: 0xE2 0x80 then 0xA8-0xAE), or a bidi isolate
// (U+2066-U+2069: 0xE2 0x81 then 0xA6-0xA9).
bool holds_control(std::string_view text) {
  const auto at = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0U; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = at(i);
    if (byte < 0x20 || byte == 0x7f) return true;
    if (byte == 0xc2 && (at(i + 1) & 0xe0) == 0x80) return true;
    if (byte == 0xe2 && at(i + 1) == 0x80 && at(i + 2) >= 0xa8 && at(i + 2) <= 0xae) return true;
    if (byte == 0xe2 && at(i + 1) == 0x81 && at(i + 2) >= 0xa6 && at(i + 2) <= 0xa9) return true;
  }
  return false;
}

void check_field_reader(const json::object& object) {
  FieldReader fields(object);
  for (const auto& [key, value] : object) {
    const bool readable_string = value.is_string() && !holds_control(value.as_string());
    check(fields.string(key).has_value() == readable_string,
          "string() disagrees with the JSON type or lets a control character through");
    if (const auto number = fields.number(key)) check(std::isfinite(*number), "number() returned a non-finite value");
    if (const auto integer = fields.integer(key)) {
      check(value.is_number() && value.to_number<double>() == static_cast<double>(*integer),
            "integer() returned another number");
    }
    (void)fields.integers(key);
  }
  for (const auto& [field, messages] : fields.errors()) {
    for (const auto& message : messages) {
      check(message == "is invalid" || message == "must not contain control characters",
            "FieldReader complained otherwise");
    }
  }
}

void fuzz_school(const json::object& object) {
  FieldReader fields(object);
  fields.require("name");
  domain::School school;
  http::apply_school_fields(fields, school);
  http::merge_errors(fields.errors(), domain::validate_school(school));
  check_only_fields(fields.errors(), {"name", "timezone", "school_days", "min_daily_hours", "min_period_ratio",
                                      "fever_threshold"});
  if (!fields.errors().empty()) return;
  check(domain::find_time_zone(school.timezone) != nullptr, "a valid school has an unknown time zone");
  check(!school.school_days.empty() && std::all_of(school.school_days.begin(), school.school_days.end(),
                                                   [](int d) { return d >= 1 && d <= 7; }),
        "a valid school has a day that is not an ISO weekday");
  check(school.min_daily_hours > 0 && school.min_daily_hours <= 24, "a valid school's min_daily_hours is out of range");
  check(school.min_period_ratio >= 0 && school.min_period_ratio <= 1, "a valid school's ratio is out of range");
  check(school.fever_threshold >= domain::kMinTemperature && school.fever_threshold <= domain::kMaxTemperature,
        "a valid school's fever threshold is out of range");
  const auto back = rendered(http::to_json(school));
  check(back.at("name") == json::value(school.name) && back.at("timezone") == json::value(school.timezone),
        "a school renders another name or time zone");
  check(same_number(school.min_daily_hours, back.at("min_daily_hours").to_number<double>()) &&
            same_number(school.fever_threshold, back.at("fever_threshold").to_number<double>()),
        "a school renders other numbers");
}

void fuzz_user(const json::object& object) {
  FieldReader fields(object);
  fields.require("name");
  const auto read = http::read_user_fields(fields);
  domain::User user;
  if (read.name) user.name = *read.name;
  if (read.external_id.present) user.external_id = read.external_id.value;
  if (read.enrolled_on) user.enrolled_on = *read.enrolled_on;
  http::merge_errors(fields.errors(), domain::validate_user(user));
  check_only_fields(fields.errors(), {"name", "external_id", "enrolled_on", "school_id"});
  if (!fields.errors().empty()) return;
  check(!user.external_id || domain::trim_identifier(*user.external_id) == *user.external_id,
        "an accepted external_id starts or ends with whitespace or an invisible character");
  check(!user.external_id || !domain::has_invisible_character(*user.external_id),
        "an accepted external_id holds an invisible character");
  const auto back = rendered(http::to_json(user));
  check(back.at("name") == json::value(user.name), "a user renders another name");
  const auto& enrolled = back.at("enrolled_on");
  check(enrolled.is_string() && domain::parse_date(enrolled.as_string()) == user.enrolled_on,
        "a user's enrolled_on does not render as a date that parses back");
}

void fuzz_event(const json::object& object, const std::optional<std::string>& header_client_id) {
  auto event = http::parse_new_event(object, header_client_id);
  if (!event) {
    check(event.error().kind == domain::ErrorKind::unprocessable, "a refused event is not a 422");
    check(!event.error().fields.empty(), "a refused event names no field");
    check_only_fields(event.error().fields, {"user_id", "school_id", "type", "temperature", "timestamp",
                                             "client_id", "image"});
    return;
  }
  const auto& e = event.value();
  check(e.temperature >= domain::kMinTemperature && e.temperature <= domain::kMaxTemperature,
        "an accepted event's temperature is out of range");
  check(e.candidate.timestamp <= domain::now() + domain::kMaxClockSkew, "an accepted event is in the future");
  check(!e.client_id || !domain::is_blank(*e.client_id), "an accepted client_id is blank");
  check(!e.client_id || domain::count_chars(*e.client_id) <= 200, "an accepted client_id is too long");
  check(!header_client_id || e.client_id == header_client_id, "an accepted event's client_id is not its Idempotency-Key");
  check(!e.image || domain::sniff_image_type(e.image->bytes).has_value(), "an accepted image does not sniff");
  domain::Attendance row;
  row.user_id = e.user_id;
  row.timestamp = e.candidate.timestamp;
  row.type = e.candidate.type;
  row.temperature = e.temperature;
  row.client_id = e.client_id;
  const auto back = rendered(http::to_json(row, 38.0));
  std::string text;
  http::append_json(text, row, 38.0);
  check(text == http::to_json_text(http::to_json(row, 38.0)), "an event's JSON text differs from its JSON value");
  const auto& timestamp = back.at("timestamp");
  check(timestamp.is_string(), "an event renders no timestamp");
  const auto instant = domain::parse_timestamp(timestamp.as_string());
  check(instant.has_value(), "an accepted event renders a timestamp the API refuses");
  check(*instant == row.timestamp, "an accepted event renders another instant");
  check(same_number(row.temperature, back.at("temperature").to_number<double>()), "an event renders another temperature");
}

void fuzz_closure(const json::object& object) {
  FieldReader fields(object);
  domain::Closure closure;
  if (auto reason = fields.string("reason")) closure.reason = *reason;
  if (auto text = fields.string("date")) {
    if (auto date = domain::parse_date(*text)) closure.date = *date;
  }
  http::merge_errors(fields.errors(), domain::validate_closure(closure));
  check_only_fields(fields.errors(), {"reason", "date"});
  if (!fields.errors().empty()) return;
  const auto back = rendered(http::to_json(closure));
  check(back.at("reason") == json::value(closure.reason), "a closure renders another reason");
}

// As POST /api/attendances/batch decodes its items: each object on its own.
void fuzz_batch(const json::object& object) {
  const auto* list = object.if_contains("attendances");
  if (!list || !list->is_array()) return;
  for (const auto& item : list->as_array()) {
    if (item.is_object()) fuzz_event(item.as_object(), std::nullopt);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ContentType content_type = kContentTypes[data[0] & 7];
  const std::string_view resource = kResources[((data[0] >> 3) & 7) % kResources.size()];
  const bool idempotency_key = (data[0] & 0x40) != 0;
  const auto body = attendance::fuzz::as_text(data + 1, size - 1);

  http::RawRequest raw{http::Verb::post, "/api/fuzz", 11};
  if (*content_type.header) raw.set(boost::beast::http::field::content_type, content_type.header);
  raw.body() = std::string(body);
  // The batch endpoint reads the bare body; every other one its resource object.
  const bool batch = resource == "attendances";
  const auto object = batch ? http::read_object(raw) : http::read_resource(raw, resource);
  if (body.empty()) {
    check(object.ok() && object.value().empty(), "an empty body does not read as {}");
  } else if (!content_type.is_json) {
    check(!object && object.error().kind == domain::ErrorKind::unsupported_media_type,
          "a body that is not JSON by its content type is not a 415");
    return 0;
  }
  boost::system::error_code error;
  const auto parsed = body.empty() ? json::value(json::object{}) : json::parse(body, error);
  const auto* wrapped = !error && parsed.is_object() && !batch ? parsed.as_object().if_contains(resource) : nullptr;
  if (!object) {
    if (object.error().kind == domain::ErrorKind::unprocessable) {
      check(wrapped && !wrapped->is_object() && object.error().fields.contains(std::string(resource)),
            "a 422 from reading the body is not about a resource member that is not an object");
    } else {
      check(object.error().kind == domain::ErrorKind::bad_request, "a body that does not decode is not a 400");
    }
    return 0;
  }
  check(!error && parsed.is_object(), "a body that is not a JSON object was read");
  check(!wrapped || wrapped->is_object(), "a resource member that is not an object was read");
  const auto& expected = wrapped ? wrapped->as_object() : parsed.as_object();
  check(attendance::fuzz::same_json(expected, object.value()), "the object read is not the body's");

  check_field_reader(object.value());
  if (resource == "school") fuzz_school(object.value());
  else if (resource == "user") fuzz_user(object.value());
  else if (resource == "attendance") fuzz_event(object.value(), idempotency_key ? std::optional<std::string>("key-1") : std::nullopt);
  else if (resource == "closure") fuzz_closure(object.value());
  else fuzz_batch(object.value());
  return 0;
}
