# Warnings and sanitizers live on INTERFACE targets that every project target links,
# so one switch changes the whole build and nothing is set per file.

add_library(attendance_warnings INTERFACE)
target_compile_options(attendance_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  # GCC 12 reports false positives inside Boost.Asio coroutine frames.
  -Wno-mismatched-new-delete -Wno-maybe-uninitialized)

add_library(attendance_sanitizers INTERFACE)
option(ATTENDANCE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(ATTENDANCE_SANITIZE)
  target_compile_options(attendance_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(attendance_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
