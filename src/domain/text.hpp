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

// An identifier without its leading and trailing whitespace and invisible characters (below): a
// direction mark a spreadsheet of right-to-left text puts around an id is no part of the card.
std::string_view trim_identifier(std::string_view text);

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

// Invisible characters: the ones that show as nothing at all, so that "CARD\u200b-9" reads as
// "CARD-9" on a screen or a printed list but is another id. The soft hyphen (U+00AD), the
// combining grapheme joiner (U+034F), ALM (U+061C), the Hangul fillers (U+115F, U+1160, U+3164,
// U+FFA0), the Khmer inherent vowels (U+17B4, U+17B5), the Mongolian variation selectors and
// vowel separator (U+180B-U+180F), the zero width space, joiners and direction marks
// (U+200B-U+200F), the word joiner and invisible operators (U+2060-U+2064), the deprecated format
// characters (U+206A-U+206F), the variation selectors (U+FE00-U+FE0F, U+E0100-U+E01EF), the
// byte order mark (U+FEFF) and the tags (U+E0000-U+E007F). Identifiers refuse them (an
// external_id is compared, not read); names keep them, since right-to-left and Indic names use
// the marks and joiners.
bool has_invisible_character(std::string_view text);

// Characters as a person counts them: UTF-8 code points.
std::size_t count_chars(std::string_view text);

}  // namespace attendance::domain
