#include "http/token_cache.hpp"

#include <gtest/gtest.h>

namespace attendance::http {
namespace {

using namespace std::chrono_literals;

const Principal kKiosk{7, domain::Role::device, 3};

TEST(TokenCache, RemembersAFoundTokenUntilCleared) {
  TokenCache cache({});
  EXPECT_FALSE(cache.find("hash"));
  cache.remember("hash", kKiosk, cache.generation());
  auto known = cache.find("hash");
  ASSERT_TRUE(known);
  EXPECT_EQ(known->token_id, 7);
  EXPECT_EQ(known->school_id, 3);
  cache.clear();
  EXPECT_FALSE(cache.find("hash"));
}

TEST(TokenCache, ALookupThatStartedBeforeAClearIsNotRemembered) {
  TokenCache cache({});
  const auto before = cache.generation();
  cache.clear();  // a revocation committed while the lookup was reading the table
  cache.remember("hash", kKiosk, before);
  EXPECT_FALSE(cache.find("hash"));
  EXPECT_EQ(cache.size(), 0U);
}

TEST(TokenCache, AnEntryOlderThanItsMaxAgeIsReadAgain) {
  TokenCache cache({100, 30s});
  const auto stored = TokenCache::Clock::now();
  cache.remember("hash", kKiosk, cache.generation(), stored);
  EXPECT_TRUE(cache.find("hash", stored + 30s));
  EXPECT_FALSE(cache.find("hash", stored + 31s));
}

TEST(TokenCache, StaysWithinItsBound) {
  TokenCache cache({3, 30s});
  for (int i = 0; i < 10; ++i) cache.remember("hash-" + std::to_string(i), kKiosk, cache.generation());
  EXPECT_LE(cache.size(), 3U);
  EXPECT_TRUE(cache.find("hash-9"));
}

}  // namespace
}  // namespace attendance::http
