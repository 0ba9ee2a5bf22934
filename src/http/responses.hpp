#pragma once
// Building responses: the JSON envelopes of the API ({"data": ...}, {"errors": ...}) and the
// one mapping from domain::ErrorKind to HTTP status.

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "domain/result.hpp"
#include "http/request.hpp"

#include "http/json_text.hpp"

namespace attendance::http {

Status status_of(domain::ErrorKind kind);

// A response carrying the request's HTTP version, keep-alive, request id, the security headers
// and the Date. Every response the server writes is made here.
Response make_response(const Request& req, Status status);

Response json_response(const Request& req, Status status, const boost::json::value& body);
// 200 (or status) with {"data": data}.
Response data_response(const Request& req, boost::json::value data, Status status = Status::ok);
Response data_response(const Request& req, const JsonText& data, Status status = Status::ok);
// 201 with {"data": data} and a location header.
Response created_response(const Request& req, boost::json::value data, std::string_view location);
Response created_response(const Request& req, const JsonText& data, std::string_view location);
// The body of a list answer written in place, row by row, so a page's text is written once and
// never copied (a page of 100 attendances is 26 KB):
//   ListBody body(100 * 256);
//   for (const auto& event : events) append_json(body.next_row(), event, threshold);
//   return list_response(req, std::move(body), next_after);
class ListBody {
 public:
  explicit ListBody(std::size_t expected_size = 0);
  // The text to append the next row's JSON to, after its separator.
  std::string& next_row();
  // The whole body, {"data": [...], "meta": {"next_after": id or null}}; the ListBody is spent.
  std::string finish(std::optional<domain::Id> next_after);

 private:
  std::string text_;
  bool empty_ = true;
};

// 200 with {"data": [...], "meta": {"next_after": id or null}}.
Response list_response(const Request& req, boost::json::array data, std::optional<domain::Id> next_after);
Response list_response(const Request& req, ListBody body, std::optional<domain::Id> next_after);
Response no_content(const Request& req);

// The "errors" object of an error: field errors for 422, {"detail": reason} (+ fields for 409)
// otherwise.
boost::json::object errors_of(const domain::Error& error);

// {"errors": {...}}: field errors for 422, {"detail": reason} (+ fields for 409) otherwise;
// "debug" only in dev mode.
Response error_response(const Request& req, const domain::Error& error);
Response error_response(const Request& req, domain::ErrorKind kind);

// 500 with nothing internal; the cause is logged under the request id (and shown in dev mode).
Response internal_error_response(const Request& req, std::string_view cause);

}  // namespace attendance::http
