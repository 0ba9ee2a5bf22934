// Scans read straight from the database's C API (storage/scan.hpp), on both backends: the rows and
// values SOCI would have read (NULL and empty text told apart, instants as microseconds),
// parameters of every kind, a kept statement reused with new values, and failures that leave
// nothing kept behind.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "domain/result.hpp"
#include "storage/database_error.hpp"
#include "storage/sql.hpp"
#include "storage/scan.hpp"
#include "storage/statement_cache.hpp"
#include "storage/storage_support.hpp"

namespace attendance::storage {
namespace {

using sql::Param;

class Scan : public testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // So a job after a failure surely runs on the connection the failure left (or on its
    // replacement): with two, a test of that could pass on the other one.
    open_one_connection_each();
    write([](Session& s) {
      sql::execute(s, "CREATE TABLE scanned (n bigint, x double precision, t text)", {});
      sql::execute(s, "INSERT INTO scanned VALUES (1, 1.5, 'one'), (2, -2.25, NULL), (3, 0, 'dr\xc3\xbc\"'), (5, 5, '')", {});
      return domain::Done{};
    });
  }

  struct Row {
    std::int64_t n;
    double x;
    std::optional<std::string> t;
    bool operator==(const Row&) const = default;
  };

  std::vector<Row> scan(std::string_view templ, sql::Params params) {
    return read([templ, params = std::move(params)](Session& s) {
      std::vector<Row> rows;
      scan::each_row(s, templ, params, [&rows](const scan::Columns& row) {
        std::optional<std::string> t;
        if (auto text = row.optional_text(2)) t = std::string(*text);
        EXPECT_EQ(row.is_null(2), !t.has_value());
        EXPECT_EQ(row.text(2), t.value_or(""));
        rows.push_back(Row{row.integer(0), row.real(1), t});
      });
      return rows;
    });
  }
};

TEST_P(Scan, ReadsEveryRowWithItsValuesAndNulls) {
  EXPECT_EQ(scan("SELECT n, x, t FROM scanned ORDER BY n", {}),
            (std::vector<Row>{{1, 1.5, "one"}, {2, -2.25, std::nullopt}, {3, 0.0, "dr\xc3\xbc\""}, {5, 5.0, ""}}));
}

TEST_P(Scan, BindsIntegersRealsTextsAndNullsByPosition) {
  const auto templ = "SELECT n, x, t FROM scanned WHERE n >= :min AND x <= :max AND (t = :t OR CAST(:t2 AS text) IS NULL) ORDER BY n";
  EXPECT_EQ(scan(templ, {Param::of(2LL), Param::of(5.0), Param::of(std::string("one")), Param::of(std::string("x"))}),
            std::vector<Row>{});
  EXPECT_EQ(scan(templ, {Param::of(1LL), Param::of(5.0), Param::of(std::string("one")), Param::of(std::string("x"))}),
            (std::vector<Row>{{1, 1.5, "one"}}));
  EXPECT_EQ(scan(templ, {Param::of(2LL), Param::of(5.0), Param::of(std::string("-")), Param::of(std::optional<long long>())}),
            (std::vector<Row>{{2, -2.25, std::nullopt}, {3, 0.0, "dr\xc3\xbc\""}, {5, 5.0, ""}}));
}

TEST_P(Scan, AKeptStatementRunsAgainWithNewValuesAndStopsWhereTheVisitStopsReading) {
  const auto templ = "SELECT n, x, t FROM scanned WHERE n > :after ORDER BY n LIMIT :limit";
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(scan(templ, {Param::of(0LL), Param::of(1LL)}), (std::vector<Row>{{1, 1.5, "one"}}));
    EXPECT_EQ(scan(templ, {Param::of(1LL), Param::of(5LL)}).size(), 3U);
  }
  // A scan its LIMIT stopped mid-table must not keep its snapshot: the next scan sees a row written since.
  write([](Session& s) {
    sql::execute(s, "INSERT INTO scanned VALUES (4, 4, 'four')", {});
    return domain::Done{};
  });
  EXPECT_EQ(scan(templ, {Param::of(3LL), Param::of(5LL)}), (std::vector<Row>{{4, 4.0, "four"}, {5, 5.0, ""}}));
}

