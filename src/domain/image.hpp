#pragma once
// Photos attached to attendances: decoded from base64 or a data: URL, recognised from their bytes
// (never from what the client claims), bounded in size, named by content hash.

#include <cstddef>
#include <optional>
#include <string_view>

#include "domain/result.hpp"
#include "domain/types.hpp"

namespace attendance::domain {

inline constexpr std::size_t kMaxImageBytes = 512 * 1024;

// "image/jpeg", "image/png" or "image/webp" from the magic bytes; empty for anything else.
std::optional<std::string_view> sniff_image_type(std::string_view bytes);

// Accepts plain base64 or "data:<type>;base64,<data>". The result carries the sniffed content
// type and the hex SHA-256 of the bytes. Errors are 422 on field "image" ("is not valid base64",
// "must be a JPEG, PNG or WebP image", "must be at most 512 KiB").
// Base64 rules: see domain/base64.hpp (both alphabets, optional padding, line breaks tolerated).
// A data: URL must say ";base64"; its declared type is ignored (the bytes decide). The size is
// that of the decoded bytes, checked before decoding; text over twice the base64 size of
// kMaxImageBytes is refused without being scanned.
Result<Image> decode_image(std::string_view text);

}  // namespace attendance::domain
