#pragma once
// API token secrets: random, shown once, stored only as a hash.

#include <string>
#include <string_view>

namespace attendance::domain {

// "att_" followed by 43 base64url characters (32 random bytes from libsodium).
std::string generate_token_secret();

// Hex digest of the secret. Secrets are 256-bit random, so a fast keyed-free hash is enough:
// no dictionary can reach them.
std::string hash_token_secret(std::string_view secret);

// Constant-time comparison, for the metrics token from the environment.
bool secrets_equal(std::string_view a, std::string_view b);

}  // namespace attendance::domain
