#pragma once
// Comparing JSON that the service wrote with what it was written from, after reading it back with
// Boost.JSON. Boost.JSON 1.81 reads decimal numbers to within a few units in the last place (its
// exact mode came in 1.83), while the service writes each double in its shortest exact form, so
// doubles are compared up to that reading error; everything else exactly.

#include <boost/json/value.hpp>

#include <cmath>

namespace attendance::fuzz {

// NaN matches NaN: Boost.JSON 1.81 reads "0e400" as NaN (the service refuses it as a number).
inline bool same_number(double written, double read) {
  if (std::isnan(written) || std::isnan(read)) return std::isnan(written) && std::isnan(read);
  return written == read || std::fabs(written - read) <= 1e-15 * std::fabs(written);
}

inline bool same_json(const boost::json::value& written, const boost::json::value& read) {
  if (written.is_double() && read.is_double()) return same_number(written.get_double(), read.get_double());
  if (written.is_array() && read.is_array()) {
    const auto& a = written.get_array();
    const auto& b = read.get_array();
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_json(a[i], b[i])) return false;
    }
    return true;
  }
  if (written.is_object() && read.is_object()) {
    const auto& a = written.get_object();
    const auto& b = read.get_object();
    if (a.size() != b.size()) return false;
    for (const auto& member : a) {
      const auto* other = b.if_contains(member.key());
      if (!other || !same_json(member.value(), *other)) return false;
    }
    return true;
  }
  return written == read;
}

}  // namespace attendance::fuzz
