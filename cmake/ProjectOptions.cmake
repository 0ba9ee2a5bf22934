# Warnings and sanitizers live on INTERFACE targets that every project target links,
# so one switch changes the whole build and nothing is set per file.

add_library(attendance_warnings INTERFACE)
target_compile_options(attendance_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough
  # GCC 12 reports false positives inside Boost.Asio coroutine frames.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete -Wno-maybe-uninitialized>
  # GCC's -Wnull-dereference, found after inlining at -O2, reports only system headers here:
  # Asio's scheduler, thread pool and executor comparison (a known false positive,
  # chriskohlhoff/asio#847) and libstdc++'s shared_ptr. Clang's, in the source, stays on.
  $<$<CXX_COMPILER_ID:Clang>:-Wnull-dereference>)

add_library(attendance_sanitizers INTERFACE)
option(ATTENDANCE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(ATTENDANCE_SANITIZE)
  target_compile_options(attendance_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(attendance_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# The fuzz preset (clang): every library gets libFuzzer's coverage instrumentation with ASan
# (leak detection included) and UBSan; only the fuzz targets link libFuzzer itself (fuzz/).
option(ATTENDANCE_FUZZ "Build the libFuzzer targets in fuzz/ (clang only)" OFF)
if(ATTENDANCE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ATTENDANCE_FUZZ needs clang (the fuzz preset sets clang++-14)")
  endif()
  # -fno-sanitize=function: clang 14 fails to compile coroutines with UBSan's function check
  # ("Cannot represent a difference across sections", llvm-project issue 49689).
  target_compile_options(attendance_sanitizers INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(attendance_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