TEST_P(Scan, FailuresThrowAndLeaveNoStatementKept) {
  EXPECT_THROW(scan("SELECT n FROM no_such_table", {}), DatabaseError);  // SQLite's message, as SOCI's errors
  EXPECT_THROW(scan("SELECT n, x, t FROM scanned WHERE n = :n", {}), std::logic_error);  // a parameter missing
  const auto kept = read([](Session& s) {
    const auto before = s.statements->size();
    EXPECT_THROW(scan::each_row(s, "SELECT n, x, t FROM scanned WHERE n = :n", {}, [](const auto&) {}),
                 std::logic_error);
    return s.statements->size() - before;
  });
  EXPECT_EQ(kept, 0U);
  // A visit that throws ends the scan; the same statement then runs whole.
  EXPECT_THROW(read([](Session& s) {
                 scan::each_row(s, "SELECT n, x, t FROM scanned ORDER BY n", {},
                                       [](const auto&) { throw std::runtime_error("stop"); });
                 return domain::Done{};
               }),
               std::runtime_error);
  EXPECT_EQ(scan("SELECT n, x, t FROM scanned ORDER BY n", {}).size(), 4U);
}

TEST_P(Scan, QueriesRunTogetherAreVisitedInOrderAndAFailureLeavesTheConnectionUsable) {
  const sql::Params first{Param::of(1LL)}, second{Param::of(3LL)}, none;
  const std::vector<scan::Query> queries{{"SELECT n FROM scanned WHERE n > :after ORDER BY n", &first},
                                         {"SELECT n FROM scanned WHERE n = :n", &second},
                                         {"SELECT n FROM scanned WHERE n < 0", &none}};
  const auto visited = read([&queries](Session& s) {
    std::vector<std::vector<std::int64_t>> out(queries.size());
    std::vector<std::size_t> finished;
    scan::each_row_of_all(
        s, queries, [&out](std::size_t i, const scan::Columns& row) { out[i].push_back(row.integer(0)); },
        [&](std::size_t i, std::size_t rows) {
          EXPECT_EQ(rows, out[i].size());
          finished.push_back(i);
          EXPECT_EQ(sql::fetch_integer(s, "SELECT 7", {}), 7) << "a query between two queries' rows";
        });
    EXPECT_EQ(finished, (std::vector<std::size_t>{0, 1, 2}));
    return out;
  });
  EXPECT_EQ(visited, (std::vector<std::vector<std::int64_t>>{{2, 3, 5}, {3}, {}}));

  // The second query fails only when it runs (PostgreSQL: a division by zero; SQLite: malformed
  // JSON): the error is the database's, and the same connection then answers a scan and a SOCI
  // query. PostgreSQL has visited nothing, since the results all arrive first.
  const auto* fails_when_run = GetParam() == Backend::postgresql ? "SELECT n / (n - n) FROM scanned"
                                                                 : "SELECT json('{') FROM scanned";
  const std::vector<scan::Query> failing{queries[0], {fails_when_run, &none}, queries[1]};
  const auto after_failure = read([&](Session& s) {
    std::size_t visits = 0;
    EXPECT_THROW(scan::each_row_of_all(
                     s, failing, [&visits](std::size_t, const scan::Columns&) { ++visits; },
                     [](std::size_t, std::size_t) {}),
                 soci::soci_error);
    EXPECT_EQ(visits, s.is_postgresql() ? 0U : 3U);  // SQLite runs them one after the other
    std::vector<std::int64_t> out;
    scan::each_row(s, "SELECT n FROM scanned WHERE n = :n", second,
                   [&out](const scan::Columns& row) { out.push_back(row.integer(0)); });
    out.push_back(sql::fetch_integer(s, "SELECT 7", {}));
    return out;
  });
  EXPECT_EQ(after_failure, (std::vector<std::int64_t>{3, 7}));
}

