#!/usr/bin/env bash
# One command, one table: the service's ingest, reads, memory and the datagen's bulk load, each
# beside its ceiling measured in the same run on the same machine, with the ratio.
#
#   bench/run.sh            # ~8-12 minutes: 10 s per wrk run, tables of ~1.3 million rows
#   bench/run.sh --quick    # ~2 minutes: 3 s per wrk run, ~180k rows
#   bench/run.sh --sqlite-only | --postgresql-only
#
# Needs a release build (BUILD_DIR, default build/release; built here if missing), wrk, pgbench
# and the private PostgreSQL of scripts/pg-test-server.sh (started here if needed; it keeps
# fsync on). Every database is created fresh under a temporary directory (or, on PostgreSQL, as
# the database attendance_bench), and every process started here is stopped on exit.
# See bench/README.md for what each figure means. The server runs without per-token rate limits:
# wrk sends everything with one token, and a 429 is not a measure of ingest.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0; do_sqlite=1; do_pg=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --sqlite-only) do_pg=0 ;;
    --postgresql-only) do_sqlite=0 ;;
    *) echo "usage: bench/run.sh [--quick] [--sqlite-only|--postgresql-only]" >&2; exit 2 ;;
  esac
done

build=${BUILD_DIR:-build/release}
if [ "$quick" = 1 ]; then duration=3s; users=2000; days=60; ceiling_rows=100000; else duration=10s; users=3000; days=300; ceiling_rows=300000; fi
bulk_rows=10000  # rows per transaction of the datagen's direct load (its default) and of its raw ceiling
if [ "$quick" = 1 ]; then warm_up_duration=1s; else warm_up_duration=3s; fi
token=bench-admin-token-0123456789abcdef
work=$(mktemp -d /tmp/attendance-bench.XXXXXX)
table=$work/table
pids=()
cleanup() {
  for pid in "${pids[@]+"${pids[@]}"}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]+"${pids[@]}"}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${BENCH_KEEP:-}" ]; then echo "raw outputs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

log() { echo "== $*" >&2; }

if [ ! -f "$build/build.ninja" ]; then cmake --preset release >/dev/null; fi
cmake --build "$build" --target attendance-server attendance-datagen sqlite_ceiling beast_ceiling >&2
server_bin=$build/attendance-server
datagen_bin=$build/tools/datagen/attendance-datagen

# Starts a server-like process whose stdout says "listening on http://..."; sets $started_pid and
# $started_url. Waits up to 60 s for the line, failing loudly instead of guessing.
start_listening() {
  local out=$work/out.$RANDOM
  : >"$out"  # exists before the first grep below, which may run before the process's redirection
  "$@" >"$out" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
  local deadline=$((SECONDS + 60))
  started_url=
  while [ -z "$started_url" ]; do
    started_url=$(grep -o 'listening on http://[0-9.:]*' "$out" | head -1 | sed 's/listening on //' || true)
    if [ -n "$started_url" ]; then break; fi
    if ! kill -0 "$started_pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "did not start: $*" >&2; cat "$out" >&2; exit 1
    fi
    sleep 0.1
  done
}
stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() pid
  for pid in "${pids[@]+"${pids[@]}"}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  pids=("${kept[@]+"${kept[@]}"}")
}

rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# wrk_run OUT URL CONNECTIONS SCRIPT ARGS...: runs wrk; sets rps, p50, p99 (ms) and bad (non-2xx
# responses plus socket errors).
wrk_run() {
  local out=$1 url=$2 connections=$3 script=$4; shift 4
  local threads=$((connections < 2 ? 1 : 2))
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$script" "$url" -- "$@" >"$out" 2>&1
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out" | to_ms)
  p99=$(awk '$1 == "99%" {print $2}' "$out" | to_ms)
  bad=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$out")
}
# warm_up URL SCRIPT TOKEN MAX_ID: a short run of a read, not measured, so the measured run finds
# the server in its steady state (statements prepared, buffers grown, the database's caches and
# the CPU's warm) as a server in service is. A cold 10 s page run on SQLite read 24.9k pages/s,
# the next 27.9k. Its rows are elsewhere in the table than the measured run's.
warm_up() {
  local url=$1 script=$2; shift 2
  wrk -t2 -c64 -d"$warm_up_duration" -s "$script" "$url" -- "$@" 1000003 >/dev/null 2>&1
}
to_ms() { awk '{v = $1; if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else if (v ~ /s$/) printf "%.2f", v * 1000; else print "?"}'; }

