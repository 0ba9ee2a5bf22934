#include "datagen/datagen_process_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace attendance::datagen::testing {

namespace {
std::filesystem::path scratch_path() {
  static int n = 0;
  return std::filesystem::temp_directory_path() /
         ("datagen-process-" + std::to_string(getpid()) + "-" + std::to_string(n++) + ".out");
}
}  // namespace

DatagenProcess::DatagenProcess(const std::vector<std::string>& args, const std::vector<std::string>& environment)
    : output_(scratch_path()) {
  std::vector<std::string> argv_strings{ATTENDANCE_DATAGEN_PATH};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  // Ours first: getenv() takes the first entry of a name.
  std::vector<std::string> env_strings(environment);
  for (char** entry = environ; *entry != nullptr; ++entry) env_strings.emplace_back(*entry);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    const int fd = ::open(output_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
}

DatagenProcess::~DatagenProcess() {
  if (!status_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove(output_, ignored);
}

bool DatagenProcess::running() {
  if (status_) return false;
  int status = 0;
  rusage usage{};
  if (wait4(pid_, &status, WNOHANG, &usage) == pid_) {
    status_ = status;
    peak_rss_kib_ = usage.ru_maxrss;
  }
  return !status_;
}

void DatagenProcess::interrupt() const { kill(pid_, SIGINT); }

std::optional<int> DatagenProcess::wait_for_exit(std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (running() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (!status_ || !WIFEXITED(*status_)) return std::nullopt;
  return WEXITSTATUS(*status_);
}

std::string DatagenProcess::output() const {
  std::ifstream in(output_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool wait_until(DatagenProcess& process, const std::function<bool()>& condition, std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until && process.running()) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace attendance::datagen::testing
