// Runs a fuzz target's LLVMFuzzerTestOneInput over every file of the given corpus directories (or
// files), the way libFuzzer replays a corpus, for builds without libFuzzer (GCC, CI's debug
// preset). A property a target checks aborts the process, so a failing input fails the test.
// Exits non-zero when it found no input at all: an empty or misnamed corpus is a broken test.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& argument) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(argument)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(argument)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  } else if (std::filesystem::is_regular_file(argument)) {
    files.push_back(argument);
  }
  std::sort(files.begin(), files.end());  // a stable order, so a failure names the same file each run
  return files;
}

std::string contents_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t runs = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& file : inputs_of(argv[i])) {
      const std::string input = contents_of(file);
      std::fprintf(stderr, "replay %s (%zu bytes)\n", file.c_str(), input.size());
      // A copy on the heap of exactly the input's size, as libFuzzer passes it, so ASan sees any
      // read past its end.
      std::vector<std::uint8_t> bytes(input.begin(), input.end());
      LLVMFuzzerTestOneInput(bytes.empty() ? nullptr : bytes.data(), bytes.size());
      ++runs;
    }
  }
  std::printf("replayed %zu input(s)\n", runs);
  return runs == 0 ? 1 : 0;
}
