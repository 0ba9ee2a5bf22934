#pragma once
// Reading request bodies the Phoenix way: `{"school": {...}}` or a bare `{...}`, unknown fields
// ignored, each known field checked for its JSON type with a clear 422 message.
//
//   auto body = read_resource(req, "school");          // 415 / 400 as an Error
//   FieldReader fields(body.value());
//   auto name = fields.string("name");                  // "is invalid" when not a string
//   if (!fields.errors().empty()) return Error::invalid(fields.errors());

#include <cstdint>
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

class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& object) : object_(object) {}

  bool has(std::string_view key) const;

  // Each returns empty when the key is absent or null; a value of the wrong type adds
  // "is invalid" to errors(). string() also refuses control characters other than tab, CR and LF.
  std::optional<std::string> string(std::string_view key);
  std::optional<double> number(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key);
  std::optional<std::vector<int>> integers(std::string_view key);
  Nullable<std::string> nullable_string(std::string_view key);

  // Adds "can't be blank" when the key is absent or null.
  void require(std::string_view key);

  void add_error(std::string_view key, std::string message);
  domain::FieldErrors& errors() { return errors_; }

 private:
  const boost::json::value* find(std::string_view key) const;
  const boost::json::object& object_;
  domain::FieldErrors errors_;
};

// Merges the model's errors (`more`) into the reader's (`into`). A field the reader already
// refused (missing, of the wrong type, with a control character) keeps only the reader's
// message: the model was checked with a default in its place, so its message ("can't be
// blank") would describe a value the client never sent.
void merge_errors(domain::FieldErrors& into, const domain::FieldErrors& more);

}  // namespace attendance::http
