#pragma once
// Expected failures as values. Every kind maps to one HTTP status in one place
// (http/errors.cpp); infrastructure failures are exceptions, not Errors.

#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace attendance::domain {

enum class ErrorKind {
  bad_request,             // 400
  unauthorized,            // 401
  forbidden,               // 403
  not_found,               // 404
  method_not_allowed,      // 405
  conflict,                // 409
  payload_too_large,       // 413
  unsupported_media_type,  // 415
  unprocessable,           // 422
  too_many_requests,       // 429
  unavailable,             // 503
  timeout,                 // 504
};

// Field name -> messages, ordered so responses are deterministic.
using FieldErrors = std::map<std::string, std::vector<std::string>>;

struct Error {
  ErrorKind kind = ErrorKind::bad_request;
  FieldErrors fields;  // 422: the invalid fields; 409: the field at fault and the conflicting record
  std::string debug;   // shown only in dev mode
  int retry_after_seconds = 0;  // 429 / 503: sent as Retry-After when positive

  static Error of(ErrorKind kind) { return Error{kind, {}, {}}; }
  static Error not_found() { return of(ErrorKind::not_found); }
  static Error invalid(std::string field, std::string message) {
    return Error{ErrorKind::unprocessable, {{std::move(field), {std::move(message)}}}, {}};
  }
  static Error invalid(FieldErrors fields) {
    return Error{ErrorKind::unprocessable, std::move(fields), {}};
  }
  static Error conflict(std::string field, std::string message) {
    return Error{ErrorKind::conflict, {{std::move(field), {std::move(message)}}}, {}};
  }
};

// A value or the Error that prevented it.
template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design, like std::expected
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// For operations that succeed with nothing to return.
struct Done {};

}  // namespace attendance::domain
