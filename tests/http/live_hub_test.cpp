#include "http/live/hub.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/live/occupancy.hpp"

namespace attendance::http::live {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;

constexpr domain::Id kToken = 7;  // the API token a stream is opened with

// Everything queued on the subscription right now, without waiting.
std::vector<std::string> drain(Subscription& subscription) {
  std::vector<std::string> messages;
  for (;;) {
    bool got = subscription.channel().try_receive([&](boost::system::error_code error, std::string message) {
      if (!error) messages.push_back(std::move(message));
    });
    if (!got) return messages;
  }
}

class HubTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
};

TEST(SseMessage, IsOneEventWithOneDataLine) {
  json::value data = {{"school_id", 1}, {"checked_in_now", 3}};
  EXPECT_EQ(sse_message("occupancy", data), "event: occupancy\ndata: {\"school_id\":1,\"checked_in_now\":3}\n\n");
}

TEST(SseMessage, WritesTemperaturesAsPeopleReadThem) {
  json::value data = {{"temperature", 38.0}, {"fever", true}};
  EXPECT_EQ(sse_message("fever", data), "event: fever\ndata: {\"temperature\":38.0,\"fever\":true}\n\n");
}

TEST(SseMessage, ALineBreakInAValueNeverSplitsTheEvent) {
  json::value data = {{"user_name", "Ada\nevent: fake\n\ndata: x"}};
  auto message = sse_message("fever", data);
  ASSERT_TRUE(message.ends_with("\n\n"));
  auto lines = message.substr(0, message.size() - 2);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 1) << message;
  EXPECT_EQ(json::parse(lines.substr(lines.find("data: ") + 6)), data);
}

TEST(SseMessage, TheHeartbeatIsAComment) {
  EXPECT_EQ(kHeartbeat, ": heartbeat\n\n");
}

TEST(OccupancyJson, NamesTheSchoolAndTheCount) {
  EXPECT_EQ(json::value(live::occupancy_json(4, 17)), json::parse(R"({"school_id":4,"checked_in_now":17})"));
}

TEST_F(HubTest, DeliversToEverySubscriberOfTheSchoolInOrder) {
  Hub hub;
  auto a = hub.subscribe(io_.get_executor(), 1, kToken);
  auto b = hub.subscribe(io_.get_executor(), 1, kToken);
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(hub.has_subscribers(1));
  hub.publish(1, "attendance", json::object{{"n", 1}});
  hub.publish(1, "occupancy", json::object{{"n", 2}});
  auto expected = ElementsAre("event: attendance\ndata: {\"n\":1}\n\n", "event: occupancy\ndata: {\"n\":2}\n\n");
  EXPECT_THAT(drain(*a), expected);
  EXPECT_THAT(drain(*b), expected);
}

TEST_F(HubTest, EventsOfAnotherSchoolAreNotDelivered) {
  Hub hub;
  auto mine = hub.subscribe(io_.get_executor(), 1, kToken);
  auto other = hub.subscribe(io_.get_executor(), 2, kToken);
  hub.publish(2, "attendance", json::object{{"school_id", 2}});
  hub.publish(3, "attendance", json::object{{"school_id", 3}});
  EXPECT_TRUE(drain(*mine).empty());
  EXPECT_EQ(drain(*other).size(), 1U);
  EXPECT_FALSE(hub.has_subscribers(3));
}

TEST_F(HubTest, UnsubscribedStreamsHearNothingMore) {
  Hub hub;
  auto a = hub.subscribe(io_.get_executor(), 1, kToken);
  auto b = hub.subscribe(io_.get_executor(), 1, kToken);
  EXPECT_EQ(hub.open_streams(), 2U);
  hub.unsubscribe(a);
  EXPECT_EQ(hub.open_streams(), 1U);
  hub.publish(1, "attendance", json::object{});
  EXPECT_TRUE(drain(*a).empty());
  EXPECT_EQ(drain(*b).size(), 1U);
  hub.unsubscribe(b);
  EXPECT_EQ(hub.open_streams(), 0U);
  EXPECT_FALSE(hub.has_subscribers(1));
}

