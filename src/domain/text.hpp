#pragma once
// What counts as whitespace and as a control character in the text clients send (names, ids,
// reasons). Text is UTF-8: the JSON layer refuses anything else; a byte that starts no valid
// sequence counts as one character that is neither.
//
//   is_blank("\u00a0 ")             // true: NBSP is whitespace
//   trim_whitespace(" CARD-9\r\n")   // "CARD-9"
//   has_control_character("Ada\n")  // true; with LineBreaks::allowed, false
//   has_control_character("\u202eAda")  // true: a right-to-left override

#include <cstddef>
#include <string_view>

namespace attendance::domain {

// Whitespace: Unicode's White_Space characters (tab, LF, VT, FF, CR, space, U+0085, U+00A0,
// U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) and the invisible ones that
// copy and paste leaves behind (U+180E, U+200B, U+2060, U+FEFF).
bool is_blank(std::string_view text);

// text without its leading and trailing whitespace.
std::string_view trim_whitespace(std::string_view text);

// Control characters: C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F), and the two
// kinds of character that control text as much: the line and paragraph separators (U+2028,
// U+2029: line breaks to JavaScript and to many log viewers) and the bidirectional embeddings,
// overrides and isolates (U+202A-U+202E, U+2066-U+2069: text shown in another order than it is
// stored, "Trojan Source"). The marks right-to-left names use are none: LRM, RLM and ALM (U+200E,
// U+200F, U+061C) give one point a direction as a letter would and reorder no run of text, and
// ZWNJ and ZWJ (U+200C, U+200D) only join or part letters. Tab, LF and CR may be allowed for
// text wrapped in lines (base64).
enum class LineBreaks { refused, allowed };
bool has_control_character(std::string_view text, LineBreaks line_breaks = LineBreaks::refused);

// Characters as a person counts them: UTF-8 code points.
std::size_t count_chars(std::string_view text);

}  // namespace attendance::domain
