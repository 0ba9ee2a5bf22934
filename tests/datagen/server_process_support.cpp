#include "datagen/server_process_support.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <stdexcept>

namespace attendance::datagen::testing {

ServerProcess::ServerProcess(const std::string& database_url, const std::string& admin_token,
                             const std::string& rate_limit, std::chrono::seconds deadline) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // The server dies with the test process, even when a failing test aborts it (no orphans).
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    setenv("ATTENDANCE_ADMIN_TOKEN", admin_token.c_str(), 1);
    // Bulk loading goes through one token: no rate limit unless the test asks for one.
    setenv("ATTENDANCE_RATE_LIMIT", rate_limit.c_str(), 1);
    setenv("ATTENDANCE_RATE_BURST", "20", 1);
    execl(ATTENDANCE_SERVER_PATH, ATTENDANCE_SERVER_PATH, "--port", "0", "--host", "127.0.0.1", "--database",
          database_url.c_str(), "--log-level", "warn", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  reader_ = std::thread([this, fd = fds[0]] { drain(fd); });

  static const std::regex kListening(R"(listening on (http://[0-9.]+:[0-9]+))");
  std::unique_lock lock(mutex_);
  std::smatch match;
  const bool found = changed_.wait_for(lock, deadline, [this, &match] {
    return std::regex_search(output_, match, kListening) || closed_;
  });
  if (found && !match.empty()) {
    url_ = match[1];
    return;
  }
  const std::string seen = output_;
  lock.unlock();
  stop();
  throw std::runtime_error("attendance-server did not report listening; it printed: " + seen);
}

ServerProcess::~ServerProcess() { stop(); }

void ServerProcess::stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  if (reader_.joinable()) reader_.join();  // the pipe closes when the server exits
}

std::string ServerProcess::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

void ServerProcess::drain(int fd) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    std::lock_guard lock(mutex_);
    output_.append(buffer, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
  close(fd);
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
}

}  // namespace attendance::datagen::testing
