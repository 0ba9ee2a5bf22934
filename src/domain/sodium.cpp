#include "domain/sodium.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace attendance::domain {

void ensure_sodium() {
  // A function-local static is initialised exactly once even under concurrent first calls.
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

std::string sha256_hex(std::string_view bytes) {
  ensure_sodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return hex.data();
}

}  // namespace attendance::domain
