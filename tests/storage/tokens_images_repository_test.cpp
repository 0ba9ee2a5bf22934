#include <gtest/gtest.h>

#include "domain/result.hpp"
#include "storage/storage_support.hpp"

namespace attendance::storage {
namespace {

using domain::ApiToken;
using domain::Role;
using testing::StorageTest;

class TokensRepository : public StorageTest {
 protected:
  ApiToken token(const std::string& name, Role role, std::optional<Id> school, const std::string& hash,
                 TokenOrigin origin = TokenOrigin::api) {
    ApiToken t;
    t.name = name;
    t.role = role;
    t.school_id = school;
    return write([t, hash, origin](Session& s) { return insert_token(s, t, hash, origin); });
  }
  bool active(const ApiToken& t) {
    return read([id = t.id](Session& s) { return !find_token(s, id)->revoked_at; });
  }
};

TEST_P(TokensRepository, InsertAndFindActiveByHash) {
  auto school = make_school();
  auto admin = token("root", Role::admin, std::nullopt, "h-admin");
  auto device = token("kiosk 1", Role::device, school.id, "h-device");
  EXPECT_GT(admin.id, 0);
  EXPECT_EQ(admin.role, Role::admin);
  EXPECT_FALSE(admin.school_id);
  EXPECT_FALSE(admin.revoked_at);
  EXPECT_GT(admin.inserted_at.time_since_epoch().count(), 0);
  EXPECT_EQ(device.school_id, std::optional<Id>(school.id));

  auto found = read([](Session& s) { return find_active_token_by_hash(s, "h-device"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, device.id);
  EXPECT_EQ(found->name, "kiosk 1");
  EXPECT_EQ(found->role, Role::device);
  EXPECT_FALSE(read([](Session& s) { return find_active_token_by_hash(s, "h-unknown"); }));
  EXPECT_ANY_THROW(token("dup", Role::admin, std::nullopt, "h-admin"));  // hashes are unique
}

TEST_P(TokensRepository, RevokeHidesTheTokenAtOnce) {
  auto admin = token("root", Role::admin, std::nullopt, "h1");
  token("other admin", Role::admin, std::nullopt, "h2");
  EXPECT_EQ(read([](Session& s) { return count_active_admin_tokens(s); }), 2);

  EXPECT_TRUE(write([id = admin.id](Session& s) { return revoke_token(s, id); }));
  EXPECT_FALSE(write([id = admin.id](Session& s) { return revoke_token(s, id); }));
  EXPECT_FALSE(write([](Session& s) { return revoke_token(s, 5555); }));
  EXPECT_FALSE(read([](Session& s) { return find_active_token_by_hash(s, "h1"); }));
  EXPECT_EQ(read([](Session& s) { return count_active_admin_tokens(s); }), 1);
  auto revoked = read([id = admin.id](Session& s) { return find_token(s, id); });
  ASSERT_TRUE(revoked);
  ASSERT_TRUE(revoked->revoked_at);
  EXPECT_GE(*revoked->revoked_at, revoked->inserted_at);
}

TEST_P(TokensRepository, RetiringEnvironmentTokensRevokesOnlyOlderActiveOnesOfThatOrigin) {
  const std::string env_name = "bootstrap admin (ATTENDANCE_ADMIN_TOKEN)";
  auto first = token(env_name, Role::admin, std::nullopt, "e1", TokenOrigin::environment);
  auto minted = token(env_name, Role::admin, std::nullopt, "api", TokenOrigin::api);  // same name, from the API
  auto generated = token("bootstrap admin", Role::admin, std::nullopt, "gen", TokenOrigin::generated);
  auto second = token(env_name, Role::admin, std::nullopt, "e2", TokenOrigin::environment);
  auto already = token(env_name, Role::admin, std::nullopt, "e3", TokenOrigin::environment);
  write([id = already.id](Session& s) { return revoke_token(s, id); });
  auto current = token(env_name, Role::admin, std::nullopt, "e4", TokenOrigin::environment);
  auto newer = token(env_name, Role::admin, std::nullopt, "e5", TokenOrigin::environment);

  auto retired = write([id = current.id](Session& s) { return revoke_environment_tokens_before(s, id); });
  EXPECT_EQ(retired, (std::vector<Id>{first.id, second.id})) << "the already revoked one is not counted";
  EXPECT_FALSE(active(first));
  EXPECT_FALSE(active(second));
  EXPECT_TRUE(active(minted));
  EXPECT_TRUE(active(generated));
  EXPECT_TRUE(active(current));
  EXPECT_TRUE(active(newer)) << "only older tokens are retired";
  EXPECT_TRUE(write([id = current.id](Session& s) { return revoke_environment_tokens_before(s, id); }).empty());
}

TEST_P(TokensRepository, ListPagesThroughAllTokensIncludingRevoked) {
  auto t1 = token("a", Role::admin, std::nullopt, "a");
  auto t2 = token("b", Role::admin, std::nullopt, "b");
  auto t3 = token("c", Role::admin, std::nullopt, "c");
  write([id = t2.id](Session& s) { return revoke_token(s, id); });
  auto page1 = read([](Session& s) { return list_tokens(s, Page{std::nullopt, 2}); });
  ASSERT_EQ(page1.size(), 2u);
  EXPECT_EQ(page1[0].id, t1.id);
  EXPECT_EQ(page1[1].id, t2.id);
  EXPECT_TRUE(page1[1].revoked_at);
  auto page2 = read([after = page1[1].id](Session& s) { return list_tokens(s, Page{after, 2}); });
  ASSERT_EQ(page2.size(), 1u);
  EXPECT_EQ(page2[0].id, t3.id);
  EXPECT_FALSE(read([](Session& s) { return find_token(s, 999); }));
}

class ImagesRepository : public StorageTest {};

TEST_P(ImagesRepository, BytesRoundTripExactlyAndTheFirstCopyWins) {
  std::string bytes("\x89PNG\r\n\x1a\n", 8);
  bytes += std::string("\0\0\0\rIHDR", 8);
  for (int i = 0; i < 1000; ++i) bytes += static_cast<char>(i % 256);
  write([&](Session& s) {
    put_image(s, domain::Image{"hash-1", "image/png", bytes});
    put_image(s, domain::Image{"hash-1", "image/jpeg", "other"});  // same hash: kept as first stored
    put_image(s, domain::Image{"hash-empty", "image/webp", ""});
    return domain::Done{};
  });
  auto image = read([](Session& s) { return find_image(s, "hash-1"); });
  ASSERT_TRUE(image);
  EXPECT_EQ(image->hash, "hash-1");
  EXPECT_EQ(image->content_type, "image/png");
  EXPECT_EQ(image->bytes, bytes);
  auto empty = read([](Session& s) { return find_image(s, "hash-empty"); });
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->bytes, "");
  EXPECT_FALSE(read([](Session& s) { return find_image(s, "nope"); }));
}

ATTENDANCE_STORAGE_BACKENDS(TokensRepository);
ATTENDANCE_STORAGE_BACKENDS(ImagesRepository);

}  // namespace
}  // namespace attendance::storage
