#include "http/http_date.hpp"

#include <limits>

#include <date/date.h>

namespace attendance::http {

namespace {

constexpr std::string_view kDays = "SunMonTueWedThuFriSat";
constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";

// Writes `value` as `width` decimal digits at `out`.
char* put_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

char* put_text(char* out, std::string_view text) {
  for (char c : text) *out++ = c;
  return out;
}

}  // namespace

HttpDate imf_fixdate(std::chrono::system_clock::time_point instant) {
  const auto second = date::floor<std::chrono::seconds>(instant);
  const auto day = date::floor<date::days>(second);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss time{second - day};
  HttpDate text;
  char* out = text.chars.data();
  out = put_text(out, kDays.substr(date::weekday{day}.c_encoding() * 3, 3));
  out = put_text(out, ", ");
  out = put_digits(out, static_cast<unsigned>(ymd.day()), 2);
  *out++ = ' ';
  out = put_text(out, kMonths.substr((static_cast<unsigned>(ymd.month()) - 1) * 3, 3));
  *out++ = ' ';
  out = put_digits(out, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
  *out++ = ' ';
  out = put_digits(out, static_cast<unsigned>(time.hours().count()), 2);
  *out++ = ':';
  out = put_digits(out, static_cast<unsigned>(time.minutes().count()), 2);
  *out++ = ':';
  out = put_digits(out, static_cast<unsigned>(time.seconds().count()), 2);
  put_text(out, " GMT");
  return text;
}

std::string_view current_http_date() {
  thread_local auto formatted_second = std::numeric_limits<std::chrono::seconds::rep>::min();
  thread_local HttpDate text;
  const auto now = std::chrono::system_clock::now();
  const auto second = date::floor<std::chrono::seconds>(now).time_since_epoch().count();
  if (second != formatted_second) {
    text = imf_fixdate(now);
    formatted_second = second;
  }
  return text.view();
}

}  // namespace attendance::http
