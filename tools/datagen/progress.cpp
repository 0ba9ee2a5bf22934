#include "tools/datagen/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace attendance::datagen {

namespace {
constexpr auto kTerminalInterval = std::chrono::milliseconds(200);
constexpr auto kLogInterval = std::chrono::seconds(5);
constexpr int kBarWidth = 30;
}  // namespace

std::string format_duration(double seconds) {
  const auto total = static_cast<long long>(seconds + 0.5);
  const long long h = total / 3600, m = total / 60 % 60, s = total % 60;
  return h > 0 ? fmt::format("{}:{:02}:{:02}", h, m, s) : fmt::format("{}:{:02}", m, s);
}

Progress::Progress(std::string unit, std::uint64_t total, bool enabled)
    : unit_(std::move(unit)), total_(total), enabled_(enabled), terminal_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void Progress::update(std::uint64_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < (terminal_ ? kTerminalInterval : kLogInterval)) return;
  last_draw_ = now;
  draw(done, false);
}

void Progress::finish(std::uint64_t done) {
  if (!enabled_) return;
  draw(done, true);
}

std::string progress_line(const std::string& unit, std::uint64_t total, std::uint64_t done, double elapsed, bool final) {
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  if (total == 0) return fmt::format("{} {}  {:.0f}/s  elapsed {}", done, unit, rate, format_duration(elapsed));
  const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
  const int filled = static_cast<int>(fraction * kBarWidth);
  const double eta = rate > 0 ? static_cast<double>(total - std::min(done, total)) / rate : 0.0;
  return fmt::format("[{}{}] {}/{} {} {:5.1f}%  {:.0f}/s  {} {}", std::string(static_cast<std::size_t>(filled), '#'),
                     std::string(static_cast<std::size_t>(kBarWidth - filled), '.'), done, total, unit, fraction * 100,
                     rate, final ? "elapsed" : "ETA", format_duration(final ? elapsed : eta));
}

void Progress::draw(std::uint64_t done, bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::string line = progress_line(unit_, total_, done, elapsed, final);
  if (terminal_) {
    std::fprintf(stderr, "\r%s\033[K%s", line.c_str(), final ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

}  // namespace attendance::datagen
