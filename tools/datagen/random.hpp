#pragma once
// A small, fully specified pseudo-random generator and the distributions the generator needs.
//
// Why not <random>: std::uniform_real_distribution and std::normal_distribution are not specified
// bit for bit, so the same seed could give other data with another standard library. SplitMix64
// (Steele, Lea, Flood 2014) and the transforms below are exact integer and IEEE arithmetic, so a
// seed names the same data everywhere (up to libm's log and cos, correctly rounded in glibc). Quality is ample for synthetic timelines.

#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace attendance::datagen {

// SplitMix64's finaliser: a bijective 64-bit mix, used both as the generator step and to derive
// independent seeds from several keys.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A seed for one entity from its keys (seed, school, user, day, ...): order matters, so
// (1, 2) and (2, 1) name different streams.
constexpr std::uint64_t derive_seed(std::initializer_list<std::uint64_t> keys) {
  std::uint64_t h = 0x6a09e667f3bcc909ULL;
  for (auto key : keys) h = mix64(h ^ mix64(key + 0x9e3779b97f4a7c15ULL));
  return h;
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }

  // Uniform in [0, 1), with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [lo, hi] (tiny modulo bias, irrelevant here).
  long long integer(long long lo, long long hi) {
    return lo + static_cast<long long>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }

  // Normal(mean, sd) by Box-Muller (one value per call: simplicity over speed).
  double normal(double mean, double sd) {
    const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
    const double u2 = uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  std::uint64_t state_;
};

}  // namespace attendance::datagen