TEST_F(HubTest, ClosingATokensStreamsEndsThoseOnlyInEverySchool) {
  Hub hub;
  auto revoked_here = hub.subscribe(io_.get_executor(), 1, 5);
  auto revoked_there = hub.subscribe(io_.get_executor(), 2, 5);
  auto kept = hub.subscribe(io_.get_executor(), 1, 6);
  EXPECT_THAT(hub.stream_tokens(), ElementsAre(5, 6));
  hub.close_streams_of({5});
  EXPECT_FALSE(revoked_here->channel().is_open());
  EXPECT_FALSE(revoked_there->channel().is_open());
  EXPECT_TRUE(kept->channel().is_open());
  hub.publish(1, "attendance", json::object{{"n", 1}});
  EXPECT_EQ(drain(*kept).size(), 1U);
}

TEST_F(HubTest, UnsubscribingTwiceCountsOnce) {
  Hub hub;
  auto a = hub.subscribe(io_.get_executor(), 1, kToken);
  auto b = hub.subscribe(io_.get_executor(), 1, kToken);
  hub.unsubscribe(a);
  hub.unsubscribe(a);
  EXPECT_EQ(hub.open_streams(), 1U);
  EXPECT_TRUE(hub.has_subscribers(1));
}

TEST_F(HubTest, RefusesStreamsBeyondTheMaximumAcrossSchools) {
  Hub hub({.max_streams = 2, .queue_capacity = 8});
  auto a = hub.subscribe(io_.get_executor(), 1, kToken);
  auto b = hub.subscribe(io_.get_executor(), 2, kToken);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(hub.subscribe(io_.get_executor(), 3, kToken), nullptr);
  EXPECT_EQ(hub.subscribe(io_.get_executor(), 1, kToken), nullptr);
  hub.unsubscribe(a);
  EXPECT_NE(hub.subscribe(io_.get_executor(), 3, kToken), nullptr);  // a freed slot is usable again
}

TEST_F(HubTest, AFullQueueClosesOnlyThatSubscriber) {
  Hub hub({.max_streams = 10, .queue_capacity = 2});
  auto slow = hub.subscribe(io_.get_executor(), 1, kToken);
  auto fast = hub.subscribe(io_.get_executor(), 1, kToken);
  std::vector<std::string> fast_got;
  for (int i = 0; i < 5; ++i) {
    hub.publish(1, "attendance", json::object{{"n", i}});
    auto got = drain(*fast);
    fast_got.insert(fast_got.end(), got.begin(), got.end());
  }
  EXPECT_EQ(fast_got.size(), 5U);
  EXPECT_TRUE(fast->channel().is_open());
  EXPECT_FALSE(slow->channel().is_open());
  EXPECT_GE(hub.dropped_slow_readers(), 1U);
  EXPECT_FALSE(slow->offer("more"));
}

TEST_F(HubTest, PublishingToAFullQueueNeverBlocks) {
  Hub hub({.max_streams = 10, .queue_capacity = 1});
  auto stalled = hub.subscribe(io_.get_executor(), 1, kToken);
  for (int i = 0; i < 10000; ++i) hub.publish(1, "attendance", json::object{{"n", i}});
  EXPECT_FALSE(stalled->channel().is_open());
}

TEST_F(HubTest, CloseAllEndsEveryStream) {
  Hub hub;
  auto a = hub.subscribe(io_.get_executor(), 1, kToken);
  auto b = hub.subscribe(io_.get_executor(), 2, kToken);
  hub.close_all();
  EXPECT_FALSE(a->channel().is_open());
  EXPECT_FALSE(b->channel().is_open());
}

TEST_F(HubTest, TheSubscriptionKnowsItsSchool) {
  Hub hub;
  auto a = hub.subscribe(io_.get_executor(), 42, kToken);
  EXPECT_EQ(a->school_id(), 42);
}

}  // namespace
}  // namespace attendance::http::live
