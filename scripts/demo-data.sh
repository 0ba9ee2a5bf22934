#!/usr/bin/env bash
# Fills an empty SQLite database with the demo school: 500 students and staff, 120 days of
# history, today in progress (attendance-datagen in direct mode). scripts/run.sh calls it before
# the first start; a database that already has a school is left alone.
#
#   scripts/demo-data.sh DATAGEN_BIN sqlite:PATH
#
# ATTENDANCE_DEMO_USERS / ATTENDANCE_DEMO_DAYS make a larger (or smaller) demo. Exit 0 when the
# database holds a school afterwards (loaded now or before), 1 when the load did not finish.
set -euo pipefail

datagen=$1 database=$2
file="${database#sqlite:}"

# --if-empty: a database that already has a school is left alone (a no-op on later starts).
# --timezone live: the demo school is in a zone where today is a school day, in the morning
# if possible, so the dashboard shows a day in progress whenever it is opened.
# A load cut short (Ctrl-C) would leave a school, so every later --if-empty would skip and the
# demo would stay half loaded: a file this run created goes again when its load fails.
existed=0
[ -e "$file" ] && existed=1
if ! "$datagen" --database "$database" --if-empty --schools 1 --users "${ATTENDANCE_DEMO_USERS:-500}" \
  --days "${ATTENDANCE_DEMO_DAYS:-120}" --seed 2024 --timezone live; then
  if [ "$existed" = 0 ]; then
    rm -f "$file" "$file-wal" "$file-shm"
    echo "the demo load did not finish: removed $file, so the next start loads it again" >&2
  fi
  exit 1
fi
