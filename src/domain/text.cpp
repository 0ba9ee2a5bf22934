#include "domain/text.hpp"

#include <algorithm>

namespace attendance::domain {
namespace {

constexpr char32_t kNotACharacter = 0xFFFD;

struct CodePoint {
  char32_t value = kNotACharacter;
  std::size_t length = 1;
};

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

// The code point that starts at text[at]; bytes that start no sequence read one at a time as
// kNotACharacter.
CodePoint decode_at(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  std::size_t length = 0;
  if (lead < 0x80U) return {lead, 1};
  if ((lead >> 5U) == 0x6U) length = 2;
  else if ((lead >> 4U) == 0xEU) length = 3;
  else if ((lead >> 3U) == 0x1EU) length = 4;
  if (length == 0 || at + length > text.size()) return {};
  char32_t value = lead & (0x7FU >> length);
  for (std::size_t i = 1; i < length; ++i) {
    if (!is_continuation(text[at + i])) return {};
    value = (value << 6U) | (static_cast<unsigned char>(text[at + i]) & 0x3FU);
  }
  return {value, length};
}

// The code point that ends text (not empty).
CodePoint decode_last(std::string_view text) {
  std::size_t start = text.size() - 1;
  while (start > 0 && text.size() - start < 4 && is_continuation(text[start])) --start;
  const auto last = decode_at(text, start);
  if (start + last.length != text.size()) return {};
  return last;
}

bool is_whitespace(char32_t c) {
  switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
    case 0x85: case 0xA0: case 0x1680: case 0x180E:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x2060: case 0x3000: case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200B;  // the typographic spaces and the zero width space
  }
}

// Beyond C0: DEL, C1, the line and paragraph separators, and the bidirectional embeddings,
// overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
bool is_control(char32_t c) {
  return (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

bool is_invisible(char32_t c) {
  switch (c) {
    case 0xAD: case 0x34F: case 0x61C: case 0x115F: case 0x1160: case 0x17B4: case 0x17B5:
    case 0x3164: case 0xFEFF: case 0xFFA0:
      return true;
    default:
      return (c >= 0x180B && c <= 0x180F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) ||
             (c >= 0x206A && c <= 0x206F) || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0000 && c <= 0xE007F) ||
             (c >= 0xE0100 && c <= 0xE01EF);
  }
}

// True when some code point of text makes found(c) true.
template <class Found>
bool any_code_point(std::string_view text, Found found) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = decode_at(text, i);
    i += c.length;
    if (found(c.value)) return true;
  }
  return false;
}

// text without the characters at its edges for which drop(c) is true.
template <class Drop>
std::string_view trim_edges(std::string_view text, Drop drop) {
  while (!text.empty()) {
    const auto first = decode_at(text, 0);
    if (!drop(first.value)) break;
    text.remove_prefix(first.length);
  }
  while (!text.empty()) {
    const auto last = decode_last(text);
    if (!drop(last.value)) break;
    text.remove_suffix(last.length);
  }
  return text;
}

}  // namespace

std::string_view trim_whitespace(std::string_view text) { return trim_edges(text, is_whitespace); }

std::string_view trim_identifier(std::string_view text) {
  return trim_edges(text, [](char32_t c) { return is_whitespace(c) || is_invisible(c); });
}

bool is_blank(std::string_view text) { return trim_whitespace(text).empty(); }

bool has_control_character(std::string_view text, LineBreaks line_breaks) {
  const bool breaks_allowed = line_breaks == LineBreaks::allowed;
  return any_code_point(text, [breaks_allowed](char32_t c) {
    if (c < 0x20) return !(breaks_allowed && (c == '\t' || c == '\n' || c == '\r'));
    return is_control(c);
  });
}

bool has_invisible_character(std::string_view text) { return any_code_point(text, is_invisible); }

std::size_t count_chars(std::string_view text) {
  // Valid UTF-8 (the JSON layer's guarantee): counting the bytes that don't continue a sequence
  // is exact.
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation(c); }));
}

}  // namespace attendance::domain
