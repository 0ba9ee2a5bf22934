#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the storage and API tests.
#
#   scripts/pg-test-server.sh start   # initdb if needed, start, create attendance_test, print its URL
#   scripts/pg-test-server.sh url     # print the URL
#   scripts/pg-test-server.sh stop [fast|immediate]  # stop the cluster (the data directory stays);
#                                     # immediate is a crash: the next start recovers from the WAL
#   scripts/pg-test-server.sh status  # exit 0 when it is running
#
# Listens on 127.0.0.1 only, trusts local connections, keeps fsync on (the tests check durability
# settings, so the server must not lie about them). Idempotent: start on a running cluster only
# prints the URL. As root the server runs as the `postgres` OS user, which owns the directory.
# Environment: ATTENDANCE_PG_DIR (default /tmp/attendance-pg), ATTENDANCE_PG_PORT (default 55432).
set -euo pipefail

pg_bin=/usr/lib/postgresql/15/bin
dir=${ATTENDANCE_PG_DIR:-/tmp/attendance-pg}
port=${ATTENDANCE_PG_PORT:-55432}
database=attendance_test
url="postgresql://postgres@127.0.0.1:${port}/${database}"

# Runs a command as the cluster's OS user (postgres when we are root, else ourselves).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

is_running() {
  [ -f "$dir/data/PG_VERSION" ] && as_owner "$pg_bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

start() {
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$dir"
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if ! is_running; then
    # The socket goes into our own directory so no system-wide path (/var/run/postgresql) is needed.
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c max_connections=200 -c log_timezone=UTC" \
      start >/dev/null || { tail -n 30 "$dir/server.log" >&2; exit 1; }
  fi
  if ! as_owner psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '${database}'" | grep -q 1; then
    as_owner psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE ${database}" >/dev/null
  fi
  echo "$url"
}

stop() {
  if is_running; then
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m "$1" -w stop >/dev/null
  fi
}

case "${1:-}" in
  start) start ;;
  stop)
    case "${2:-fast}" in
      fast | immediate) stop "${2:-fast}" ;;
      *) echo "usage: $0 stop [fast|immediate]" >&2; exit 2 ;;
    esac ;;
  url) echo "$url" ;;
  status) is_running ;;
  *) echo "usage: $0 start|stop [fast|immediate]|url|status" >&2; exit 2 ;;
esac
