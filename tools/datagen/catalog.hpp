#pragma once
// The fixed lists the generator draws from: time zones with their school weeks, and names.

#include <array>
#include <string_view>
#include <vector>

namespace attendance::datagen {

// A time zone and the school week customary there. The list mixes zones with and without
// daylight saving, southern-hemisphere DST, half- and quarter-hour offsets, a zone whose DST
// change skips midnight (Havana), and weeks other than Monday-Friday.
struct ZoneChoice {
  std::string_view timezone;
  std::string_view city;
  std::vector<int> school_days;
};

const std::vector<ZoneChoice>& zone_choices();

// The zone choice for a school's time zone name (its city and week), or the UTC entry.
const ZoneChoice& zone_choice_of(std::string_view timezone);

extern const std::array<std::string_view, 48> kFirstNames;
extern const std::array<std::string_view, 48> kLastNames;

}  // namespace attendance::datagen
