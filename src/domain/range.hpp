#pragma once
// The order rule of every `from`/`to` a client gives (list filters, aggregate series and
// windows): both ends are inclusive and either may be left out, so from == to is a valid range of
// one instant or one day, and only a `to` before `from` is refused, on `to`. One rule and one
// message for instants and dates alike.
//
//   domain::FieldErrors errors;
//   if (check_range_order(from, to, errors)) { ... both ends in order, or one missing ... }

#include <optional>

#include "domain/result.hpp"

namespace attendance::domain {

inline constexpr const char* kToBeforeFrom = "must not be before from";

// True when the range is in order or open at an end; else adds kToBeforeFrom on "to".
template <class T>
bool check_range_order(const std::optional<T>& from, const std::optional<T>& to, FieldErrors& errors) {
  if (!from || !to || !(*to < *from)) return true;
  errors["to"].emplace_back(kToBeforeFrom);
  return false;
}

}  // namespace attendance::domain
