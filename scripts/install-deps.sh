#!/usr/bin/env bash
# Installs every build, test and benchmark dependency from Debian 12 packages.
# Idempotent: safe to run on a machine that already has them.
set -euo pipefail

packages=(
  build-essential g++-12 cmake ninja-build pkg-config git curl ca-certificates
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libsoci-dev libsqlite3-dev sqlite3 libpq-dev
  postgresql postgresql-client
  libhowardhinnant-date-dev tzdata
  libspdlog-dev libfmt-dev libcli11-dev libsodium-dev libjemalloc-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk python3
  clang-14 libclang-rt-14-dev  # bench/fuzz: libFuzzer and the sanitizer runtimes for clang
)

bash "$(dirname "$0")/apt-install-missing.sh" "${packages[@]}"

# The dashboard's browser tests: Debian's chromium, fonts, Node.js and npm.
bash "$(dirname "$0")/install-browser-deps.sh"
