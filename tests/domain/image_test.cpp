#include "domain/image.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace attendance::domain {
namespace {

using namespace std::string_literals;

const std::string kJpeg = "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"s;
const std::string kPng = "\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR"s;
const std::string kWebp = "RIFF\x24\x00\x00\x00WEBPVP8 "s;

std::string base64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string image_error(const Result<Image>& result) {
  if (result.ok()) return "<ok>";
  const auto& error = result.error();
  if (error.kind != ErrorKind::unprocessable) return "<not a 422>";
  const auto it = error.fields.find("image");
  if (it == error.fields.end() || it->second.size() != 1) return "<no single message on image>";
  return it->second.front();
}

// --- Sniffing -----------------------------------------------------------------------------------

TEST(ImageSniffing, RecognisesJpegPngAndWebpByTheirMagicBytes) {
  EXPECT_EQ(sniff_image_type(kJpeg), "image/jpeg");
  EXPECT_EQ(sniff_image_type(kPng), "image/png");
  EXPECT_EQ(sniff_image_type(kWebp), "image/webp");
}

TEST(ImageSniffing, RefusesOtherFormatsAndTruncatedSignatures) {
  EXPECT_FALSE(sniff_image_type("GIF89a......"));
  EXPECT_FALSE(sniff_image_type("%PDF-1.7"));
  EXPECT_FALSE(sniff_image_type("\xFF\xD8"s));
  EXPECT_FALSE(sniff_image_type("\x89PNG\r\n\x1A"s));
  EXPECT_FALSE(sniff_image_type("RIFF\x24\x00\x00\x00WAVEfmt "s));
  EXPECT_FALSE(sniff_image_type("RIFF\x24\x00\x00\x00WEB"s));
  EXPECT_FALSE(sniff_image_type(""));
}

// --- Decoding -----------------------------------------------------------------------------------

TEST(ImageDecoding, DecodesPlainBase64AndNamesItByItsSha256) {
  const auto result = decode_image(base64(kPng));
  ASSERT_TRUE(result.ok()) << image_error(result);
  EXPECT_EQ(result->content_type, "image/png");
  EXPECT_EQ(result->bytes, kPng);
  ASSERT_EQ(result->hash.size(), 64U);
  EXPECT_EQ(result->hash.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(ImageDecoding, HashIsTheKnownSha256OfTheBytes) {
  // Computed independently: hashlib.sha256(b"RIFF\x24\0\0\0WEBPVP8 ").hexdigest()
  const auto result = decode_image(base64(kWebp));
  ASSERT_TRUE(result.ok()) << image_error(result);
  EXPECT_EQ(result->hash, "c289049766aab146c820ec0a3b308f474bf52327f64e6a24b087bcd26f95d4a0");
}

TEST(ImageDecoding, SameBytesGiveTheSameHashAndDifferentBytesADifferentOne) {
  EXPECT_EQ(decode_image(base64(kJpeg))->hash,
            decode_image("data:image/jpeg;base64," + base64(kJpeg))->hash);
  EXPECT_NE(decode_image(base64(kJpeg))->hash, decode_image(base64(kJpeg + "x"))->hash);
}

TEST(ImageDecoding, AcceptsADataUrl) {
  const auto result = decode_image("data:image/jpeg;base64," + base64(kJpeg));
  ASSERT_TRUE(result.ok()) << image_error(result);
  EXPECT_EQ(result->content_type, "image/jpeg");
  EXPECT_EQ(result->bytes, kJpeg);
}

TEST(ImageDecoding, TheBytesDecideWhenADataUrlClaimsAnotherType) {
  const auto result = decode_image("data:image/jpeg;base64," + base64(kPng));
  ASSERT_TRUE(result.ok()) << image_error(result);
  EXPECT_EQ(result->content_type, "image/png");
}

TEST(ImageDecoding, AcceptsDataUrlParametersAndAnyCaseInTheScheme) {
  EXPECT_TRUE(decode_image("DATA:image/webp;name=face.webp;BASE64," + base64(kWebp)).ok());
}

TEST(ImageDecoding, RefusesADataUrlThatIsNotBase64) {
  EXPECT_EQ(image_error(decode_image("data:image/png," + base64(kPng))), "is not valid base64");
  EXPECT_EQ(image_error(decode_image("data:image/png;base64")), "is not valid base64");
}

TEST(ImageDecoding, ToleratesLineBreaksAsTheBase64CommandWritesThem) {
  auto text = base64(kPng + std::string(100, 'x'));
  for (std::size_t pos = 76; pos < text.size(); pos += 77) text.insert(pos, "\n");
  const auto result = decode_image(text + "\n");
  ASSERT_TRUE(result.ok()) << image_error(result);
  EXPECT_EQ(result->bytes, kPng + std::string(100, 'x'));
}

TEST(ImageDecoding, RefusesBadBase64) {
  EXPECT_EQ(image_error(decode_image("not base64!")), "is not valid base64");
  EXPECT_EQ(image_error(decode_image(base64(kPng) + "*")), "is not valid base64");
  EXPECT_EQ(image_error(decode_image("iVBO=Rw0KGgo=")), "is not valid base64");
}

TEST(ImageDecoding, RefusesBytesThatAreNotAnImage) {
  EXPECT_EQ(image_error(decode_image(base64("GIF89a, not welcome"))),
            "must be a JPEG, PNG or WebP image");
  EXPECT_EQ(image_error(decode_image("")), "must be a JPEG, PNG or WebP image");
}

TEST(ImageDecoding, AcceptsExactly512KiB) {
  const auto result = decode_image(base64(kJpeg + std::string(kMaxImageBytes - kJpeg.size(), 'a')));
  ASSERT_TRUE(result.ok()) << image_error(result);
  EXPECT_EQ(result->bytes.size(), kMaxImageBytes);
}

TEST(ImageDecoding, RefusesOneByteMoreThan512KiB) {
  const auto text = base64(kJpeg + std::string(kMaxImageBytes + 1 - kJpeg.size(), 'a'));
  EXPECT_EQ(image_error(decode_image(text)), "must be at most 512 KiB");
}

TEST(ImageDecoding, RefusesHugeTextBeforeLookingAtIt) {
  const std::string text(3 * 1024 * 1024, '!');  // not even base64: size is checked first
  EXPECT_EQ(image_error(decode_image(text)), "must be at most 512 KiB");
}

}  // namespace
}  // namespace attendance::domain
