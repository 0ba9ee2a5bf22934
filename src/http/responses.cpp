#include "http/responses.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "http/http_date.hpp"
#include "http/json_text.hpp"
#include "http/log_text.hpp"

namespace attendance::http {

namespace json = boost::json;
using domain::ErrorKind;

Status status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_request: return Status::bad_request;
    case ErrorKind::unauthorized: return Status::unauthorized;
    case ErrorKind::forbidden: return Status::forbidden;
    case ErrorKind::not_found: return Status::not_found;
    case ErrorKind::method_not_allowed: return Status::method_not_allowed;
    case ErrorKind::conflict: return Status::conflict;
    case ErrorKind::payload_too_large: return Status::payload_too_large;
    case ErrorKind::unsupported_media_type: return Status::unsupported_media_type;
    case ErrorKind::unprocessable: return Status::unprocessable_entity;
    case ErrorKind::too_many_requests: return Status::too_many_requests;
    case ErrorKind::unavailable: return Status::service_unavailable;
    case ErrorKind::timeout: return Status::gateway_timeout;
  }
  return Status::internal_server_error;
}

Response make_response(const Request& req, Status status) {
  Response res{status, req.raw.version()};
  res.keep_alive(req.raw.keep_alive());
  // Every response is made here (the dashboard's files, HEAD answers, the live stream's header and
  // the server's own refusals included), so every one carries the server's clock.
  res.set(beast_http::field::date, current_http_date());
  res.set("x-request-id", req.request_id);
  // An API answer is data, never a document: nothing in it may run or be framed, it sends no
  // referrer, and no cache keeps it (it holds students' names and photos). The dashboard's files
  // and the image route set the policy and caching they need over these.
  res.set("x-content-type-options", "nosniff");
  res.set("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
  res.set("x-frame-options", "DENY");
  res.set("referrer-policy", "no-referrer");
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

namespace {

Response json_text_response(const Request& req, Status status, std::string body) {
  Response res = make_response(req, status);
  res.set(beast_http::field::content_type, "application/json; charset=utf-8");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace

Response json_response(const Request& req, Status status, const json::value& body) {
  return json_text_response(req, status, to_json_text(body));
}

// {"data": ...} around what write(body) appends.
template <class Write>
std::string data_body(std::size_t expected_size, Write write) {
  std::string body;
  body.reserve(expected_size + 10);
  body += "{\"data\":";
  write(body);
  body += '}';
  return body;
}

Response data_response(const Request& req, json::value data, Status status) {
  return json_text_response(req, status, data_body(0, [&data](std::string& body) { append_json(body, data); }));
}

Response data_response(const Request& req, const JsonText& data, Status status) {
  return json_text_response(req, status,
                            data_body(data.text.size(), [&data](std::string& body) { body += data.text; }));
}

Response created_response(const Request& req, json::value data, std::string_view location) {
  Response res = data_response(req, std::move(data), Status::created);
  res.set(beast_http::field::location, location);
  return res;
}

Response created_response(const Request& req, const JsonText& data, std::string_view location) {
  Response res = data_response(req, data, Status::created);
  res.set(beast_http::field::location, location);
  return res;
}

ListBody::ListBody(std::size_t expected_size) {
  text_.reserve(expected_size + 48);
  text_ = "{\"data\":[";
}

std::string& ListBody::next_row() {
  if (!empty_) text_ += ',';
  empty_ = false;
  return text_;
}

std::string ListBody::finish(std::optional<domain::Id> next_after) {
  text_ += "],\"meta\":{\"next_after\":";
  if (next_after) append_json(text_, std::int64_t{*next_after});
  else append_json_null(text_);
  text_ += "}}";
  return std::move(text_);
}

Response list_response(const Request& req, json::array data, std::optional<domain::Id> next_after) {
  ListBody body;
  for (const auto& row : data) append_json(body.next_row(), row);
  return list_response(req, std::move(body), next_after);
}

Response list_response(const Request& req, ListBody body, std::optional<domain::Id> next_after) {
  return json_text_response(req, Status::ok, body.finish(next_after));
}

Response no_content(const Request& req) {
  Response res = make_response(req, Status::no_content);
  res.prepare_payload();
  return res;
}

json::object errors_of(const domain::Error& error) {
  json::object errors;
  if (error.kind != ErrorKind::unprocessable || error.fields.empty()) {
    errors["detail"] = beast_http::obsolete_reason(status_of(error.kind));
  }
  for (const auto& [field, messages] : error.fields) {
    json::array list;
    for (const auto& message : messages) list.emplace_back(message);
    errors[field] = std::move(list);
  }
  return errors;
}

Response error_response(const Request& req, const domain::Error& error) {
  Status status = status_of(error.kind);
  json::object body;
  body["errors"] = errors_of(error);
  if (req.app.dev_mode() && !error.debug.empty()) body["debug"] = error.debug;
  Response res = json_response(req, status, body);
  if (error.retry_after_seconds > 0) {
    res.set(beast_http::field::retry_after, std::to_string(error.retry_after_seconds));
  }
  if (status == Status::unauthorized) res.set(beast_http::field::www_authenticate, "Bearer");
  return res;
}

Response error_response(const Request& req, ErrorKind kind) {
  return error_response(req, domain::Error::of(kind));
}

Response internal_error_response(const Request& req, std::string_view cause) {
  spdlog::error("request {} failed: {}", req.request_id, loggable_failure(cause));
  json::object errors;
  errors["detail"] = "Internal Server Error";
  json::object body;
  body["errors"] = std::move(errors);
  if (req.app.dev_mode()) body["debug"] = cause;
  return json_response(req, Status::internal_server_error, body);
}

}  // namespace attendance::http
