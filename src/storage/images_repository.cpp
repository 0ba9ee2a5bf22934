// Images, stored once per content hash. The bytes are kept as base64 TEXT on both backends:
// SOCI 4.0 maps blobs to PostgreSQL large objects, which would need their own lifecycle.
#include <stdexcept>
#include <string>

#include <sodium.h>

#include "storage/repositories.hpp"
#include "storage/rows.hpp"

namespace attendance::storage {

using sql::Param;

namespace {

constexpr std::string_view kPutImage =
    "INSERT INTO images (hash, content_type, data) VALUES (:hash, :content_type, :data)"
    " ON CONFLICT (hash) DO NOTHING";
constexpr std::string_view kFindImage = "SELECT hash, content_type, data FROM images WHERE hash = :hash";

constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;

std::string encode(const std::string& bytes) {
  std::string text(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    kVariant);
  text.resize(text.size() - 1);  // the encoder writes a terminating NUL
  return text;
}

std::string decode(const std::string& text) {
  std::string bytes(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(), text.size(),
                        nullptr, &length, nullptr, kVariant) != 0) {
    throw std::runtime_error("stored image is not valid base64");
  }
  bytes.resize(length);
  return bytes;
}

struct ImageRow {
  std::string hash, content_type, data;
  void bind(soci::statement& st) {
    st.exchange(soci::into(hash));
    st.exchange(soci::into(content_type));
    st.exchange(soci::into(data));
  }
  domain::Image value() const { return domain::Image{hash, content_type, decode(data)}; }
};

}  // namespace

void put_image(Session& s, const domain::Image& image) {
  sql::execute(s, kPutImage, {Param::of(image.hash), Param::of(image.content_type), Param::of(encode(image.bytes))});
}

std::optional<domain::Image> find_image(Session& s, const std::string& hash) {
  return sql::fetch_one<ImageRow>(s, kFindImage, {Param::of(hash)});
}

}  // namespace attendance::storage
