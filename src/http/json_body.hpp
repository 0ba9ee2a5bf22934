#pragma once
// Reading request bodies the Phoenix way: `{"school": {...}}` or a bare `{...}`, unknown fields
// ignored, each known field checked for its JSON type with a clear 422 message.
//
//   auto body = read_resource(req, "school");          // 415 / 400 as an Error
//   FieldReader fields(body.value());
//   auto name = fields.string("name");                  // "is invalid" when not a string
//   if (!fields.errors().empty()) return Error::invalid(fields.errors());

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/result.hpp"
#include "http/request.hpp"

namespace attendance::http {

// The request body as a JSON object: 415 when the content type is not JSON, 400 when the body is
// not a JSON object. An empty body reads as {}.
domain::Result<boost::json::object> read_object(const RawRequest& raw);
inline domain::Result<boost::json::object> read_object(const Request& req) { return read_object(req.raw); }

// The resource object of the request body: body[resource] when that is an object, else the body
// itself (read as by read_object). A body[resource] that is not an object is a 422 on resource
// (read as a bare body, an update would silently change nothing).
domain::Result<boost::json::object> read_resource(const RawRequest& raw, std::string_view resource);
inline domain::Result<boost::json::object> read_resource(const Request& req, std::string_view resource) {
  return read_resource(req.raw, resource);
}

// A field that may be absent, null, or a value (PATCH distinguishes all three).
template <class T>
struct Nullable {
  bool present = false;      // the key was in the body
  std::optional<T> value;    // empty when the body said null
};

// How FieldReader::string reads a text. A text with a control character (C0, DEL, C1, the line
// and paragraph separators, the bidirectional embeddings, overrides and isolates: see
// domain/text.hpp) is refused, "must not contain control characters": such characters have no
// place in a name, an id or a reason, and only serve to forge log or CSV lines, or to show a name
// as other text (and PostgreSQL text can't hold a NUL).
enum class Text {
  as_sent,   // names, reasons, dates, ...: kept as sent (as Ecto does; "can't be blank" is the model's)
  trimmed,   // identifiers a device types (a card reader's trailing CR/LF or space): leading and
             // trailing whitespace and invisible characters dropped first, so " CARD-9\r\n" and
             // "CARD-9" are one card; an invisible character inside is refused
             // (domain::trim_identifier, domain::has_invisible_character)
  base64,    // base64 that may be wrapped in lines: tab, CR and LF allowed (not U+2028 / U+2029)
};

class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& object) : object_(object) {}

  bool has(std::string_view key) const;

  // Each returns empty when the key is absent or null; a value of the wrong type adds
  // "is invalid" to errors(). string() reads the text as `text` says.
  std::optional<std::string> string(std::string_view key, Text text = Text::as_sent);
  std::optional<double> number(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key);
  std::optional<std::vector<int>> integers(std::string_view key);
  Nullable<std::string> nullable_string(std::string_view key, Text text = Text::as_sent);

  // Adds "can't be blank" when the key is absent or null (a field a create needs).
  void require(std::string_view key);
  // Adds "can't be blank" when a key is present with null: a field the record always has (a
  // name, a time zone, ...) can't be cleared, as Ecto's validate_required says of nil. Absent
  // keys are fine (an update changes only the fields given; a create takes the default).
  void refuse_null(std::initializer_list<std::string_view> keys);

  void add_error(std::string_view key, std::string message);
  domain::FieldErrors& errors() { return errors_; }

 private:
  const boost::json::value* find(std::string_view key) const;
  void add_blank(std::string_view key);
  const boost::json::object& object_;
  domain::FieldErrors errors_;
};

// Merges the model's errors (`more`) into the reader's (`into`). A field the reader already
// refused (missing, null, of the wrong type, with a control character) keeps only the reader's
// message: the model was checked with a default in its place, so its message ("can't be
// blank") would describe a value the client never sent.
void merge_errors(domain::FieldErrors& into, const domain::FieldErrors& more);

}  // namespace attendance::http
