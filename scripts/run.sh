#!/usr/bin/env bash
# Builds the release preset and starts the server on the embedded SQLite database
# (data/attendance.db). Flags are passed through: scripts/run.sh --port 8080 --mode dev
#
# Demo data: when the server's database is SQLite and holds no school yet, it is first filled
# with a demo school (500 students and staff, 120 days of history, today in progress) by
# scripts/demo-data.sh. ATTENDANCE_DEMO=0 skips that. A PostgreSQL database is
# never filled. On that first start the server then creates an admin token and prints it once.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
# ATTENDANCE_RUN_PRESET (default release) runs another CMake preset's build: the test of this
# command (tests/e2e/run_command.test.mjs) uses the debug build the test suite has already made.
preset=${ATTENDANCE_RUN_PRESET:-release}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target attendance-server attendance-datagen
bin=build/$preset

# The dashboard the server serves at / (web/dist), rebuilt when its sources changed.
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/package-lock.json -newer web/dist/index.html 2>/dev/null | head -n 1)" ]; then
  (cd web && npm ci --no-audit --no-fund && npm run build)
fi

# The database the server will use: --database flag, then the environment, then the default.
database="${ATTENDANCE_DATABASE_URL:-sqlite:data/attendance.db}"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --database=*) database="${args[$i]#--database=}" ;;
    --database) if ((i + 1 < ${#args[@]})); then database="${args[$((i + 1))]}"; fi ;;
  esac
done

if [ "${ATTENDANCE_DEMO:-1}" != 0 ] && [[ "$database" == sqlite:* ]]; then
  bash scripts/demo-data.sh "$bin/tools/datagen/attendance-datagen" "$database"
fi

echo "Open the dashboard at the address below (default http://127.0.0.1:4000/)."
exec "$bin/attendance-server" "$@"
