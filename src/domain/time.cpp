#include "domain/time.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace attendance::domain {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `count` ASCII digits at `pos`; empty when any is not a digit or text is short.
std::optional<int> read_digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// "YYYY-MM-DD" at the start of text, as a real calendar date.
std::optional<date::year_month_day> read_date(std::string_view text) {
  const auto year = read_digits(text, 0, 4);
  const auto month = read_digits(text, 5, 2);
  const auto day = read_digits(text, 8, 2);
  if (!year || !month || !day || text[4] != '-' || text[7] != '-') return std::nullopt;
  const date::year_month_day ymd{date::year{*year}, date::month(static_cast<unsigned>(*month)),
                                 date::day(static_cast<unsigned>(*day))};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::string two_digits_time(long long h, long long m, long long s) {
  std::array<char, 64> buffer{};  // room for any long long, so nothing is ever cut
  std::snprintf(buffer.data(), buffer.size(), "%02lld:%02lld:%02lld", h, m, s);
  return buffer.data();
}

// Positive lookups only: names come from clients, so caching misses would let them grow the map.
class ZoneCache {
 public:
  const date::time_zone* find(std::string_view name) {
    {
      std::lock_guard lock(mutex_);
      if (const auto it = zones_.find(std::string(name)); it != zones_.end()) return it->second;
    }
    const date::time_zone* zone = nullptr;
    try {
      zone = date::locate_zone(name);
    } catch (const std::runtime_error&) {
      return nullptr;  // date/tz reports an unknown name by throwing
    }
    std::lock_guard lock(mutex_);
    zones_.emplace(std::string(name), zone);
    return zone;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, const date::time_zone*> zones_;
};

// The instants whose UTC form has a four-digit year: 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999Z.
constexpr Timestamp kFirstInstant{date::sys_days{date::year{0} / 1 / 1}};
constexpr Timestamp kLastInstant{date::sys_days{date::year{10000} / 1 / 1} - microseconds{1}};

}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  // Fixed part: "YYYY-MM-DDTHH:MM:SS" (19 characters).
  if (text.size() < 20) return std::nullopt;
  const auto ymd = read_date(text);
  if (!ymd) return std::nullopt;
  if (text[10] != 'T' && text[10] != 't') return std::nullopt;
  const auto hour = read_digits(text, 11, 2);
  const auto minute = read_digits(text, 14, 2);
  const auto second = read_digits(text, 17, 2);
  if (!hour || !minute || !second || text[13] != ':' || text[16] != ':') return std::nullopt;
  // Leap seconds (60) are refused: sys_time cannot hold them and no client needs them.
  if (*hour > 23 || *minute > 59 || *second > 59) return std::nullopt;

  std::size_t pos = 19;
  long long fraction_us = 0;
  if (text[pos] == '.') {
    ++pos;
    // RFC 3339 allows any number of digits, and clients send up to 9 (.NET 7, Java's Instant 9).
    // Instants are kept in microseconds: digits past the sixth are cut, never rounded, so an
    // instant never moves into the next second (or day).
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++digits <= 6) fraction_us = fraction_us * 10 + (text[pos] - '0');
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t i = digits; i < 6; ++i) fraction_us *= 10;
  }

  if (pos >= text.size()) return std::nullopt;  // the offset is mandatory
  minutes offset{0};
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const auto off_hour = read_digits(text, pos + 1, 2);
    const auto off_minute = read_digits(text, pos + 4, 2);
    if (!off_hour || !off_minute || text[pos + 3] != ':') return std::nullopt;
    if (*off_hour > 23 || *off_minute > 59) return std::nullopt;
    offset = hours(*off_hour) + minutes(*off_minute);
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  const auto local = date::sys_days(*ymd) + hours(*hour) + minutes(*minute) + seconds(*second) +
                     microseconds(fraction_us);
  const Timestamp instant{local - offset};
  // An offset can carry year 0000 or 9999 across the edge; such an instant has no RFC 3339 form
  // in UTC, so format_timestamp could not write it back (found by fuzz/timestamp.cpp).
  if (instant < kFirstInstant || instant > kLastInstant) return std::nullopt;
  return instant;
}

