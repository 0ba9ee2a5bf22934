#include "domain/secrets.hpp"

#include <sodium.h>

#include <array>

#include "domain/sodium.hpp"

namespace attendance::domain {
namespace {

constexpr std::size_t kSecretBytes = 32;
constexpr std::string_view kSecretPrefix = "att_";

}  // namespace

std::string generate_token_secret() {
  ensure_sodium();
  std::array<unsigned char, kSecretBytes> random{};
  randombytes_buf(random.data(), random.size());
  std::array<char,
             sodium_base64_ENCODED_LEN(kSecretBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)>
      encoded{};
  sodium_bin2base64(encoded.data(), encoded.size(), random.data(), random.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(random.data(), random.size());
  return std::string(kSecretPrefix) + encoded.data();
}

std::string hash_token_secret(std::string_view secret) { return sha256_hex(secret); }

bool secrets_equal(std::string_view a, std::string_view b) {
  // Lengths are not secret (every generated secret has the same one); contents are compared in
  // constant time.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  ensure_sodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace attendance::domain
