// Image sniffing and decoding (src/domain/image.*, src/domain/base64.*): the `image` field of a
// check-in, plain base64 or a data: URL, up to 512 KiB decoded.
//
// The first byte picks how the rest is used:
// - as text for decode_image and decode_base64: whatever they accept is consistent (the decoded
//   size is what base64_decoded_length promised; libsodium encodes the bytes back to the same
//   symbols; an accepted image sniffs as its content type, is at most 512 KiB and is named by a
//   64-digit hex hash);
// - as image bytes, encoded by libsodium in one of its four base64 variants, optionally in a
//   data: URL and wrapped at 76 columns: decode_image returns exactly those bytes when they
//   sniff as JPEG, PNG or WebP, and "must be a JPEG, PNG or WebP image" otherwise.

#include <sodium.h>

#include <string>

#include "check.hpp"
#include "domain/base64.hpp"
#include "domain/image.hpp"
#include "domain/sodium.hpp"

namespace {

namespace domain = attendance::domain;
using attendance::fuzz::check;

constexpr int kVariants[] = {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                             sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING};

std::string encode(std::string_view bytes, int variant) {
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    variant);
  text.resize(text.size() - 1);  // the terminating NUL
  return text;
}

// The base64 symbols of text as the standard alphabet, without whitespace and padding.
std::string symbols_of(std::string_view text) {
  std::string symbols;
  for (char c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
    if (c != '=' && c != ' ' && c != '\t' && c != '\r' && c != '\n') symbols += c;
  }
  return symbols;
}

bool is_lower_hex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

void check_accepted_image(const domain::Image& image) {
  const auto sniffed = domain::sniff_image_type(image.bytes);
  check(sniffed.has_value() && *sniffed == image.content_type, "an accepted image does not sniff as its type");
  check(image.bytes.size() <= domain::kMaxImageBytes, "an accepted image is over 512 KiB");
  check(image.hash.size() == 64 && is_lower_hex(image.hash), "an image hash is not 64 hex digits");
  check(image.hash == domain::sha256_hex(image.bytes), "an image is not named by the hash of its bytes");
}

void fuzz_text(std::string_view text) {
  if (const auto bytes = domain::decode_base64(text)) {
    check(bytes->size() == domain::base64_decoded_length(text), "decoded size differs from the promised length");
    check(symbols_of(encode(*bytes, sodium_base64_VARIANT_ORIGINAL_NO_PADDING)) == symbols_of(text),
          "accepted base64 is not the one spelling of its bytes");
  }
  if (const auto image = domain::decode_image(text)) check_accepted_image(image.value());
}

void fuzz_bytes(std::string_view bytes, unsigned char mode) {
  std::string text = encode(bytes, kVariants[mode & 3]);
  if (mode & 4) {  // wrapped as `base64` does on the command line
    for (std::size_t at = 76; at < text.size(); at += 77) text.insert(at, 1, '\n');
  }
  if (mode & 8) text = "data:image/gif;charset=x;base64," + text;  // the declared type is ignored
  const auto decoded = domain::decode_image(text);
  const bool is_image = domain::sniff_image_type(bytes).has_value();
  check(decoded.ok() == is_image, "decode_image disagrees with sniffing on well-encoded bytes");
  if (decoded) {
    check(decoded.value().bytes == bytes, "decode_image changed the bytes");
    check_accepted_image(decoded.value());
  } else {
    const auto& errors = decoded.error().fields;
    check(errors.contains("image") && errors.at("image").front() == "must be a JPEG, PNG or WebP image",
          "well-encoded bytes that are not an image are refused for another reason");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto rest = attendance::fuzz::as_text(data + 1, size - 1);
  if (data[0] & 0x80) fuzz_bytes(rest, data[0]);
  else fuzz_text(rest);
  return 0;
}
