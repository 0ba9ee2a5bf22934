#pragma once
// A real attendance-server as a child process on a fresh SQLite file and a free port, for end to
// end tests. Construction waits (with a deadline, never a fixed sleep) for the server's
// "listening on http://..." line; destruction stops it with SIGTERM and reaps it.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace attendance::datagen::testing {

class ServerProcess {
 public:
  // Throws std::runtime_error when the server does not report listening within `deadline`.
  // `rate_limit`: the server's --rate-limit (requests per second per token; "0": none).
  ServerProcess(const std::string& database_url, const std::string& admin_token, const std::string& rate_limit = "0",
                std::chrono::seconds deadline = std::chrono::seconds(30));
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& url() const { return url_; }  // http://127.0.0.1:PORT
  std::string output() const;                       // what it printed so far (stdout and stderr)

 private:
  void drain(int fd);
  void stop();  // SIGTERM, reap, join the reader; idempotent

  pid_t pid_ = -1;
  std::string url_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool closed_ = false;
};

}  // namespace attendance::datagen::testing