# CPU time, in clock ticks, that the processes PIDS... have used so far (user + system).
cpu_ticks() {
  local pid total=0
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
# The bench cluster's postmaster and its backends (the server's connections among them), or
# nothing when no cluster is up; no other PostgreSQL on the machine is counted.
pg_pids() {
  local postmaster
  postmaster=$(head -1 "${ATTENDANCE_PG_DIR:-/tmp/attendance-pg}/data/postmaster.pid" 2>/dev/null) || return 0
  if [ -n "$postmaster" ]; then echo "$postmaster" $(pgrep -P "$postmaster" || true); fi
}
# Sets children_s: CPU seconds used so far by this shell's finished children (wrk among them),
# from the `times` builtin, which must run in this shell: a $(...) subshell has children of its own.
children_seconds() {
  times >"$work/times"
  children_s=$(tail -1 "$work/times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
}
# per_request_us SECONDS REQUESTS: microseconds of CPU per request.
per_request_us() { awk -v t="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / n; else print "-" }'; }
ticks_to_seconds() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.3f", t / hz}'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.0f%%", 100 * a / b; else print "-" }'; }
row_format='%-50s | %-44s | %-38s | %-6s | %s\n'  # the table's columns, its header's too
row() { printf "$row_format" "$1" "$2" "$3" "$4" "$5" >>"$table"; }

# Midnight UTC, N days ago, as epoch seconds: ingest runs write days before the generated history.
day_start() { echo $(( ($(date -u +%s) / 86400 - $1) * 86400 )); }

ingest_runs() {  # backend_label url first_day_offset ceiling_value ceiling_label
  local label=$1 url=$2 offset=$3 ceiling=$4 ceiling_label=$5
  for c in 1 8 64; do
    local threads=$((c < 2 ? 1 : 2))
    wrk_run "$work/wrk-$label-$c" "$url" "$c" bench/ingest.lua "$token" 1 $((users / threads)) "$(day_start $((offset + c)))"
    local target="-"
    if [ "$c" = 64 ]; then target=">= 50%, p99 < 20 ms"; fi
    row "$label ingest, $c conn (req/s, p50/p99 ms)" "$rps ($p50 / $p99)$([ "$bad" != 0 ] && echo " BAD $bad")" "$ceiling $ceiling_label" "$(ratio "$rps" "$ceiling")" "$target"
  done
}

# Each read is compared with the Beast server answering the same kind of request just before it:
# the machine's speed drifts over a run (the page ceiling moved between 70k and 105k req/s across
# runs), and a ceiling measured minutes earlier carried that drift into the ratio.
#
# best_read KIND URL SCRIPT MAX_ID: the Beast server and the service answering one kind of read,
# interleaved twice (ceiling, service, ceiling, service; the first pair warmed up, the second
# reading other rows). Each side keeps its faster run and shows the other beside it. On this
# shared VM other tenants only ever slow a run down (one run in four of the same binary came in
# at 30k instead of 45-46k GETs/s), so the faster of two is the nearer to the machine's own speed,
# as timeit takes the fastest of its repeats; both sides are treated alike. Sets ceiling_best,
# ceiling_other, server_best, server_other, best_p50, best_p99, bad_total, and the kept run's CPU per
# request of the server ($server_pid), the bench cluster's processes and wrk: best_server_us, best_pg_us,
# best_wrk_us.
best_read() {
  local kind=$1 url=$2 script=$3 max_id=$4 round first
  ceiling_best=0 ceiling_other=0 server_best=0 server_other=0 bad_total=0
  for round in 1 2; do
    first=$(( round == 1 ? 0 : 500009 ))
    [ "$round" = 1 ] && warm_up "$beast_url" "$script" "$token" 1000
    wrk_run "$work/wrk-beast-$kind-$round" "$beast_url" 64 "$script" "$token" 1000 "$first"
    if [ "$rps" -gt "$ceiling_best" ]; then ceiling_other=$ceiling_best; ceiling_best=$rps; else ceiling_other=$rps; fi
    [ "$round" = 1 ] && warm_up "$url" "$script" "$token" "$max_id"
    local pg_processes server_before pg_before wrk_before requests
    pg_processes=$(pg_pids)
    server_before=$(cpu_ticks "$server_pid"); pg_before=$(cpu_ticks $pg_processes)
    children_seconds; wrk_before=$children_s
    wrk_run "$work/wrk-$kind-$round" "$url" 64 "$script" "$token" "$max_id" "$first"
    bad_total=$((bad_total + bad))
    if [ "$rps" -gt "$server_best" ]; then
      server_other=$server_best; server_best=$rps; best_p50=$p50; best_p99=$p99
      # Where the kept run's CPU went, per request: the server, the database's processes, wrk.
      requests=$(awk '/requests in/ {print $1}' "$work/wrk-$kind-$round")
      children_seconds
      best_server_us=$(per_request_us "$(ticks_to_seconds $(( $(cpu_ticks "$server_pid") - server_before )))" "$requests")
      best_pg_us=$(per_request_us "$(ticks_to_seconds $(( $(cpu_ticks $pg_processes) - pg_before )))" "$requests")
      best_wrk_us=$(per_request_us "$(awk -v a="$wrk_before" -v b="$children_s" 'BEGIN {print b - a}')" "$requests")
    else
      server_other=$rps
    fi
  done
}

# best_read_row FIGURE CEILING_NAME: the row of the last best_read, against its ceiling.
best_read_row() {
  local flagged=""
  [ "$bad_total" = 0 ] || flagged=" BAD $bad_total"
  row "$1" "$server_best ($best_p50 / $best_p99; other $server_other)$flagged" "$ceiling_best $2 (other $ceiling_other)" "$(ratio "$server_best" "$ceiling_best")" ">= 30%"
}

# cpu_row LABEL FIGURE CEILING: where the last best_read's kept run spent CPU per request, beside
# the budget: the cores' time that one request may take, all processes together, at the target's
# rate (30 % of CEILING). What the database and wrk use of it is not the server's to spend.
cpu_row() {
  local label=$1 figure=$2 ceiling=$3 budget spent="server (SQLite in it) $best_server_us + wrk $best_wrk_us"
  budget=$(awk -v cores="$(nproc)" -v c="$ceiling" 'BEGIN { if (c > 0) printf "%.0f", cores * 1e6 / (0.3 * c); else print "-" }')
  [ "$label" = PostgreSQL ] && spent="server $best_server_us + PostgreSQL $best_pg_us + wrk $best_wrk_us"
  row "$figure" "$spent" "$budget us of $(nproc) cores at 30% of Beast" "-" "-"
}

read_runs() {  # label url max_id
  local label=$1 url=$2 max_id=$3
  best_read "$label-one" "$url" bench/read_one.lua "$max_id"
  http_get_ceiling=$ceiling_best; one_rps=$server_best
  best_read_row "$label GET /attendances/:id, 64 conn (req/s)" "Beast GET"
  cpu_row "$label" "$label GET by id: CPU per request (us)" "$http_get_ceiling"
  best_read "$label-page" "$url" bench/read_page.lua "$max_id"
  http_page_ceiling=$ceiling_best; page_rps=$server_best
  best_read_row "$label GET page of 100, 64 conn (req/s)" "Beast GET page"
  cpu_row "$label" "$label page of 100: CPU per page (us)" "$http_page_ceiling"
  row "$label GET page of 100 vs one-attendance GET" "$page_rps" "$http_get_ceiling Beast GET" "$(ratio "$page_rps" "$http_get_ceiling")" "-"
}

# ---- the HTTP ceiling: a minimal Beast server parsing the same JSON ----
# It stays up, idle, for the whole run: the read ceilings are measured just before each read.
log "HTTP ceiling (minimal Beast server)"
start_listening "$build/bench/beast_ceiling" 0
beast_url=$started_url
wrk_run "$work/wrk-beast-post" "$beast_url" 64 bench/ingest.lua "$token" 1 $((users / 2)) "$(day_start 900)"
http_post_ceiling=$rps; http_post_p99=$p99

# The service on one backend: ingest beside its ceiling, reads, and resident memory idle and after.
#   measure_server NAME DATABASE_URL INGEST_CEILING CEILING_LABEL
measure_server() {
  local name=$1 database=$2 ingest_ceiling=$3 ceiling_label=$4 server url idle after
  log "$name: server ingest and reads"
  start_listening env ATTENDANCE_ADMIN_TOKEN=$token "$server_bin" --rate-limit 0 --port 0 --host 127.0.0.1 --database "$database" --log-level warn
  server=$started_pid; url=$started_url; server_pid=$server
  idle=$(rss_mib "$server")
  ingest_runs "$name" "$url" $((days + 10)) "$ingest_ceiling" "$ceiling_label"
  after=$(rss_mib "$server")
  read_runs "$name" "$url" "$loaded"
  row "$name server RSS idle / after ingest (MiB)" "$idle / $after" "64 / 256 MiB limits" "-" "< 64 / < 256"
  stop_pid "$server"
}

if [ "$do_sqlite" = 1 ]; then
  log "SQLite: datagen direct load ($users users x $days days, $bulk_rows rows per transaction)"
  db=$work/bench.db
  "$datagen_bin" --database "sqlite:$db" --schools 1 --users "$users" --days "$days" --seed 1 --timezone UTC --batch-rows "$bulk_rows" --no-progress >"$work/datagen-sqlite"
  loaded=$(awk '/^loaded/ {print $6}' "$work/datagen-sqlite")
  direct_rate=$(awk '/^loaded/ {print $(NF-1)}' "$work/datagen-sqlite")
  # The raw bulk rate beside it: the bare loop inserting as many rows, as many per transaction,
  # into the same table and indexes emptied (the same school and users), as the datagen did.
  log "SQLite bulk ceiling: $loaded rows, $bulk_rows per transaction, into the same table emptied"
  cp "$db" "$work/bulk.db"
  python3 - "$work/bulk.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
schema = [sql for (sql,) in db.execute(
    "SELECT sql FROM sqlite_master WHERE tbl_name = 'attendances' AND sql IS NOT NULL ORDER BY type DESC")]
db.execute("DROP TABLE attendances")
for sql in schema:
    db.execute(sql)
db.commit()
db.execute("VACUUM")
db.close()
PY
  sqlite_bulk=$("$build/bench/sqlite_ceiling" "$work/bulk.db" "$loaded" 1 "$users" "$bulk_rows" | awk '{print $2}')
  rm -f "$work"/bulk.db*
  row "SQLite datagen direct load (rows/s)" "$direct_rate ($loaded rows)" "$sqlite_bulk SQLite ${bulk_rows}/tx loop, empty" "$(ratio "$direct_rate" "$sqlite_bulk")" ">= 80%"
  log "SQLite ceiling: $ceiling_rows rows, 1000 per transaction, into a copy holding $loaded rows"
  cp "$db" "$work/ceiling.db"
  sqlite_ceiling=$("$build/bench/sqlite_ceiling" "$work/ceiling.db" "$ceiling_rows" 1 "$users" 1000 | awk '{print $2}')
  rm -f "$work"/ceiling.db*
  row "SQLite 1000/tx loop into the filled table (rows/s)" "$sqlite_ceiling" "-" "-" "ceiling"
  min_ceiling=$(( sqlite_ceiling < http_post_ceiling ? sqlite_ceiling : http_post_ceiling ))

  measure_server SQLite "sqlite:$db" "$min_ceiling" "min(SQLite loop, HTTP)"
  sqlite_page_rps=$page_rps

  # SQLite's own limit for the page, as pgbench's is PostgreSQL's below: the Beast server reading
  # each page from the same file on its HTTP threads and writing it as the service does (the same
  # bytes; bench/sqlite_page_reader.hpp), with no routing, token check, thread hop or logs.
  # Interleaved with the constant page, as the service's reads are.
  log "SQLite read limit: the Beast server answering pages from the file"
  start_listening "$build/bench/beast_ceiling" 0 --sqlite "$db"
  server_pid=$started_pid
  best_read "SQLite-page-server" "$started_url" bench/read_page.lua "$loaded"
  stop_pid "$server_pid"
  row "SQLite page server alone: Beast + file (req/s)" "$server_best (other $server_other; CPU $best_server_us us)" "$ceiling_best Beast GET page (other $ceiling_other)" "$(ratio "$server_best" "$ceiling_best")" "SQLite's limit"
  row "SQLite GET page vs the page server alone" "$sqlite_page_rps" "$server_best page server" "$(ratio "$sqlite_page_rps" "$server_best")" "-"
fi

if [ "$do_pg" = 1 ]; then
  log "PostgreSQL: private cluster, fresh database attendance_bench"
  base_url=$(bash scripts/pg-test-server.sh start | tail -1)
  admin_url=${base_url%/*}/postgres
  pg_url=${base_url%/*}/attendance_bench
  psql -q "$admin_url" -c "DROP DATABASE IF EXISTS attendance_bench" -c "CREATE DATABASE attendance_bench" >/dev/null
  "$datagen_bin" --database "$pg_url" --schools 1 --users "$users" --days "$days" --seed 1 --timezone UTC --no-progress >"$work/datagen-pg"
  loaded=$(awk '/^loaded/ {print $6}' "$work/datagen-pg")
  direct_rate=$(awk '/^loaded/ {print $(NF-1)}' "$work/datagen-pg")
  # The raw COPY rate beside it: psql streams the same rows back in with one COPY, as many as the
  # datagen loaded, into an empty table that is attendances again: its columns, defaults, indexes
  # and constraints (LIKE ... INCLUDING ALL) and its two foreign keys, which cost a third of
  # COPY's rate here (53.7k rows/s without them, 35.6k with) and which the datagen's COPY checks too.
  cols='user_id, school_id, "timestamp", type, temperature, client_id, inserted_at'
  psql -q "$pg_url" -c "\\copy (SELECT $cols FROM attendances ORDER BY id) TO '$work/rows.tsv'"
  psql -q "$pg_url" -c "CREATE TABLE attendances_raw (LIKE attendances INCLUDING ALL)" \
    -c "ALTER TABLE attendances_raw ADD FOREIGN KEY (user_id) REFERENCES users (id), ADD FOREIGN KEY (school_id) REFERENCES schools (id)" >/dev/null
  copy_start=$(date +%s.%N)
  psql -q "$pg_url" -c "\\copy attendances_raw ($cols) FROM '$work/rows.tsv'"
  copy_rows=$(wc -l <"$work/rows.tsv")
  copy_rate=$(awk -v n="$copy_rows" -v s="$copy_start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f", n / (e - s)}')
  psql -q "$pg_url" -c "DROP TABLE attendances_raw" -c "VACUUM ANALYZE attendances" >/dev/null
  rm -f "$work/rows.tsv"
  row "PostgreSQL datagen direct load (rows/s)" "$direct_rate ($loaded rows)" "$copy_rate psql COPY, same rows, empty" "$(ratio "$direct_rate" "$copy_rate")" ">= 80%"

  log "PostgreSQL ceiling: pgbench, one row per transaction, prepared, 32 clients"
  pgbench -n -M prepared -c 32 -j 2 -T "${duration%s}" -D users="$users" -f bench/pgbench_insert.sql "$pg_url" >"$work/pgbench" 2>&1
  pgbench_tps=$(awk '/^tps/ {printf "%.0f", $3}' "$work/pgbench")
  pgbench_latency=$(awk '/latency average/ {print $4}' "$work/pgbench")
  row "pgbench insert, 32 clients (tx/s, avg ms)" "$pgbench_tps ($pgbench_latency)" "-" "-" "ceiling"

  # PostgreSQL's own limit for each read: its query run by pgbench alone (4 clients, more than the
  # server's read connections, one per core), which shares the cores with nothing but pgbench.
  # Each is warmed up first, and the faster of two runs kept, as the server's reads are.
  log "PostgreSQL read limits: the server's read queries alone, pgbench, 4 clients"
  for query in one page; do
    pgbench -n -M prepared -c 4 -j 2 -T "${warm_up_duration%s}" -D max_id="$loaded" -f "bench/pgbench_read_$query.sql" "$pg_url" >/dev/null 2>&1
    for round in 1 2; do
      pgbench -n -M prepared -c 4 -j 2 -T "${duration%s}" -D max_id="$loaded" -f "bench/pgbench_read_$query.sql" "$pg_url" >"$work/pgbench-$query-$round" 2>&1
    done
  done
  pg_one_tps=$(cat "$work"/pgbench-one-* | awk '/^tps/ && $3 > best {best = $3} END {printf "%.0f", best}')
  pg_page_tps=$(cat "$work"/pgbench-page-* | awk '/^tps/ && $3 > best {best = $3} END {printf "%.0f", best}')

  measure_server PostgreSQL "$pg_url" "$pgbench_tps" "pgbench"
  # Against the Beast ceilings measured beside the PostgreSQL reads (read_runs).
  row "pgbench GET-by-id query alone, 4 clients (q/s)" "$pg_one_tps" "$http_get_ceiling Beast GET" "$(ratio "$pg_one_tps" "$http_get_ceiling")" "PostgreSQL's limit"
  row "pgbench page query alone, 4 clients (q/s)" "$pg_page_tps" "$http_page_ceiling Beast GET page" "$(ratio "$pg_page_tps" "$http_page_ceiling")" "PostgreSQL's limit"
  row "PostgreSQL GET by id vs its query alone" "$one_rps" "$pg_one_tps pgbench" "$(ratio "$one_rps" "$pg_one_tps")" "-"
  row "PostgreSQL GET page vs its query alone" "$page_rps" "$pg_page_tps pgbench" "$(ratio "$page_rps" "$pg_page_tps")" "-"
fi

row "HTTP ceiling: Beast POST, 64 conn (req/s)" "$http_post_ceiling (p99 $http_post_p99 ms)" "-" "-" "ceiling"
row "(Beast GET and page: beside each read, measured just before it)" "-" "-" "-" "ceiling"

echo
# The allocator is part of what is measured (jemalloc in release builds, docs/decisions.md).
allocator=$(ldd "$server_bin" | grep -q libjemalloc && echo jemalloc || echo "glibc malloc")
echo "attendance bench $(date -u +%Y-%m-%d) on $(nproc) cores, wrk $duration per run$([ "$quick" = 1 ] && echo ', --quick'), server on $allocator"
printf "$row_format" "figure" "result" "ceiling (same run)" "ratio" "target"
printf '%s\n' "$(printf -- '-%.0s' {1..154})"
cat "$table"
# A run in which any request failed measured something else than the service: say so in the exit
# status too, not only beside the figure.
if grep -q " BAD [0-9]" "$table"; then
  echo "bench: some requests failed (BAD n above: non-2xx answers or socket errors); BENCH_KEEP=1 keeps wrk's outputs" >&2
  exit 1
fi