TEST_P(Scan, QueriesRunTogetherThatLibpqRefusesToSendLeaveNoConnectionStuck) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "SQLite runs one query after the other";
  // libpq refuses to send a statement of more than 65,535 parameters, after the first query of the
  // batch is already queued: the connection can't leave pipeline mode with that result pending.
  // The queued query is synced and read, so the job fails and the connection serves the next.
  const sql::Params none;
  sql::Params many;
  std::string in_list;
  for (int i = 0; i < 70'000; ++i) {
    in_list += (i ? ", :p" : ":p") + std::to_string(i);
    many.push_back(Param::of(static_cast<long long>(i)));
  }
  const std::string too_many = "SELECT n FROM scanned WHERE n IN (" + in_list + ")";
  const std::vector<scan::Query> batch{{"SELECT n FROM scanned ORDER BY n", &none}, {too_many, &many}};
  auto backend_pid = [this] {
    return read([](Session& s) { return sql::fetch_integer(s, "SELECT pg_backend_pid()", {}); });
  };
  const auto pid_before = backend_pid();
  std::size_t visits = 0;
  EXPECT_THROW(read([&](Session& s) {
                 scan::each_row_of_all(
                     s, batch, [&visits](std::size_t, const scan::Columns&) { ++visits; },
                     [](std::size_t, std::size_t) {});
                 return domain::Done{};
               }),
               DatabaseError);
  EXPECT_EQ(visits, 0U);
  EXPECT_EQ(scan("SELECT n, x, t FROM scanned ORDER BY n", {}).size(), 4U) << "the next job's connection works";
  EXPECT_EQ(backend_pid(), pid_before) << "the connection was kept, not reopened";
}

TEST_P(Scan, QueriesRunTogetherSurviveACacheThatEmptiesWhileTheyAreKept) {
  const sql::Params none;
  const std::vector<scan::Query> queries{{"SELECT n FROM scanned WHERE n = 1", &none},
                                         {"SELECT n FROM scanned WHERE n = 2", &none},
                                         {"SELECT n FROM scanned WHERE n = 3", &none}};
  const auto visited = read([&queries](Session& s) {
    // One entry short of full: keeping the batch's second statement empties the cache.
    for (int i = 0; s.statements->size() + 1 < StatementCache::kMaxEntries; ++i) {
      sql::fetch_integer(s, "SELECT " + std::to_string(i), {});
    }
    const auto clears = s.statements->clears();
    std::vector<std::int64_t> out;
    scan::each_row_of_all(
        s, queries, [&out](std::size_t, const scan::Columns& row) { out.push_back(row.integer(0)); },
        [](std::size_t, std::size_t) {});
    EXPECT_EQ(s.statements->clears(), clears + 1);
    return out;
  });
  EXPECT_EQ(visited, (std::vector<std::int64_t>{1, 2, 3}));
}

// A row of scanned's n alone, read through SOCI (sql::fetch_each).
struct NumberRow {
  long long n = 0;
  void bind(soci::statement& st) { st.exchange(soci::into(n)); }
  long long value() const { return n; }
};

