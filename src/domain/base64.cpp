#include "domain/base64.hpp"

#include <array>
#include <cstdint>

namespace attendance::domain {
namespace {

constexpr std::int8_t kInvalid = -1;
constexpr std::int8_t kSpace = -2;
constexpr std::int8_t kPad = -3;

constexpr std::array<std::int8_t, 256> make_table() {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (int i = 0; i < 26; ++i) {
    table[static_cast<std::size_t>('A' + i)] = static_cast<std::int8_t>(i);
    table[static_cast<std::size_t>('a' + i)] = static_cast<std::int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i)
    table[static_cast<std::size_t>('0' + i)] = static_cast<std::int8_t>(52 + i);
  table['+'] = 62;
  table['-'] = 62;
  table['/'] = 63;
  table['_'] = 63;
  table[' '] = kSpace;
  table['\t'] = kSpace;
  table['\r'] = kSpace;
  table['\n'] = kSpace;
  table['='] = kPad;
  return table;
}

constexpr auto kTable = make_table();

std::int8_t lookup(char c) { return kTable[static_cast<unsigned char>(c)]; }

}  // namespace

std::size_t base64_decoded_length(std::string_view text) {
  std::size_t symbols = 0;
  for (const char c : text) {
    if (lookup(c) >= 0) ++symbols;
  }
  return symbols / 4 * 3 + (symbols % 4 == 0 ? 0 : symbols % 4 - 1);
}

std::optional<std::string> decode_base64(std::string_view text) {
  std::string out;
  out.reserve(base64_decoded_length(text));
  std::uint32_t bits = 0;
  int bit_count = 0;
  std::size_t symbols = 0;
  std::size_t padding = 0;
  for (const char c : text) {
    const auto value = lookup(c);
    if (value == kSpace) continue;
    if (value == kInvalid) return std::nullopt;
    if (value == kPad) {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after '='
    ++symbols;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<char>((bits >> bit_count) & 0xFFu));
    }
  }
  const std::size_t tail = symbols % 4;
  if (tail == 1) return std::nullopt;
  if (padding != 0 && (padding > 2 || (tail + padding) % 4 != 0)) return std::nullopt;
  // Leftover bits (2 after a 2-symbol tail, 4 after a 3-symbol one) must be zero.
  if ((bits & ((1u << bit_count) - 1u)) != 0) return std::nullopt;
  return out;
}

}  // namespace attendance::domain
