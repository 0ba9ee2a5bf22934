#pragma once
// What the fuzz targets share: a property check that stops the run with the broken property named,
// under libFuzzer (which then saves the input as a crash reproducer) and under the corpus replay.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace attendance::fuzz {

// Aborts with `what` when `property` does not hold.
inline void check(bool property, const char* what) {
  if (property) return;
  std::fprintf(stderr, "fuzz property broken: %s\n", what);
  std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Structured values taken from the front of a fuzz input; each reads zeros once it runs out, so
// every input is usable and a few more bytes change one value at a time.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(u16()) | (static_cast<std::uint32_t>(u16()) << 16); }
  bool flag() { return (byte() & 1) != 0; }

  // Up to max bytes, the count read first.
  std::string text(std::size_t max) {
    std::size_t length = byte() % (max + 1);
    length = std::min(length, size_ - pos_);
    std::string value(reinterpret_cast<const char*>(data_ + pos_), length);
    pos_ += length;
    return value;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace attendance::fuzz
