// storage::Coalescer: requests arriving while a job waits share it, each gets its own answer,
// a lane's items keep their order, and a failure reaches exactly the items of the failed job.
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "storage/coalescer.hpp"
#include "storage/sql.hpp"
#include "storage/storage_support.hpp"

namespace attendance::storage {
namespace {

using testing::StorageTest;
using testing::ThreadBlocker;

// What the jobs saw, in the order they ran: each job's items.
struct Jobs {
  std::mutex mutex;
  std::vector<std::vector<int>> items;
  void add(const std::vector<int>& job) {
    std::lock_guard lock(mutex);
    items.push_back(job);
  }
};
Jobs* jobs_seen = nullptr;

// Answers each item with its double, after a real query; a negative item fails the whole job.
std::vector<int> doubled(Session& s, std::vector<int>& items) {
  jobs_seen->add(items);
  EXPECT_EQ(sql::fetch_integer(s, "SELECT 1", {}), 1);
  std::vector<int> answers;
  for (int item : items) {
    if (item < 0) throw std::runtime_error("negative item");
    answers.push_back(2 * item);
  }
  return answers;
}

// Stores a school per item, then fails on a negative item: what was stored must not stay.
std::vector<int> stored_then_doubled(Session& s, std::vector<int>& items) {
  for (int item : items) {
    domain::School school;
    school.name = "item " + std::to_string(item);
    insert_school(s, school);
  }
  return doubled(s, items);
}

class CoalescerTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (IsSkipped()) return;
    jobs_seen = &jobs_;
    DatabaseOptions options = options_for_test();
    options.readers = 1;
    options.writers = 1;
    open(options);
  }
  void TearDown() override {
    jobs_seen = nullptr;
    StorageTest::TearDown();
  }

  // Starts one coroutine per item on io_; each is queued in the coalescer when this returns.
  std::vector<std::future<int>> submit_reads(Coalescer<int, int>& coalescer, const std::vector<int>& items) {
    std::vector<std::future<int>> answers;
    for (int item : items) answers.push_back(boost::asio::co_spawn(io_, coalescer.read(db(), item), boost::asio::use_future));
    start_coroutines();
    return answers;
  }
  std::vector<std::future<int>> submit_writes(Coalescer<int, int>& coalescer, const std::vector<int>& items) {
    std::vector<std::future<int>> answers;
    for (int item : items) {
      answers.push_back(boost::asio::co_spawn(io_, coalescer.write(db(), 0, item), boost::asio::use_future));
    }
    start_coroutines();
    return answers;
  }
  // Runs io_ until every coroutine waits for its job (or is done), leaving it ready to run again.
  void start_coroutines() {
    io_.restart();
    io_.poll();
    io_.restart();
  }

  Jobs jobs_;
  boost::asio::io_context io_;
};

TEST_P(CoalescerTest, ReadsArrivingWhileAJobWaitsShareItAndEachGetsItsOwnAnswer) {
  Coalescer<int, int> coalescer(&doubled);
  const auto reads_before = db().stats().reads;
  std::vector<std::future<int>> answers;
  {
    ThreadBlocker blocker(db(), ThreadBlocker::Kind::reader);
    answers = submit_reads(coalescer, {1, 2, 3, 4, 5, 6, 7, 8});
  }
  io_.run();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(answers[i].get(), 2 * (i + 1));
  ASSERT_EQ(jobs_.items.size(), 1u);
  EXPECT_EQ(jobs_.items[0], (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(db().stats().reads - reads_before, 2u) << "the blocker's job and one for all eight reads";
}

TEST_P(CoalescerTest, ARequestAloneIsAnsweredByAJobOfItsOwn) {
  Coalescer<int, int> coalescer(&doubled);
  auto first = submit_reads(coalescer, {21});
  io_.run();
  auto second = submit_reads(coalescer, {4});
  io_.run();
  EXPECT_EQ(first[0].get(), 42);
  EXPECT_EQ(second[0].get(), 8);
  EXPECT_EQ(jobs_.items, (std::vector<std::vector<int>>{{21}, {4}}));
}

TEST_P(CoalescerTest, ALanesItemsRunInSubmissionOrderInJobsOfAtMostMaxItems) {
  Coalescer<int, int> coalescer(&doubled, 3);
  std::vector<std::future<int>> answers;
  {
    ThreadBlocker blocker(db());
    answers = submit_writes(coalescer, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  }
  io_.run();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(answers[i].get(), 2 * i);
  EXPECT_EQ(jobs_.items, (std::vector<std::vector<int>>{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9}}));
}

TEST_P(CoalescerTest, AFailingJobFailsAllItsItemsLeavesNothingAndSparesTheNextJob) {
  Coalescer<int, int> coalescer(&stored_then_doubled);
  std::vector<std::future<int>> failed;
  {
    ThreadBlocker blocker(db());
    failed = submit_writes(coalescer, {1, -1, 2});
  }
  io_.run();
  for (auto& answer : failed) EXPECT_THROW(answer.get(), std::runtime_error);
  auto next = submit_writes(coalescer, {5});
  io_.run();
  EXPECT_EQ(next[0].get(), 10);
  auto names = read([](Session& s) { return list_schools(s, std::nullopt, Page{std::nullopt, 100}); });
  ASSERT_EQ(names.size(), 1u) << "the failed job's schools were rolled back";
  EXPECT_EQ(names[0].name, "item 5");
}

TEST_P(CoalescerTest, AfterCloseRequestsFailInsteadOfWaitingForever) {
  Coalescer<int, int> coalescer(&doubled);
  db().close();
  auto reads = submit_reads(coalescer, {1, 2});
  auto writes = submit_writes(coalescer, {3});
  io_.run();
  for (auto& answer : reads) EXPECT_THROW(answer.get(), std::runtime_error);
  for (auto& answer : writes) EXPECT_THROW(answer.get(), std::runtime_error);
  EXPECT_TRUE(jobs_.items.empty());
}

ATTENDANCE_STORAGE_BACKENDS(CoalescerTest);

}  // namespace
}  // namespace attendance::storage
