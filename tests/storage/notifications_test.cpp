// NotificationChannel against the real PostgreSQL of the tests (skipped without one): payloads
// cross between two channels on one database, and a channel whose backend is killed comes back
// by itself.

#include "storage/notifications.hpp"

#include <chrono>
#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "storage/connection.hpp"
#include "storage_support.hpp"

namespace attendance::storage {
namespace {

using namespace std::chrono_literals;
using Gap = NotificationChannel::Gap;

constexpr auto kDeadline = 10s;

// What one channel heard, with a bounded wait for the next thing a test expects.
class Heard {
 public:
  NotificationChannel::OnPayload on_payload() {
    return [this](std::string_view payload) { add([&] { payloads_.emplace_back(payload); }); };
  }
  NotificationChannel::OnGap on_gap() {
    return [this](Gap gap) { add([&] { gaps_.push_back(gap); }); };
  }

  bool wait_for_payload(const std::string& payload) {
    return wait([&] { return std::find(payloads_.begin(), payloads_.end(), payload) != payloads_.end(); });
  }
  bool wait_for_gaps(std::size_t count) {
    return wait([&] { return gaps_.size() >= count; });
  }
  std::vector<std::string> payloads_seen() const {
    std::lock_guard lock(mutex_);
    return payloads_;
  }
  std::vector<Gap> gaps_seen() const {
    std::lock_guard lock(mutex_);
    return gaps_;
  }

 private:
  void add(const std::function<void()>& change) {
    {
      std::lock_guard lock(mutex_);
      change();
    }
    changed_.notify_all();
  }
  bool wait(const std::function<bool()>& done) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kDeadline, done);
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> payloads_;
  std::vector<Gap> gaps_;
};

// A channel and what it heard.
struct Listener {
  explicit Listener(NotificationChannelOptions options)
      : channel(std::move(options), heard.on_payload(), heard.on_gap()) {}
  Heard heard;  // first: the channel's thread reports into it
  NotificationChannel channel;
};

class NotificationChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::postgres_test_url().empty()) {
      GTEST_SKIP() << "needs ATTENDANCE_TEST_POSTGRES_URL (scripts/pg-test-server.sh start)";
    }
    scratch_ = testing::ScratchDatabase::create(Backend::postgresql);
    ASSERT_NE(scratch_, nullptr);
  }

  NotificationChannelOptions options(const std::string& application_name) const {
    NotificationChannelOptions options;
    options.url = scratch_->url();
    options.channel = "test_changes";
    options.application_name = application_name;
    options.min_backoff = 50ms;
    return options;
  }

  // A channel on the scratch database, started and connected (the test fails when it does not connect).
  std::unique_ptr<Listener> listen(const std::string& application_name) const {
    auto listener = std::make_unique<Listener>(options(application_name));
    listener->channel.start();
    EXPECT_TRUE(listener->heard.wait_for_gaps(1)) << application_name << " did not connect";
    return listener;
  }

  // The one value a statement answers, on a connection of its own.
  std::string query(const std::string& sql) const {
    PGconn* connection = PQconnectdb(target_of_url(scratch_->url()).connect_string.c_str());
    PGresult* result = PQexec(connection, sql.c_str());
    std::string value = PQresultStatus(result) == PGRES_TUPLES_OK ? PQgetvalue(result, 0, 0) : PQerrorMessage(connection);
    PQclear(result);
    PQfinish(connection);
    return value;
  }

  std::unique_ptr<testing::ScratchDatabase> scratch_;
};

TEST_F(NotificationChannelTest, APayloadReachesEveryListenerOfTheDatabase) {
  auto a = listen("test-a");
  auto b = listen("test-b");
  EXPECT_EQ(b->heard.gaps_seen(), std::vector<Gap>{Gap::connected});

  ASSERT_TRUE(a->channel.publish(R"({"kind":"tokens"})"));
  EXPECT_TRUE(b->heard.wait_for_payload(R"({"kind":"tokens"})"));
  EXPECT_TRUE(a->heard.wait_for_payload(R"({"kind":"tokens"})"));  // the sender hears itself too
  a->channel.stop();
  EXPECT_EQ(a->channel.stats().sent, 1u);
  EXPECT_GE(b->channel.stats().received, 1u);
}