TEST_P(Scan, AVisitMayRunQueriesThatEmptyTheCacheUnderIt) {
  // Each visit runs as many different queries as the cache keeps, so the cache empties while a
  // statement is stepped or a batch's statements are kept. Without the cache's hold, the statement
  // in use is freed under its scan (ASan: heap-use-after-free).
  const sql::Params none;
  const std::vector<scan::Query> batch{{"SELECT n FROM scanned WHERE n < 3 ORDER BY n", &none},
                                       {"SELECT n FROM scanned WHERE n >= 3 ORDER BY n", &none}};
  const auto visited = read([&batch, &none](Session& s) {
    int distinct = 0;
    auto fill_the_cache = [&s, &distinct] {
      for (std::size_t i = 0; i < StatementCache::kMaxEntries; ++i) {
        EXPECT_EQ(sql::fetch_integer(s, "SELECT " + std::to_string(++distinct), {}), distinct);
      }
    };
    const auto clears = s.statements->clears();
    std::vector<std::int64_t> out;
    scan::each_row(s, "SELECT n FROM scanned ORDER BY n", none, [&](const scan::Columns& row) {
      fill_the_cache();
      out.push_back(row.integer(0));
    });
    scan::each_row_of_all(
        s, batch,
        [&](std::size_t, const scan::Columns& row) {
          fill_the_cache();
          out.push_back(row.integer(0));
        },
        [&](std::size_t, std::size_t) { fill_the_cache(); });
    sql::fetch_each<NumberRow>(s, "SELECT n FROM scanned ORDER BY n", {}, [&](const NumberRow& row) {
      fill_the_cache();
      out.push_back(row.n);
    });
    EXPECT_GE(s.statements->clears(), clears + 12) << "every visit emptied the cache at least once";
    return out;
  });
  EXPECT_EQ(visited, (std::vector<std::int64_t>{1, 2, 3, 5, 1, 2, 3, 5, 1, 2, 3, 5}));
}

TEST_P(Scan, ReadsInstantsAsMicrosecondsSinceTheUnixEpoch) {
  // Before and after PostgreSQL's own epoch (2000-01-01), to the microsecond.
  const std::vector<long long> instants{-86'400'000'001LL, 0, 946'684'799'999'999LL, 1'796'083'200'123'456LL};
  write([&](Session& s) {
    sql::execute(s, s.is_postgresql() ? "CREATE TABLE stamped (at timestamptz)" : "CREATE TABLE stamped (at INTEGER)", {});
    for (auto micros : instants) sql::execute(s, "INSERT INTO stamped VALUES (@at(:at))", {Param::of(micros)});
    return domain::Done{};
  });
  const auto read_back = read([](Session& s) {
    std::vector<long long> out;
    scan::each_row(s, "SELECT @ts(at) FROM stamped ORDER BY at", {},
                   [&out](const scan::Columns& row) { out.push_back(row.integer(0)); });
    return out;
  });
  EXPECT_EQ(read_back, instants);
}

TEST_P(Scan, PlaceholdersAreNamesOutsideQuotedText) {
  EXPECT_EQ(scan("SELECT n, x, t FROM scanned WHERE t <> ':quoted' AND n = :n", {Param::of(3LL)}),
            (std::vector<Row>{{3, 0.0, "dr\xc3\xbc\""}}));
  if (GetParam() == Backend::postgresql) {  // PostgreSQL's casts are not placeholders either
    EXPECT_EQ(scan("SELECT n::bigint, x::float8, t::text FROM scanned WHERE n = :n", {Param::of(1LL)}),
              (std::vector<Row>{{1, 1.5, "one"}}));
  }
}

TEST_P(Scan, PostgresqlRefusesAColumnReadAsAKindItIsNot) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "SQLite converts as sqlite3_column_* does";
  EXPECT_THROW(read([](Session& s) {
                 scan::each_row(s, "SELECT t FROM scanned", {}, [](const scan::Columns& row) { (void)row.integer(0); });
                 return domain::Done{};
               }),
               std::logic_error);
  EXPECT_THROW(read([](Session& s) {
                 scan::each_row(s, "SELECT n FROM scanned", {}, [](const scan::Columns& row) { (void)row.text(0); });
                 return domain::Done{};
               }),
               std::logic_error);
}

TEST_P(Scan, PostgresqlRefusesATextParameterItWouldCutShort) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "SQLite binds text by its length";
  const auto templ = "SELECT n, x, t FROM scanned WHERE t = :t";
  EXPECT_THROW(scan(templ, {Param::of(std::string("one\0two", 7))}), std::logic_error);  // not a match on "one"
  EXPECT_EQ(scan(templ, {Param::of(std::string("one"))}), (std::vector<Row>{{1, 1.5, "one"}}));
}

ATTENDANCE_STORAGE_BACKENDS(Scan);

}  // namespace
}  // namespace attendance::storage
