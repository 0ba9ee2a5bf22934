#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <soci/postgresql/soci-postgresql.h>

#include "domain/result.hpp"
#include "storage/connection.hpp"
#include "storage/database_error.hpp"
#include "storage/migrations.hpp"
#include "storage/scan.hpp"
#include "storage/sql.hpp"
#include "storage/storage_support.hpp"
#include "support/eventually.hpp"

namespace attendance::storage {
namespace {

using domain::Done;
using test_support::eventually;
using testing::StorageTest;
using testing::ThreadBlocker;
using namespace std::chrono_literals;

domain::School school_named(const std::string& name) {
  domain::School school;
  school.name = name;
  return school;
}

class DatabaseTest : public StorageTest {
 protected:
  std::size_t school_count() {
    return read([](Session& s) { return list_schools(s, std::nullopt, Page{std::nullopt, 100000}); }).size();
  }
  bool school_exists(const std::string& name) {
    auto all = read([](Session& s) { return list_schools(s, std::nullopt, Page{std::nullopt, 100000}); });
    return std::any_of(all.begin(), all.end(), [&](const auto& s) { return s.name == name; });
  }
  bool wait_for_queued_writes(std::uint64_t n) {
    return eventually([&] { return db().stats().write_queue >= n; });
  }
};

TEST(DatabaseError, SociErrorsReachWaitersAsACopyWithTheirMessage) {
  auto shared = shareable(std::make_exception_ptr(soci::soci_error("disk I/O error")));
  try {
    std::rethrow_exception(shared);
  } catch (const soci::soci_error&) {
    ADD_FAILURE() << "a soci_error builds its message in what(), so waiters on other threads must not share one";
  } catch (const DatabaseError& e) {
    EXPECT_STREQ(e.what(), "disk I/O error");
  }
  auto other = std::make_exception_ptr(std::out_of_range("no user 5"));
  EXPECT_EQ(shareable(other), other) << "other exceptions keep their type";
  EXPECT_EQ(shareable(nullptr), nullptr);
}

TEST(DatabaseUrl, NamesTheBackend) {
  EXPECT_EQ(backend_of_url("sqlite:data/attendance.db"), Backend::sqlite);
  EXPECT_EQ(backend_of_url("sqlite:/tmp/x.db"), Backend::sqlite);
  EXPECT_EQ(backend_of_url("postgresql://u@localhost:5432/db"), Backend::postgresql);
  EXPECT_EQ(backend_of_url("postgres://u@localhost/db"), Backend::postgresql);
  EXPECT_THROW(backend_of_url("mysql://u@h/db"), std::invalid_argument);
  EXPECT_THROW(backend_of_url("sqlite:"), std::invalid_argument);
  EXPECT_THROW(backend_of_url("data/attendance.db"), std::invalid_argument);
}

constexpr const char* kTimeouts =
    " connect_timeout='5' keepalives='1' keepalives_idle='30' keepalives_interval='10' keepalives_count='3'"
    " tcp_user_timeout='30000'";

TEST(DatabaseUrl, PostgresqlUrlBecomesLibpqKeywords) {
  EXPECT_EQ(target_of_url("postgresql://postgres@127.0.0.1:55432/attendance_test").connect_string,
            std::string("host='127.0.0.1' port='55432' user='postgres' dbname='attendance_test'") + kTimeouts);
  EXPECT_EQ(target_of_url("postgres://u:p%27w@db.example/app?sslmode=require").connect_string,
            std::string("host='db.example' user='u' password='p\\'w' dbname='app' sslmode='require'") + kTimeouts);
  EXPECT_EQ(target_of_url("sqlite:data/attendance.db").connect_string, "data/attendance.db");
}

// A vanished database host must not hang a connect or a query for long: every connection gets
// libpq timeouts, and a URL that sets one of them keeps its own value.
TEST(DatabaseUrl, PostgresqlConnectionsGetTimeoutsUnlessTheUrlSetsThem) {
  const auto own = target_of_url("postgresql://u@db/app?connect_timeout=2&keepalives_idle=120").connect_string;
  EXPECT_EQ(own,
            "host='db' user='u' dbname='app' connect_timeout='2' keepalives_idle='120' keepalives='1'"
            " keepalives_interval='10' keepalives_count='3' tcp_user_timeout='30000'");
}

TEST(DatabaseUrl, UnreachableDatabaseFailsTheConstructor) {
  DatabaseOptions options;
  options.url = "postgresql://nobody@127.0.0.1:1/none";
  EXPECT_ANY_THROW(Database{options});
}

TEST_P(DatabaseTest, DurabilitySettingsAreInForceOnEveryConnection) {
  if (GetParam() == Backend::sqlite) {
    const auto path = scratch_->url().substr(std::string("sqlite:").size());
    EXPECT_TRUE(std::filesystem::exists(path)) << "the parent directory is created on demand";
    auto check = [](Session& s) {
      EXPECT_EQ(sql::fetch_integer(s, "PRAGMA synchronous", {}), 2) << "synchronous=FULL";
      EXPECT_EQ(sql::fetch_integer(s, "PRAGMA foreign_keys", {}), 1);
      EXPECT_GE(sql::fetch_integer(s, "PRAGMA busy_timeout", {}), 1000);
      EXPECT_EQ(sql::fetch_text(s, "PRAGMA journal_mode", {}), "wal");
      return Done{};
    };
    write(check);
    for (int i = 0; i < 4; ++i) read(check);  // readers too
  } else {
    auto check = [](Session& s) {
      EXPECT_EQ(sql::fetch_text(s, "SHOW synchronous_commit", {}), "on");
      EXPECT_EQ(sql::fetch_text(s, "SHOW fsync", {}), "on");
      return Done{};
    };
    write(check);
    read(check);
  }
}

TEST_P(DatabaseTest, ConnectionsWaitForTheFlushEvenWhenTheDatabaseSaysNotTo) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "SQLite's setting is per connection (checked above)";
  write([](Session& s) {
    sql::execute(s, "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database()); END $$", {});
    return Done{};
  });
  close();
  open();  // new connections, whose default is now off
  auto setting = [](Session& s) { return sql::fetch_text(s, "SHOW synchronous_commit", {}); };
  EXPECT_EQ(write(setting), "on") << "a write acknowledged before its commit is on disk would not survive a crash";
  EXPECT_EQ(read(setting), "on");
}

TEST_P(DatabaseTest, MigrationsApplyOnceAndSurviveRestart) {
  make_school("persisted");
  auto versions = read([](Session& s) { return applied_migrations(s); });
  ASSERT_EQ(versions.size(), migrations().size());
  EXPECT_EQ(versions.front(), 1);
  close();
  open();
  open();
  EXPECT_EQ(read([](Session& s) { return applied_migrations(s); }), versions);
  EXPECT_TRUE(school_exists("persisted"));
}

TEST_P(DatabaseTest, MigrationFourMarksTheTokensTheBootstrapMadeFromTheVariableBeforeIt) {
  auto school = make_school();
  // The database as version 3 left it, with the tokens a server of then could have written.
  write([](Session& s) {
    sql::execute(s, "ALTER TABLE api_tokens DROP COLUMN origin", {});
    sql::execute(s, "DELETE FROM schema_migrations WHERE version = 4", {});
    return Done{};
  });
  const std::string env_name = "bootstrap admin (ATTENDANCE_ADMIN_TOKEN)";
  auto insert = [this](std::string name, std::string role, std::optional<long long> school_id, std::string hash) {
    write([=](Session& s) {
      sql::execute(s,
                   "INSERT INTO api_tokens (name, role, school_id, secret_hash, inserted_at)"
                   " VALUES (:name, :role, :school_id, :hash, @at(:now))",
                   {sql::Param::of(name), sql::Param::of(role), sql::Param::of(school_id), sql::Param::of(hash),
                    sql::Param::of(sql::micros_of(sql::now()))});
      return Done{};
    });
  };
  insert(env_name, "admin", std::nullopt, "env");
  insert("bootstrap admin", "admin", std::nullopt, "generated");
  insert(env_name, "school_admin", school.id, "scoped");  // an API token: the bootstrap made admins only
  insert("bootstrap admin (ATTENDANCE_ADMIN_TOKEN) 2", "admin", std::nullopt, "other name");
  close();
  open();

  auto origin = [this](std::string hash) {
    return read([hash](Session& s) {
      return sql::fetch_text(s, "SELECT origin FROM api_tokens WHERE secret_hash = :hash", {sql::Param::of(hash)});
    });
  };
  EXPECT_EQ(origin("env"), "environment");
  EXPECT_EQ(origin("generated"), "api") << "not told apart from an API token of that name";
  EXPECT_EQ(origin("scoped"), "api");
  EXPECT_EQ(origin("other name"), "api");
  EXPECT_EQ(read([](Session& s) { return applied_migrations(s); }).size(), migrations().size());
}

TEST_P(DatabaseTest, ProcessesStartingTogetherMigrateOnce) {
  auto fresh = testing::ScratchDatabase::create(GetParam());
  ASSERT_NE(fresh, nullptr);
  DatabaseOptions options = options_for_test();
  options.url = fresh->url();
  std::vector<std::future<std::vector<int>>> starts;
  for (int i = 0; i < 4; ++i) {
    starts.push_back(std::async(std::launch::async, [options] {
      Database db(options);
      return db.read_now([](Session& s) { return applied_migrations(s); });
    }));
  }
  for (auto& start : starts) EXPECT_EQ(start.get().size(), migrations().size());
}

TEST_P(DatabaseTest, QueuedWritesShareOneCommit) {
  const auto before = db().stats();
  constexpr int kJobs = 20;
  std::vector<std::thread> writers;
  {
    ThreadBlocker blocker(db());
    for (int i = 0; i < kJobs; ++i) {
      writers.emplace_back([this, i] { make_school("grouped " + std::to_string(i)); });
    }
    ASSERT_TRUE(wait_for_queued_writes(kJobs));
  }
  for (auto& t : writers) t.join();
  const auto after = db().stats();
  EXPECT_EQ(school_count(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(after.writes - before.writes, kJobs + 1u);
  EXPECT_EQ(after.commits - before.commits, 2u) << "the blocker's commit and one for all the queued jobs";
}

TEST_P(DatabaseTest, ManyConcurrentWritersAllLandWithFewerCommitsThanJobs) {
  const auto before = db().stats();
  constexpr int kThreads = 16, kEach = 20;
  std::vector<std::thread> writers;
  {
    ThreadBlocker blocker(db());  // guarantees the first wave queues up together
    for (int t = 0; t < kThreads; ++t) {
      writers.emplace_back([this, t] {
        for (int i = 0; i < kEach; ++i) make_school("w" + std::to_string(t) + "-" + std::to_string(i));
      });
    }
    ASSERT_TRUE(wait_for_queued_writes(kThreads));
  }
  for (auto& t : writers) t.join();
  const auto after = db().stats();
  EXPECT_EQ(school_count(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(after.writes - before.writes, kThreads * kEach + 1u);
  EXPECT_LT(after.commits - before.commits, after.writes - before.writes);
}

TEST_P(DatabaseTest, ThrowingJobRollsBackOnlyItsOwnChanges) {
  const auto before = db().stats();
  std::future<domain::School> a, b, c;
  {
    ThreadBlocker blocker(db());
    a = std::async(std::launch::async, [this] { return make_school("A"); });
    ASSERT_TRUE(wait_for_queued_writes(1));
    b = std::async(std::launch::async, [this] {
      return write([](Session& s) -> domain::School {
        insert_school(s, school_named("B"));
        throw std::runtime_error("job B failed");
      });
    });
    ASSERT_TRUE(wait_for_queued_writes(2));
    c = std::async(std::launch::async, [this] { return make_school("C"); });
    ASSERT_TRUE(wait_for_queued_writes(3));
  }
  EXPECT_EQ(a.get().name, "A");
  try {
    b.get();
    ADD_FAILURE() << "job B's caller should get its exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "job B failed");
  }
  EXPECT_EQ(c.get().name, "C");
  EXPECT_TRUE(school_exists("A"));
  EXPECT_FALSE(school_exists("B"));
  EXPECT_TRUE(school_exists("C"));
  EXPECT_EQ(db().stats().commits - before.commits, 2u) << "A, B and C shared one transaction";
}

TEST_P(DatabaseTest, FailedResultLeavesNothingBehind) {
  std::future<domain::Result<domain::School>> refused, accepted;
  {
    ThreadBlocker blocker(db());
    refused = std::async(std::launch::async, [this] {
      return write([](Session& s) -> domain::Result<domain::School> {
        insert_school(s, school_named("refused"));
        return domain::Error::conflict("name", "taken");
      });
    });
    ASSERT_TRUE(wait_for_queued_writes(1));
    accepted = std::async(std::launch::async, [this] {
      return write([](Session& s) -> domain::Result<domain::School> { return insert_school(s, school_named("ok")); });
    });
    ASSERT_TRUE(wait_for_queued_writes(2));
  }
  auto r = refused.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, domain::ErrorKind::conflict);
  EXPECT_TRUE(accepted.get().ok());
  EXPECT_FALSE(school_exists("refused"));
  EXPECT_TRUE(school_exists("ok"));
}

TEST_P(DatabaseTest, ShutdownFinishesQueuedJobs) {
  constexpr int kJobs = 10;
  std::vector<std::future<domain::School>> results;
  auto blocker = std::make_unique<ThreadBlocker>(db());
  for (int i = 0; i < kJobs; ++i) {
    results.push_back(std::async(std::launch::async, [this, i] { return make_school("drain " + std::to_string(i)); }));
  }
  ASSERT_TRUE(wait_for_queued_writes(kJobs));
  auto closing = std::async(std::launch::async, [this] { close(); });
  EXPECT_EQ(closing.wait_for(100ms), std::future_status::timeout) << "the destructor waits for queued jobs";
  blocker->release();
  closing.get();
  for (auto& r : results) EXPECT_GT(r.get().id, 0);
  blocker.reset();
  open();
  EXPECT_EQ(school_count(), static_cast<std::size_t>(kJobs));
}

boost::asio::awaitable<std::string> coroutine_round_trip(Database* db, std::thread::id io_thread) {
  auto school = co_await db->write(7, [](Session& s) { return insert_school(s, school_named("from a coroutine")); });
  EXPECT_EQ(std::this_thread::get_id(), io_thread) << "resumed on the coroutine's executor";
  auto pending = db->read([id = school.id](Session& s) { return find_school(s, id); });
  auto found = co_await std::move(pending);
  EXPECT_EQ(std::this_thread::get_id(), io_thread);
  bool thrown = false;
  try {
    co_await db->read([](Session& s) { return sql::fetch_integer(s, "SELECT no_such_column FROM schools", {}); });
  } catch (const DatabaseError&) {
    thrown = true;
  }
  EXPECT_TRUE(thrown) << "a job's exception reaches the awaiting coroutine";
  co_return found ? found->name : std::string();
}

TEST_P(DatabaseTest, CoroutinesAwaitReadsAndWrites) {
  boost::asio::io_context io;
  auto result = boost::asio::co_spawn(io, coroutine_round_trip(&db(), std::this_thread::get_id()),
                                      boost::asio::use_future);
  io.run();
  EXPECT_EQ(result.get(), "from a coroutine");
}

TEST_P(DatabaseTest, PingAnswersAndStatsCount) {
  const auto before = db().stats();
  EXPECT_TRUE(db().ping());
  make_school();
  const auto after = db().stats();
  EXPECT_GE(after.reads, before.reads + 1);
  EXPECT_EQ(after.writes, before.writes + 1);
  EXPECT_EQ(after.commits, before.commits + 1);
  EXPECT_EQ(after.read_queue, 0u);
  EXPECT_EQ(after.write_queue, 0u);
}

// ---- PostgreSQL only ----

// Kills every server connection of the test's database, as a server restart would, and waits
// (up to 5 s each) until those backends are gone.
void kill_connections_of(const std::string& url) {
  soci::session maintenance(*soci::factory_postgresql(), target_of_url(url).connect_string);
  Session s{maintenance, Backend::postgresql};
  // OFFSET 0 keeps the filter inside: this session must not be among those terminated.
  auto killed = sql::fetch_integer(s,
                                   "SELECT COUNT(*) FROM (SELECT pid FROM pg_stat_activity"
                                   " WHERE datname = current_database() AND pid <> pg_backend_pid() OFFSET 0) AS others"
                                   " WHERE pg_terminate_backend(pid, 5000)",
                                   {});
  ASSERT_GT(killed, 0);
}

TEST_P(DatabaseTest, ConnectionsDroppedWhileIdleAreReplacedWithoutFailingAJob) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "SQLite has no server connection to lose";
  open_one_connection_each();
  make_school("before");
  EXPECT_TRUE(db().ping());

  kill_connections_of(scratch_->url());

  // Nothing had run on the dead connections: each job notices at BEGIN and reopens its own.
  EXPECT_TRUE(read([](Session& s) { return find_school(s, 1); }).has_value()) << "the read reconnected";
  EXPECT_EQ(make_school("after").name, "after") << "the write lane reconnected";
  EXPECT_TRUE(school_exists("before"));
}

TEST_P(DatabaseTest, AJobWhoseConnectionDiesFailsAndTheNextOneReconnects) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "SQLite has no server connection to lose";
  open_one_connection_each();

  // The connection dies in the middle of the job's transaction: its outcome is the caller's error.
  EXPECT_ANY_THROW(write([](Session& s) {
    insert_school(s, school_named("lost"));
    sql::fetch_integer(s, "SELECT COUNT(pg_terminate_backend(pg_backend_pid()))", {});
    return domain::Done{};
  }));
  EXPECT_EQ(make_school("after").name, "after") << "the write lane reconnected";
  EXPECT_TRUE(school_exists("after"));
  EXPECT_FALSE(school_exists("lost"));
}

TEST_P(DatabaseTest, QueriesRunTogetherOnAConnectionThatDiedFailTheJobAndTheNextOneReconnects) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "SQLite has no server connection to lose";
  open_one_connection_each();
  make_school("kept");
  const sql::Params none;
  const std::vector<scan::Query> pages{{"SELECT id FROM schools ORDER BY id", &none},
                                       {"SELECT id FROM schools ORDER BY id DESC", &none}};
  const std::string url = scratch_->url();
  // Another session ends this job's backend between two statements, as a server restart would:
  // the batch meets a dead socket, sending or receiving, and the connection must not come back
  // to the pool stuck in pipeline mode.
  EXPECT_THROW(read([&](Session& s) {
                 const auto pid = sql::fetch_integer(s, "SELECT CAST(pg_backend_pid() AS bigint)", {});
                 soci::session killer(*soci::factory_postgresql(), target_of_url(url).connect_string);
                 Session k{killer, Backend::postgresql};
                 EXPECT_EQ(sql::fetch_integer(k, "SELECT COUNT(*) FROM (SELECT 1) AS one WHERE pg_terminate_backend(:pid, 5000)",
                                              {sql::Param::of(pid)}),
                           1);
                 scan::each_row_of_all(s, pages, [](std::size_t, const scan::Columns&) {}, [](std::size_t, std::size_t) {});
                 return domain::Done{};
               }),
               DatabaseError);
  const auto ids = read([&](Session& s) {
    std::vector<std::int64_t> out;
    scan::each_row_of_all(
        s, pages, [&out](std::size_t, const scan::Columns& row) { out.push_back(row.integer(0)); },
        [](std::size_t, std::size_t) {});
    return out;
  });
  EXPECT_EQ(ids.size(), 2U) << "the next job's batch ran on a reopened connection";
}

TEST_P(DatabaseTest, AStatementPastTheTimeoutFailsItsJobAndTheConnectionServesTheNext) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "SQLite statements don't wait on a server";
  auto options = options_for_test();
  options.readers = 1;
  options.statement_timeout = std::chrono::milliseconds(300);
  open(options);
  EXPECT_EQ(read([](Session& s) { return sql::fetch_text(s, "SHOW statement_timeout", {}); }), "300ms");
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(read([](Session& s) { return sql::fetch_integer(s, "SELECT CAST(1 AS bigint) FROM pg_sleep(30)", {}); }),
               DatabaseError);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10)) << "cancelled, not slept out";
  EXPECT_EQ(read([](Session& s) { return sql::fetch_integer(s, "SELECT CAST(7 AS bigint)", {}); }), 7);
  EXPECT_EQ(make_school("after a timeout").name, "after a timeout");
}

