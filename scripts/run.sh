#!/usr/bin/env bash
# Builds the release preset and starts the server on the embedded SQLite database
# (data/attendance.db). Flags are passed through: scripts/run.sh --port 8080 --mode dev
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target attendance-server
exec build/release/attendance-server "$@"