namespace {
// Writes value as exactly `width` decimal digits, zero-padded (0 <= value < 10^width).
char* put_digits(char* out, long long value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// "YYYY-MM-DD" of a day. The last day written is kept per thread: the rows of a page are mostly
// of a few days, and the calendar conversion was a third of writing a timestamp.
char* put_day(char* out, date::sys_days day) {
  struct Written {
    date::sys_days day;
    std::array<char, 24> chars{};
    std::size_t size = 0;
  };
  thread_local std::optional<Written> last;
  if (!last || last->day != day) {
    Written written{day};
    const date::year_month_day ymd{day};
    const int year = static_cast<int>(ymd.year());
    char* end = written.chars.data();
    if (year >= 0 && year <= 9999) {
      end = put_digits(end, year, 4);
    } else {
      end += std::snprintf(end, 12, "%04d", year);
    }
    *end++ = '-';
    end = put_digits(end, static_cast<unsigned>(ymd.month()), 2);
    *end++ = '-';
    end = put_digits(end, static_cast<unsigned>(ymd.day()), 2);
    written.size = static_cast<std::size_t>(end - written.chars.data());
    last = written;
  }
  return std::copy_n(last->chars.data(), last->size, out);
}
}  // namespace

// Written digit by digit: every response renders a few timestamps per attendance, and
// snprintf's format parsing was a visible part of rendering a page.
TimestampText timestamp_text(Timestamp instant) {
  const auto day = date::floor<date::days>(instant);
  const date::hh_mm_ss<microseconds> time{instant - day};
  const auto micros = time.subseconds().count();
  TimestampText text;
  char* out = put_day(text.chars.data(), day);
  *out++ = 'T';
  out = put_digits(out, time.hours().count(), 2);
  *out++ = ':';
  out = put_digits(out, time.minutes().count(), 2);
  *out++ = ':';
  out = put_digits(out, time.seconds().count(), 2);
  if (micros != 0 && micros % 1000 == 0) {
    *out++ = '.';
    out = put_digits(out, micros / 1000, 3);
  } else if (micros != 0) {
    *out++ = '.';
    out = put_digits(out, micros, 6);
  }
  *out++ = 'Z';
  text.size = static_cast<std::size_t>(out - text.chars.data());
  return text;
}

std::string format_timestamp(Timestamp instant) { return std::string(timestamp_text(instant).view()); }

std::string format_utc_time_of_day(Timestamp instant) {
  const auto day = date::floor<date::days>(instant);
  const date::hh_mm_ss<seconds> time{date::floor<seconds>(instant - day)};
  return two_digits_time(time.hours().count(), time.minutes().count(), time.seconds().count()) +
         "Z";
}

std::optional<LocalDate> parse_date(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  const auto ymd = read_date(text);
  // A date's week or month must have four-digit years too: 0000-01-01's week begins in year -1,
  // 9999-12-31's ends in 10000. No school day is near either end.
  if (!ymd || ymd->year() < date::year{kFirstDateYear} || ymd->year() > date::year{kLastDateYear}) return std::nullopt;
  return LocalDate{*ymd};
}

std::string format_date(LocalDate day) {
  const date::year_month_day ymd{day};
  std::array<char, 24> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer.data();
}

const date::time_zone* find_time_zone(std::string_view name) {
  static ZoneCache cache;
  return cache.find(name);
}

LocalDate local_date_of(const date::time_zone* zone, Timestamp instant) {
  if (zone == nullptr) return LocalDate{date::floor<date::days>(instant).time_since_epoch()};
  return date::floor<date::days>(zone->to_local(instant));
}

DayBounds local_day_bounds(const date::time_zone* zone, LocalDate day) {
  if (zone == nullptr) {
    const date::sys_days begin{day.time_since_epoch()};
    return {Timestamp{begin}, Timestamp{begin + date::days{1}}};
  }
  // choose::earliest: a midnight skipped by a DST jump maps to the transition instant (the first
  // instant of the day), and an ambiguous one to its first occurrence.
  const auto begin = zone->to_sys(day, date::choose::earliest);
  const auto end = zone->to_sys(day + date::days{1}, date::choose::earliest);
  return {Timestamp{begin}, Timestamp{end}};
}

int iso_weekday(LocalDate day) { return static_cast<int>(date::weekday{day}.iso_encoding()); }

Timestamp now() { return date::floor<microseconds>(std::chrono::system_clock::now()); }

}  // namespace attendance::domain
