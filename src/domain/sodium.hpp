#pragma once
// The small part of libsodium the domain uses. libsodium must be initialised once before use (it
// picks its implementations and seeds its random generator); everything here does that first.

#include <string>
#include <string_view>

namespace attendance::domain {

// Initialises libsodium on the first call, thread-safely; later calls are free.
// Throws std::runtime_error when libsodium cannot initialise (no usable random source).
void ensure_sodium();

// Lowercase hex SHA-256 of bytes (64 characters).
std::string sha256_hex(std::string_view bytes);

}  // namespace attendance::domain
