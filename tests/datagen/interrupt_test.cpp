// Ctrl-C: the attendance-datagen binary, stopped by SIGINT in the middle of a run that would take
// minutes, exits 130 at once with the report of what it did, and that report is the truth: the
// server (HTTP mode) or the file (direct mode) holds exactly the events it says it loaded, every
// one it counted as accepted, none it did not.

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "datagen/listing_support.hpp"
#include "datagen/server_process_support.hpp"
#include "datagen/temp_path_support.hpp"

namespace attendance::datagen {
namespace {

constexpr const char* kToken = "datagen-interrupt-admin-token-0123456789";
constexpr auto kDeadline = std::chrono::seconds(60);

// The generator as a child process, its stdout and stderr in a file.
class DatagenProcess {
 public:
  explicit DatagenProcess(const std::vector<std::string>& args) : output_(scratch_path()) {
    std::vector<std::string> argv_strings{ATTENDANCE_DATAGEN_PATH};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_strings) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = ::open(output_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~DatagenProcess() {
    if (!status_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    std::filesystem::remove(output_, ignored);
  }
  DatagenProcess(const DatagenProcess&) = delete;
  DatagenProcess& operator=(const DatagenProcess&) = delete;

  bool running() {
    if (status_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
    return !status_;
  }
  void interrupt() const { kill(pid_, SIGINT); }

  // The exit code, or nullopt when it is still running at the deadline (or died of a signal).
  std::optional<int> wait_for_exit(std::chrono::seconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (running() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!status_ || !WIFEXITED(*status_)) return std::nullopt;
    return WEXITSTATUS(*status_);
  }

  std::string output() const {
    std::ifstream in(output_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  static std::filesystem::path scratch_path() {
    static int n = 0;
    return std::filesystem::temp_directory_path() /
           ("datagen-interrupt-" + std::to_string(getpid()) + "-" + std::to_string(n++) + ".out");
  }

  std::filesystem::path output_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// Polls `condition` until it holds, the process ends or the deadline passes: the run is waited
// for, not guessed at with a sleep.
bool wait_until(DatagenProcess& process, const std::function<bool()>& condition) {
  const auto until = std::chrono::steady_clock::now() + kDeadline;
  while (std::chrono::steady_clock::now() < until && process.running()) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
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
  sqlite3* db = nullptr;
  std::uint64_t count = 0;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM attendances", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      count = static_cast<std::uint64_t>(sqlite3_column_int64(statement, 0));
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return count;
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
