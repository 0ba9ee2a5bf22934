#include "domain/base64.hpp"

#include <gtest/gtest.h>

#include <string>

namespace attendance::domain {
namespace {

using namespace std::string_literals;

TEST(Base64, DecodesWithAndWithoutPadding) {
  EXPECT_EQ(decode_base64("aGk="), "hi");
  EXPECT_EQ(decode_base64("aGk"), "hi");
  EXPECT_EQ(decode_base64("aA=="), "h");
  EXPECT_EQ(decode_base64("aA"), "h");
  EXPECT_EQ(decode_base64("aGV5"), "hey");
  EXPECT_EQ(decode_base64(""), "");
}

TEST(Base64, AcceptsTheUrlSafeAlphabet) {
  EXPECT_EQ(decode_base64("-_8="), "\xFB\xFF"s);
  EXPECT_EQ(decode_base64("+/8="), "\xFB\xFF"s);
}

TEST(Base64, RefusesWrongPadding) {
  EXPECT_FALSE(decode_base64("aGk=="));
  EXPECT_FALSE(decode_base64("aA="));
  EXPECT_FALSE(decode_base64("aGV5===="));
  EXPECT_FALSE(decode_base64("=="));
  EXPECT_FALSE(decode_base64("aG=k"));
}

TEST(Base64, RefusesALengthNoEncoderProduces) {
  EXPECT_FALSE(decode_base64("a"));
  EXPECT_FALSE(decode_base64("aGV5a"));
}

TEST(Base64, RefusesNonZeroUnusedBits) {
  EXPECT_FALSE(decode_base64("aGl="));  // "aGk=" is the only spelling of "hi"
  EXPECT_FALSE(decode_base64("aB=="));
}

TEST(Base64, RefusesCharactersOutsideTheAlphabet) {
  EXPECT_FALSE(decode_base64("aGk."));
  EXPECT_FALSE(decode_base64("a\x80Gk"));
  EXPECT_FALSE(decode_base64("aG\0k"s));
}

TEST(Base64, PredictsTheDecodedLengthWithoutDecoding) {
  EXPECT_EQ(base64_decoded_length("aGk="), 2U);
  EXPECT_EQ(base64_decoded_length("aGk"), 2U);
  EXPECT_EQ(base64_decoded_length("aGV5\naGV5"), 6U);
}

}  // namespace
}  // namespace attendance::domain
