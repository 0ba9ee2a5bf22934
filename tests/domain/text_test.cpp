#include "domain/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace attendance::domain {
namespace {

TEST(Blank, EmptyAndAsciiWhitespaceAreBlank) {
  EXPECT_TRUE(is_blank(""));
  EXPECT_TRUE(is_blank(" \t\r\n\f\v"));
  EXPECT_FALSE(is_blank(" a "));
}

TEST(Blank, UnicodeWhitespaceIsBlankToo) {
  for (const char* text : {"\u00a0", "\u2000", "\u2005", "\u200a", "\u3000", "\ufeff", "\u200b", "\u2028",
                           "\u202f", "\u205f", "\u1680", "\u0085", "\u00a0 \u3000\ufeff"}) {
    EXPECT_TRUE(is_blank(text)) << text;
  }
}

TEST(Blank, LettersAndSymbolsBesideSpacesAreNotBlank) {
  for (const char* text : {"\u00a0Zo\u00eb", "\u00e0", "\u20ac", "\U0001F600", "\u00c2", "_"}) {
    EXPECT_FALSE(is_blank(text)) << text;
  }
}

TEST(Trim, DropsLeadingAndTrailingWhitespaceOnly) {
  EXPECT_EQ(trim_whitespace(" CARD-9\r\n"), "CARD-9");
  EXPECT_EQ(trim_whitespace("\t\u00a0CARD 9\u3000\ufeff"), "CARD 9");
  EXPECT_EQ(trim_whitespace("CARD-9"), "CARD-9");
  EXPECT_EQ(trim_whitespace(" \u2003 "), "");
  EXPECT_EQ(trim_whitespace(""), "");
}

TEST(Trim, KeepsCharactersWhoseBytesResembleWhitespace) {
  // U+00E0 is 0xC3 0xA0 and U+0160 is 0xC5 0xA0: their last byte is NBSP's, not NBSP.
  EXPECT_EQ(trim_whitespace("\u00e0"), "\u00e0");
  EXPECT_EQ(trim_whitespace(" \u0160 "), "\u0160");
  EXPECT_EQ(trim_whitespace("\U0001F600\u00a0"), "\U0001F600");
}

TEST(Trim, BytesThatAreNoUtf8AreKept) {
  EXPECT_EQ(trim_whitespace(std::string_view("\xa0 x \xc2")), std::string_view("\xa0 x \xc2"));
}

TEST(ControlCharacters, EveryC0ControlDelAndC1IsOne) {
  for (int c = 0; c < 0x20; ++c) EXPECT_TRUE(has_control_character(std::string("a") + static_cast<char>(c))) << c;
  EXPECT_TRUE(has_control_character("a\x7f"));
  EXPECT_TRUE(has_control_character("a\u0080b"));
  EXPECT_TRUE(has_control_character("a\u0085b"));
  EXPECT_TRUE(has_control_character("\u009f"));
}

TEST(ControlCharacters, TextAroundC1IsNone) {
  for (const char* text : {"Zo\u00eb \u014ctani", "\u00a0", "\u00a1", "\u00ff", "\u0100", "\u20ac", "\U0001F600", ""}) {
    EXPECT_FALSE(has_control_character(text)) << text;
  }
}

TEST(ControlCharacters, LineBreaksMayBeAllowedForWrappedText) {
  EXPECT_FALSE(has_control_character("iVBO\r\nRw0K\tx", LineBreaks::allowed));
  EXPECT_TRUE(has_control_character("iVBO\r\nRw0K\tx"));
  EXPECT_TRUE(has_control_character("iVBO\r\n\x0b", LineBreaks::allowed));
  EXPECT_TRUE(has_control_character("a\u0085", LineBreaks::allowed));
}

TEST(ControlCharacters, LineAndParagraphSeparatorsAreOnes) {
  for (const char* text : {"Ada\u2028Lovelace", "\u2029", "a\u2028"}) {
    EXPECT_TRUE(has_control_character(text)) << text;
    // Wrapped base64 breaks its lines with CR and LF only.
    EXPECT_TRUE(has_control_character(text, LineBreaks::allowed)) << text;
  }
}

TEST(ControlCharacters, BidiEmbeddingsOverridesAndIsolatesAreOnes) {
  for (const char* control : {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}) {
    EXPECT_TRUE(has_control_character(std::string("invoice-") + control + "fdp.exe")) << control;
    EXPECT_TRUE(has_control_character(control, LineBreaks::allowed)) << control;
  }
}

TEST(ControlCharacters, MarksAndJoinersRightToLeftNamesUseAreNone) {
  // LRM, RLM, ALM, ZWNJ, ZWJ, in the names they serve, and the characters either side of the
  // refused ranges.
  for (const char* text : {"\u200e", "\u200f", "\u061c", "\u200c", "\u200d", "\u05d3\u05e0\u05d4\u200f (Dana)",
                           "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u2027", "\u202f", "\u2065", "\u206a",
                           "\u2060"}) {
    EXPECT_FALSE(has_control_character(text)) << text;
  }
}

TEST(ControlCharacters, BytesThatAreNoUtf8AreNone) {
  // Half of U+202E, and a lone continuation byte: no character, so no control either.
  EXPECT_FALSE(has_control_character(std::string_view("\xe2\x80")));
  EXPECT_FALSE(has_control_character(std::string_view("\xae")));
}

TEST(InvisibleCharacters, EachShowsAsNothingAndIsOne) {
  for (const char* text : {"CARD\u00ad9", "\u034f", "\u061c", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180b",
                           "\u180e", "\u180f", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060",
                           "\u2064", "\u206a", "\u206f", "\u3164", "\ufe00", "\ufe0f", "\ufeff", "\uffa0",
                           "\U000E0001", "\U000E007F", "\U000E0100", "\U000E01EF"}) {
    EXPECT_TRUE(has_invisible_character(text)) << text;
  }
}

TEST(InvisibleCharacters, VisibleTextAndTheCharactersBesideTheRangesAreNone) {
  for (const char* text : {"CARD-0001", "Zo\u00eb", "\u00ac", "\u00ae", "\u180a", "\u2010", "\u2065", "\u2070",
                           "\ufdff", "\ufe10", "\U000E0080", "\U000E01F0", "\u05d3\u05e0\u05d4", "\U0001F600"}) {
    EXPECT_FALSE(has_invisible_character(text)) << text;
  }
  // Half of U+200B is no character, so no invisible one either.
  EXPECT_FALSE(has_invisible_character(std::string_view("\xe2\x80")));
}

TEST(TrimIdentifier, DropsInvisibleCharactersAtTheEdgesAsWellAsWhitespace) {
  EXPECT_EQ(trim_identifier("\u200f CARD-9\u200e\r\n"), "CARD-9");
  EXPECT_EQ(trim_identifier("\u00adCARD\u200b-9\ufe0f"), "CARD\u200b-9");  // inside stays: refused by the caller
  EXPECT_EQ(trim_identifier("\u200d\u2060"), "");
  EXPECT_EQ(trim_whitespace("\u200fCARD-9"), "\u200fCARD-9") << "a name's marks are no whitespace";
}

TEST(CountChars, CountsCodePoints) {
  EXPECT_EQ(count_chars(""), 0U);
  EXPECT_EQ(count_chars("Zo\u00eb"), 3U);
  EXPECT_EQ(count_chars("\u3000\U0001F600"), 2U);
}

}  // namespace
}  // namespace attendance::domain
