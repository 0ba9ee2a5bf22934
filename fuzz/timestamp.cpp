// Timestamp and date parsing (src/domain/time.*): the text clients send as `timestamp`, `from`,
// `to`, `enrolled_on` and closure dates.
//
// Properties, on any input:
// - an accepted timestamp formats to text the parser accepts again, naming the same instant, and
//   that text is canonical (formatting it again changes nothing);
// - an accepted date is exactly its canonical "YYYY-MM-DD" form;
// - the input's first 8 bytes read as an instant of years 0000..9999 format and parse back to
//   that instant;
// - the school-local day of that instant, in a zone picked by the next byte, contains it and
//   lasts more than 0 and at most 48 hours; its date reads back (years 1900..9998) or is refused.

#include <array>
#include <chrono>
#include <cstring>

#include "check.hpp"
#include "domain/time.hpp"

namespace {

using attendance::domain::Timestamp;
using attendance::fuzz::check;
namespace domain = attendance::domain;

// Zones with daylight saving, skipped midnights (Havana, Santiago), a skipped day (Apia) and
// offsets that are not whole hours.
constexpr std::array<const char*, 8> kZones = {"UTC", "America/New_York", "America/Havana", "America/Santiago",
                                               "Pacific/Apia", "Asia/Kathmandu", "Australia/Lord_Howe",
                                               "Europe/London"};

// 0000-01-02T00:00:00Z and 9999-12-30T23:59:59.999999Z: the instants RFC 3339 can write, less a
// day at each end so that their local dates in any zone are writable too.
constexpr long long kDayMicros = 86400LL * 1000000;
constexpr long long kFirstMicros = -62167219200LL * 1000000 + kDayMicros;
constexpr long long kLastMicros = 253402300800LL * 1000000 - 1 - kDayMicros;

void check_text_round_trip(std::string_view text) {
  if (const auto instant = domain::parse_timestamp(text)) {
    const std::string formatted = domain::format_timestamp(*instant);
    const auto again = domain::parse_timestamp(formatted);
    check(again.has_value(), "an accepted timestamp formats to text the parser refuses");
    check(*again == *instant, "an accepted timestamp formats to another instant");
    check(domain::format_timestamp(*again) == formatted, "formatting is not canonical");
  }
  if (const auto day = domain::parse_date(text)) {
    check(domain::format_date(*day) == text, "an accepted date is not its own canonical form");
  }
}

void check_instant(Timestamp instant, const char* zone_name) {
  const std::string formatted = domain::format_timestamp(instant);
  const auto parsed = domain::parse_timestamp(formatted);
  check(parsed.has_value() && *parsed == instant, "a formatted instant does not parse back to itself");

  const auto* zone = domain::find_time_zone(zone_name);
  check(zone != nullptr, "a zone of the tz database is not found");
  const auto day = domain::local_date_of(zone, instant);
  const auto bounds = domain::local_day_bounds(zone, day);
  check(bounds.begin <= instant && instant < bounds.end, "the local day of an instant does not contain it");
  check(bounds.end - bounds.begin <= std::chrono::hours(48), "a local day lasts more than 48 hours");
  // Dates are read for the years kFirstDateYear..kLastDateYear only (domain/time.hpp).
  const int year = static_cast<int>(date::year_month_day{day}.year());
  if (year >= domain::kFirstDateYear && year <= domain::kLastDateYear) {
    check(domain::parse_date(domain::format_date(day)) == day, "a local date does not round-trip");
  } else {
    check(!domain::parse_date(domain::format_date(day)), "a date outside the years read is accepted");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_text_round_trip(attendance::fuzz::as_text(data, size));
  if (size >= 9) {
    long long raw = 0;
    std::memcpy(&raw, data, sizeof raw);
    const unsigned long long span = static_cast<unsigned long long>(kLastMicros - kFirstMicros) + 1;
    const long long micros = kFirstMicros + static_cast<long long>(static_cast<unsigned long long>(raw) % span);
    // Around the years schools use, the zones' rules change most: look there more often.
    const bool recent = (data[8] & 0x80) != 0;
    const long long recent_micros = 946684800LL * 1000000 + static_cast<long long>(static_cast<unsigned long long>(raw) % (1600000000ULL * 1000000));
    check_instant(Timestamp{std::chrono::microseconds(recent ? recent_micros : micros)}, kZones[data[8] % kZones.size()]);
  }
  return 0;
}
