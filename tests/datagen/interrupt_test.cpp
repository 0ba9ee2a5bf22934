// Ctrl-C: the attendance-datagen binary, stopped by SIGINT in the middle of a run that would take
// minutes, exits 130 at once with the report of what it did, and that report is the truth: the
// server (HTTP mode) or the file (direct mode) holds exactly the events it says it loaded, every
// one it counted as accepted, none it did not.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <regex>
#include <string>

#include "datagen/datagen_process_support.hpp"
#include "datagen/listing_support.hpp"
#include "datagen/server_process_support.hpp"
#include "datagen/temp_path_support.hpp"
#include "storage/sqlite_handle.hpp"

namespace attendance::datagen {
namespace {

constexpr const char* kToken = "datagen-interrupt-admin-token-0123456789";
constexpr auto kDeadline = std::chrono::seconds(60);

using testing::DatagenProcess;

bool wait_until(DatagenProcess& process, const std::function<bool()>& condition) {
  return testing::wait_until(process, condition, kDeadline);
}

// The number after `label` in the report, as in "accepted 1234".
std::optional<std::uint64_t> number_after(const std::string& text, const std::string& pattern) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex(pattern))) return std::nullopt;
  return std::stoull(match[1].str());
}

std::uint64_t count_on_server(const std::string& url) { return testing::count_on_server(url, kToken); }

// Committed attendances in a SQLite file another process is writing (0 before its tables exist).
std::uint64_t count_in_file(const std::string& path) {
  if (!std::filesystem::exists(path)) return 0;
  try {
    const storage::SqliteHandle db(path, SQLITE_OPEN_READONLY);
    return std::stoull(db.scalar("SELECT count(*) FROM attendances"));
  } catch (const storage::SqliteError&) {
    return 0;
  }
}

TEST(DatagenInterrupt, HttpModeStopsAtOnceWithTheReportSoFarAndTheServerHoldsWhatItSays) {
  testing::TempDatabase file("datagen-interrupt-http");
  testing::ServerProcess server(file.url(), kToken);
  // About 700,000 events: minutes of work at any rate this machine reaches.
  DatagenProcess datagen({"--target", server.url(), "--token", kToken, "--schools", "2", "--users", "2000", "--days",
                          "120", "--seed", "5", "--concurrency", "8", "--no-progress"});
  ASSERT_TRUE(wait_until(datagen, [&] { return count_on_server(server.url()) >= 500; }))
      << datagen.output() << server.output();

  datagen.interrupt();
  EXPECT_EQ(datagen.wait_for_exit(std::chrono::seconds(10)), 130) << datagen.output();
  const auto report = datagen.output();
  const auto sent = number_after(report, R"(sent (\d+) of \d+ events)");
  const auto total = number_after(report, R"(sent \d+ of (\d+) events)");
  const auto accepted = number_after(report, R"(accepted (\d+), rejected 0)");
  ASSERT_TRUE(sent && total && accepted) << report;
  EXPECT_NE(report.find(", interrupted"), std::string::npos) << report;
  EXPECT_LT(*sent, *total / 2) << "it stopped at the signal, not at the end";
  EXPECT_EQ(*accepted, *sent);
  EXPECT_EQ(count_on_server(server.url()), *accepted) << "the report counts exactly what the server holds";
}

TEST(DatagenInterrupt, DirectModeStopsAtOnceAndTheFileHoldsTheEventsItReports) {
  testing::TempDatabase file("datagen-interrupt-direct");
  // About 1.3 million events, in transactions of 1,000.
  DatagenProcess datagen({"--database", file.url(), "--users", "3000", "--days", "300", "--seed", "5",
                          "--batch-rows", "1000", "--no-progress"});
  ASSERT_TRUE(wait_until(datagen, [&] { return count_in_file(file.path()) >= 5000; })) << datagen.output();

  datagen.interrupt();
  EXPECT_EQ(datagen.wait_for_exit(std::chrono::seconds(10)), 130) << datagen.output();
  const auto report = datagen.output();
  const auto loaded = number_after(report, R"(users, (\d+) attendances in .* \(interrupted\))");
  ASSERT_TRUE(loaded) << report;
  EXPECT_LT(*loaded, 1'000'000u) << "it stopped at the signal, not at the end";
  EXPECT_EQ(count_in_file(file.path()), *loaded) << "the report counts exactly what was committed";
}

}  // namespace
}  // namespace attendance::datagen
