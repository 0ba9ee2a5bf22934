#pragma once
// The attendance-datagen binary as a child process, its stdout and stderr in a scratch file: for
// tests of what the binary itself does (its exit code, its report, its signals, its memory).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace attendance::datagen::testing {

class DatagenProcess {
 public:
  // `environment`: NAME=VALUE entries set for the child on top of this process's environment.
  explicit DatagenProcess(const std::vector<std::string>& args, const std::vector<std::string>& environment = {});
  ~DatagenProcess();  // kills it if it still runs
  DatagenProcess(const DatagenProcess&) = delete;
  DatagenProcess& operator=(const DatagenProcess&) = delete;

  bool running();
  void interrupt() const;  // SIGINT, as Ctrl-C sends it

  // The exit code, or nullopt when it is still running at the deadline (or died of a signal).
  std::optional<int> wait_for_exit(std::chrono::seconds deadline);
  // Its peak resident memory in KiB (the kernel's ru_maxrss), once it has exited.
  std::optional<long> peak_rss_kib() const { return peak_rss_kib_; }
  std::string output() const;

 private:
  std::filesystem::path output_;
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::optional<long> peak_rss_kib_;
};

// Polls `condition` until it holds, the process ends or `deadline` passes: a run is waited for,
// not guessed at with a sleep.
bool wait_until(DatagenProcess& process, const std::function<bool()>& condition, std::chrono::seconds deadline);

}  // namespace attendance::datagen::testing
