#pragma once
// A progress line on stderr: done/total, rate and ETA. Redrawn in place on a terminal; on
// anything else (a log file, CI) one line every few seconds, so logs stay readable.

#include <chrono>
#include <cstdint>
#include <string>

namespace attendance::datagen {

class Progress {
 public:
  // unit names what is counted ("events", "user-days"); total 0 hides the bar and ETA.
  Progress(std::string unit, std::uint64_t total, bool enabled = true);

  // Redraws when enough time has passed since the last draw; cheap to call often.
  void update(std::uint64_t done);
  // Draws the final state and ends the line.
  void finish(std::uint64_t done);

 private:
  void draw(std::uint64_t done, bool final);

  std::string unit_;
  std::uint64_t total_;
  bool enabled_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

// One drawing of the line: "[####......] 250/1000 events  25.0%  25/s  ETA 0:30" (at the end
// "elapsed" and the time taken instead of the ETA; with total 0 only the count, rate and time).
std::string progress_line(const std::string& unit, std::uint64_t total, std::uint64_t done, double elapsed, bool final);

// "1:02:03" / "2:03" for a number of seconds.
std::string format_duration(double seconds);

}  // namespace attendance::datagen
