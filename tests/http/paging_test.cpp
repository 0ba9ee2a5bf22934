#include "http/paging.hpp"

#include <gtest/gtest.h>

#include "http_support.hpp"

namespace attendance::http {
namespace {

using testing::TestRequest;

domain::Result<storage::Page> page_of(std::string_view target, std::size_t max_page_size = 1000) {
  TestRequest t(target);
  t.app.max_page_size = max_page_size;
  return read_page(t.req);
}

// The page the client sees: fetched.limit is one more than shown, to know whether more follow.
TEST(ReadPage, DefaultsToAHundredRowsFromTheStart) {
  auto page = page_of("/api/users");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->limit, 101);
  EXPECT_FALSE(page->after);
}

TEST(ReadPage, AcceptsLimitsFromOneToTheMaximum) {
  for (int limit : {1, 50, 1000}) {
    auto page = page_of("/api/users?limit=" + std::to_string(limit));
    ASSERT_TRUE(page) << limit;
    EXPECT_EQ(page->limit, limit + 1);
  }
  auto small = page_of("/api/users?limit=20", 20);
  ASSERT_TRUE(small);
  EXPECT_EQ(small->limit, 21);
}

TEST(ReadPage, RefusesALimitOutsideTheBoundsOrNotAnInteger) {
  for (const char* limit : {"0", "-1", "1001", "abc", "10x", "", "1.5", "99999999999"}) {
    auto page = page_of(std::string("/api/users?limit=") + limit);
    ASSERT_FALSE(page) << limit;
    EXPECT_EQ(page.error().kind, domain::ErrorKind::unprocessable);
    EXPECT_EQ(page.error().fields, (domain::FieldErrors{{"limit", {"must be an integer from 1 to 1000"}}})) << limit;
  }
  auto page = page_of("/api/users?limit=21", 20);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().fields, (domain::FieldErrors{{"limit", {"must be an integer from 1 to 20"}}}));
}

TEST(ReadPage, ContinuesAfterAnId) {
  auto page = page_of("/api/users?after=42&limit=10");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->after, 42);
  EXPECT_EQ(page->limit, 11);
}

TEST(ReadPage, RefusesAnAfterThatIsNotAPositiveId) {
  for (const char* after : {"0", "-5", "x", "", "4.0"}) {
    auto page = page_of(std::string("/api/users?after=") + after);
    ASSERT_FALSE(page) << after;
    EXPECT_EQ(page.error().fields, (domain::FieldErrors{{"after", {"must be a positive integer id"}}})) << after;
  }
}

TEST(ReadPage, ReportsBothBadParametersAtOnce) {
  auto page = page_of("/api/users?after=x&limit=0");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().fields.size(), 2U);
}

struct Row {
  domain::Id id;
};

TEST(FinishPage, TrimsTheExtraRowAndPointsAtTheLastShown) {
  storage::Page fetched{std::nullopt, 3};  // limit=2 asked
  std::vector<Row> rows{{5}, {6}, {7}};
  EXPECT_EQ(finish_page(rows, fetched), 6);
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows.back().id, 6);
}

TEST(FinishPage, TheLastPageHasNoNext) {
  storage::Page fetched{std::nullopt, 3};
  std::vector<Row> exact{{5}, {6}};
  EXPECT_FALSE(finish_page(exact, fetched));
  EXPECT_EQ(exact.size(), 2U);
  std::vector<Row> none;
  EXPECT_FALSE(finish_page(none, fetched));
}

TEST(FinishPage, UsesTheGivenIdOfADescendingList) {
  storage::Page fetched{domain::Id{100}, 3};
  std::vector<Row> rows{{90}, {80}, {70}};
  EXPECT_EQ(finish_page(rows, fetched, [](const Row& r) { return r.id; }), 80);
}

}  // namespace
}  // namespace attendance::http
