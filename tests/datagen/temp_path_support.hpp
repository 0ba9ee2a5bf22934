#pragma once
// A unique scratch path under the system temp directory, removed (with SQLite's -wal/-shm) at
// scope exit.

#include <unistd.h>

#include <filesystem>
#include <string>

namespace attendance::datagen::testing {

class TempDatabase {
 public:
  explicit TempDatabase(const std::string& stem)
      : path_(std::filesystem::temp_directory_path() /
              (stem + "-" + std::to_string(getpid()) + "-" + std::to_string(counter()++) + ".db")) {
    remove_all();
  }
  ~TempDatabase() { remove_all(); }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  std::string path() const { return path_.string(); }
  std::string url() const { return "sqlite:" + path_.string(); }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  void remove_all() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_.string() + suffix, ignored);
    }
  }
  std::filesystem::path path_;
};

}  // namespace attendance::datagen::testing
