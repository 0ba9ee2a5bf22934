#!/usr/bin/env bash
# Runs every test on a fresh Debian 12 machine: installs the dependencies, starts a private
# PostgreSQL, builds the debug preset (AddressSanitizer + UndefinedBehaviorSanitizer) and runs
# CTest: unit, storage (SQLite and PostgreSQL), end-to-end API (both backends) and lint.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
# A cluster someone else started (a developer's shell) is left running; ours is stopped at exit.
if ! bash scripts/pg-test-server.sh status; then
  trap 'bash scripts/pg-test-server.sh stop >/dev/null 2>&1 || true' EXIT
fi
ATTENDANCE_TEST_POSTGRES_URL=$(bash scripts/pg-test-server.sh start)
export ATTENDANCE_TEST_POSTGRES_URL

preset=${ATTENDANCE_TEST_PRESET:-debug}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
# ASan's leak checker reports SOCI's and libpq's process-lifetime allocations; leaks are checked
# by the fuzzers' runs instead.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
ctest --preset "$preset" -j2
