#include "domain/secrets.hpp"

#include <gtest/gtest.h>

#include <set>

namespace attendance::domain {
namespace {

TEST(TokenSecrets, AreAttPrefixFollowedBy43Base64UrlCharacters) {
  const auto secret = generate_token_secret();
  ASSERT_EQ(secret.size(), 4U + 43U);
  EXPECT_EQ(secret.substr(0, 4), "att_");
  EXPECT_EQ(secret.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 4),
            std::string::npos);
}

TEST(TokenSecrets, AreDifferentEveryTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(generate_token_secret());
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(TokenSecretHashes, AreTheLowercaseHexSha256OfTheSecret) {
  // Computed independently: hashlib.sha256(b"att_example").hexdigest()
  EXPECT_EQ(hash_token_secret("att_example"),
            "a683ba185427df3a0529744d2c7fa5d9727dd4d10439dfe0fe223ae71beb1145");
}

TEST(TokenSecretHashes, AreStableAndDistinguishSecrets) {
  const auto secret = generate_token_secret();
  EXPECT_EQ(hash_token_secret(secret), hash_token_secret(secret));
  EXPECT_NE(hash_token_secret(secret), hash_token_secret(secret + "x"));
  EXPECT_NE(hash_token_secret(secret), secret);
}

TEST(SecretComparison, EqualOnlyForIdenticalBytes) {
  EXPECT_TRUE(secrets_equal("att_abc", "att_abc"));
  EXPECT_TRUE(secrets_equal("", ""));
  EXPECT_FALSE(secrets_equal("att_abc", "att_abd"));
  EXPECT_FALSE(secrets_equal("att_abc", "att_ab"));
  EXPECT_FALSE(secrets_equal("", "x"));
}

}  // namespace
}  // namespace attendance::domain