TEST_F(NotificationChannelTest, ComesBackByItselfWhenItsBackendIsTerminated) {
  auto a = listen("test-victim");
  auto b = listen("test-witness");
  ASSERT_EQ(query(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'test-victim' AND datname = current_database()"),
            "1");

  ASSERT_TRUE(a->heard.wait_for_gaps(2)) << "no reconnection";
  EXPECT_EQ(a->heard.gaps_seen(), (std::vector<Gap>{Gap::connected, Gap::reconnected}));
  // Both directions work on the new connection.
  ASSERT_TRUE(b->channel.publish("after"));
  EXPECT_TRUE(a->heard.wait_for_payload("after"));
  ASSERT_TRUE(a->channel.publish("back"));
  EXPECT_TRUE(b->heard.wait_for_payload("back"));
  EXPECT_TRUE(a->channel.connected());
  EXPECT_EQ(a->channel.stats().reconnects, 1u);
}

TEST_F(NotificationChannelTest, PayloadsQueuedBeforeConnectingAreSentOnceConnected) {
  auto b = listen("test-listener");
  Listener a(options("test-early"));
  ASSERT_TRUE(a.channel.publish("early"));  // not started: nothing is connected yet
  a.channel.start();
  EXPECT_TRUE(b->heard.wait_for_payload("early"));
}

TEST_F(NotificationChannelTest, ABurstLongerThanOneStatementArrivesWholeAndInOrder) {
  auto b = listen("test-receiver");
  Listener a(options("test-burst"));
  const std::size_t count = NotificationChannel::kBatch * 2 + 7;
  for (std::size_t i = 0; i < count; ++i) ASSERT_TRUE(a.channel.publish("burst " + std::to_string(i)));
  a.channel.start();  // all queued before connecting: sent in statements of kBatch
  ASSERT_TRUE(b->heard.wait_for_payload("burst " + std::to_string(count - 1)));
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < count; ++i) expected.push_back("burst " + std::to_string(i));
  EXPECT_EQ(b->heard.payloads_seen(), expected);
  a.channel.stop();  // joins its thread: the last statement's count is in
  EXPECT_EQ(a.channel.stats().sent, count);
}

TEST(NotificationChannelQueue, RefusesPayloadsPostgreSqlWouldRefuse) {
  NotificationChannel channel({.url = "postgresql://nobody@127.0.0.1:1/none"}, [](std::string_view) {}, [](Gap) {});
  EXPECT_FALSE(channel.publish(std::string(NotificationChannel::kMaxPayloadBytes + 1, 'x')));
  EXPECT_TRUE(channel.publish(std::string(NotificationChannel::kMaxPayloadBytes, 'x')));
}

TEST(NotificationChannelQueue, AnOverflowingQueueIsDroppedAndReportedAsAGap) {
  std::vector<Gap> gaps;
  NotificationChannel channel({.url = "postgresql://nobody@127.0.0.1:1/none", .max_queued = 2},
                              [](std::string_view) {}, [&gaps](Gap gap) { gaps.push_back(gap); });
  EXPECT_TRUE(channel.publish("1"));
  EXPECT_TRUE(channel.publish("2"));
  EXPECT_FALSE(channel.publish("3"));
  EXPECT_EQ(gaps, std::vector<Gap>{Gap::dropped_outgoing});
  EXPECT_EQ(channel.stats().dropped, 3u);
  EXPECT_TRUE(channel.publish("4"));  // room again
}

TEST(NotificationChannelQueue, NeedsAPostgreSqlUrlAndAPlainChannelName) {
  auto noop_payload = [](std::string_view) {};
  auto noop_gap = [](Gap) {};
  EXPECT_THROW(NotificationChannel({.url = "sqlite:/tmp/x.db"}, noop_payload, noop_gap), std::invalid_argument);
  EXPECT_THROW(NotificationChannel({.url = "postgresql://a@h/d", .channel = "x; DROP TABLE users"}, noop_payload, noop_gap),
               std::invalid_argument);
}

}  // namespace
}  // namespace attendance::storage
