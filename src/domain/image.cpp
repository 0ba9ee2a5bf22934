#include "domain/image.hpp"

#include <cctype>

#include "domain/base64.hpp"
#include "domain/sodium.hpp"

namespace attendance::domain {
namespace {

constexpr std::string_view kField = "image";
// Base64 of kMaxImageBytes is ~700,000 characters; twice that leaves room for line breaks, so
// anything longer is refused before it is even scanned.
constexpr std::size_t kMaxEncodedChars = 2 * ((kMaxImageBytes + 2) / 3 * 4);

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         starts_with_ignoring_case(text.substr(text.size() - suffix.size()), suffix);
}

// The base64 payload of "data:<type>[;params];base64,<data>", or of plain base64 text.
// Empty for a data: URL that is not base64-encoded. The declared type is ignored: bytes decide.
std::optional<std::string_view> payload_of(std::string_view text) {
  if (!starts_with_ignoring_case(text, "data:")) return text;
  const auto comma = text.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  if (!ends_with_ignoring_case(text.substr(0, comma), ";base64")) return std::nullopt;
  return text.substr(comma + 1);
}

Error invalid(std::string_view message) {
  return Error::invalid(std::string(kField), std::string(message));
}

}  // namespace

std::optional<std::string_view> sniff_image_type(std::string_view bytes) {
  using namespace std::string_view_literals;
  if (bytes.starts_with("\xFF\xD8\xFF"sv)) return "image/jpeg";
  if (bytes.starts_with("\x89PNG\r\n\x1A\n"sv)) return "image/png";
  if (bytes.size() >= 12 && bytes.starts_with("RIFF"sv) && bytes.substr(8, 4) == "WEBP"sv) {
    return "image/webp";
  }
  return std::nullopt;
}

Result<Image> decode_image(std::string_view text) {
  constexpr std::string_view kTooLarge = "must be at most 512 KiB";
  if (text.size() > kMaxEncodedChars) return invalid(kTooLarge);
  const auto payload = payload_of(text);
  if (!payload) return invalid("is not valid base64");
  if (base64_decoded_length(*payload) > kMaxImageBytes) return invalid(kTooLarge);
  auto bytes = decode_base64(*payload);
  if (!bytes) return invalid("is not valid base64");
  const auto type = sniff_image_type(*bytes);
  if (!type) return invalid("must be a JPEG, PNG or WebP image");
  auto hash = sha256_hex(*bytes);
  return Image{std::move(hash), std::string(*type), std::move(*bytes)};
}

}  // namespace attendance::domain
