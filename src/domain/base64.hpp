#pragma once
// Strict base64 decoding (RFC 4648) for data sent by clients.
//
// Accepted: the standard alphabet (+/) and the URL-safe one (-_); padding either complete or
// absent ("aGk=" and "aGk" both decode to "hi"); ASCII whitespace (space, tab, CR, LF) anywhere,
// because `base64` on the command line wraps its output every 76 characters.
// Refused: any other character, '=' anywhere but at the end, wrong padding ("aGk==", "a==="),
// a length no encoder produces (one character left over), and non-zero unused bits in the last
// character (so every byte string has exactly one accepted spelling, up to whitespace/padding).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace attendance::domain {

// The number of bytes `text` decodes to if it is valid, computed without decoding: lets callers
// refuse oversized input before allocating for it.
std::size_t base64_decoded_length(std::string_view text);

// The decoded bytes, or empty when text is not valid base64 by the rules above.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace attendance::domain