TEST_P(DatabaseTest, MigrationsAreNotBoundByTheStatementTimeout) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "SQLite has no statement timeout";
  // Another session holds the migrations' table for a second: a start with a 200 ms statement
  // timeout waits for it, as it would wait for a long migration, instead of failing.
  soci::session holder(*soci::factory_postgresql(), target_of_url(scratch_->url()).connect_string);
  holder << "BEGIN";
  holder << "LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE";
  auto options = options_for_test();
  options.statement_timeout = std::chrono::milliseconds(200);
  auto opened = std::async(std::launch::async, [options] {
    Database db(options);
    return db.read_now([](Session& s) { return applied_migrations(s); }).size();
  });
  EXPECT_EQ(opened.wait_for(std::chrono::seconds(1)), std::future_status::timeout) << "waits for the lock";
  holder << "ROLLBACK";
  EXPECT_EQ(opened.get(), migrations().size());
}

TEST_P(DatabaseTest, FindUserForUpdateLocksTheRowOnPostgresql) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "SQLite serializes writers with its single lane";
  auto school = make_school();
  auto user = make_user(school.id);
  soci::session holder(*soci::factory_postgresql(), target_of_url(scratch_->url()).connect_string);
  soci::session other(*soci::factory_postgresql(), target_of_url(scratch_->url()).connect_string);
  Session holding{holder, Backend::postgresql};
  holder << "BEGIN";
  ASSERT_TRUE(find_user_for_update(holding, user.id));
  Session contender{other, Backend::postgresql};
  auto try_lock = [&] {
    return sql::fetch_integer(contender, "SELECT id FROM users WHERE id = :id FOR UPDATE NOWAIT",
                              {sql::Param::of(static_cast<long long>(user.id))});
  };
  EXPECT_ANY_THROW(try_lock()) << "the row is locked by the holder's transaction";
  holder << "ROLLBACK";
  EXPECT_EQ(try_lock(), user.id);
}

ATTENDANCE_STORAGE_BACKENDS(DatabaseTest);

}  // namespace
}  // namespace attendance::storage
