#include "tools/datagen/catalog.hpp"

namespace attendance::datagen {

const std::vector<ZoneChoice>& zone_choices() {
  static const std::vector<ZoneChoice> kZones{
      {"America/New_York", "New York", {1, 2, 3, 4, 5}},
      {"Europe/Berlin", "Berlin", {1, 2, 3, 4, 5}},
      {"Asia/Tokyo", "Tokyo", {1, 2, 3, 4, 5}},              // no DST
      {"Australia/Sydney", "Sydney", {1, 2, 3, 4, 5}},       // southern DST
      {"Asia/Kolkata", "Mumbai", {1, 2, 3, 4, 5, 6}},        // +05:30, Saturday classes
      {"America/Los_Angeles", "Los Angeles", {1, 2, 3, 4, 5}},
      {"Asia/Jerusalem", "Jerusalem", {7, 1, 2, 3, 4}},      // Sunday-Thursday
      {"America/Sao_Paulo", "Sao Paulo", {1, 2, 3, 4, 5}},   // no DST since 2019
      {"Europe/London", "London", {1, 2, 3, 4, 5}},
      {"Asia/Kathmandu", "Kathmandu", {7, 1, 2, 3, 4, 5}},   // +05:45, Sunday-Friday
      {"Pacific/Auckland", "Auckland", {1, 2, 3, 4, 5}},
      {"Africa/Nairobi", "Nairobi", {1, 2, 3, 4, 5}},        // no DST
      {"America/Havana", "Havana", {1, 2, 3, 4, 5}},         // DST at midnight
      {"UTC", "Greenwich", {1, 2, 3, 4, 5}},
  };
  return kZones;
}

const ZoneChoice& zone_choice_of(std::string_view timezone) {
  const auto& zones = zone_choices();
  for (const auto& z : zones) {
    if (z.timezone == timezone) return z;
  }
  return zones.back();
}

const std::array<std::string_view, 48> kFirstNames{
    "Ada", "Alan", "Amara", "Aiko", "Ben", "Bilal", "Carla", "Chen", "Dara", "Diego", "Elif", "Emma",
    "Farah", "Finn", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jada", "Jonas", "Kai", "Kofi", "Lena",
    "Liam", "Maya", "Mateo", "Nia", "Noah", "Olga", "Omar", "Priya", "Quinn", "Rafael", "Rosa", "Sami",
    "Sofia", "Tariq", "Uma", "Victor", "Wen", "Xavier", "Yara", "Yusuf", "Zara", "Zoe", "Leo", "Mira"};

const std::array<std::string_view, 48> kLastNames{
    "Adeyemi", "Almeida", "Andersen", "Bauer", "Becker", "Chowdhury", "Costa", "Dubois", "Eriksson",
    "Fischer", "Garcia", "Gupta", "Haddad", "Hoffmann", "Ivanova", "Jensen", "Kim", "Kowalski",
    "Lopez", "Martin", "Mensah", "Moreau", "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Patel",
    "Petrov", "Quispe", "Rossi", "Sato", "Schmidt", "Silva", "Singh", "Smith", "Sousa", "Tanaka",
    "Tran", "Usman", "Varga", "Wagner", "Wang", "Weber", "Yilmaz", "Zhang", "Ziegler", "Lovelace"};

}  // namespace attendance::datagen
