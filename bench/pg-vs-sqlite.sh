#!/bin/sh
# bench/pg-vs-sqlite.sh - the store on PostgreSQL against SQLite (issue 12,
# item 5), as a user runs truce:
#   1. `truce ingest` and `truce assess` (assess + the first linking) of the
#      UCDP GED Syria file and of that file tiled COPIES times
#      (bench_tiled_csv, bench/tile_ucdp.py: 61 copies, 1,010,526 events,
#      the dates kept), into a new SQLite file
#      and a new PostgreSQL database each, with the example actors,
#      agreements and boundaries, and (BENCH_MONTHS=0 leaves it out) into
#      a PostgreSQL store partitioned by month (partition=month); wall
#      seconds and truce's peak RSS from /usr/bin/time -v (the PostgreSQL
#      server's own memory is not in it);
#   2. the map's query (bench_box_month_lua: Aleppo city's box, a month of
#      2016 at a time) at CONNECTIONS connections for SECONDS: wrk against
#      one `truce serve` on the SQLite file, then two wrk (half the
#      connections each) against two `truce serve` on the one PostgreSQL
#      database, at once, on the largest stores made in step 1.
# PostgreSQL 15 runs as a throwaway cluster (scripts/pg-cluster.sh: on
# 127.0.0.1, fsync off; SQLite runs in WAL mode with synchronous=NORMAL,
# so neither syncs at each commit). Prints Markdown tables. Skips, saying
# so, without ../shared's UCDP file or without PostgreSQL 15.
#
# usage: bench/pg-vs-sqlite.sh [COPIES [SECONDS [CONNECTIONS]]]
#        (default 61 copies, 30 s, 64 connections; COPIES 0: the UCDP file
#        only)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
COPIES=${1:-61}
SECS=${2:-30}
CONN=${3:-64}
UCDP=${BENCH_UCDP:-$TOP/../shared/data/ucdp-ged-syria/ged_syria_2016_2019.csv}
TRUCE=$TOP/build/truce
[ -f "$UCDP" ] || { echo "pg-vs-sqlite.sh: $UCDP is absent: skipped"; exit 0; }
command -v wrk > /dev/null || apt-get install -y -qq wrk > /dev/null
[ -x /usr/bin/time ] || apt-get install -y -qq time > /dev/null
[ -x "$TRUCE" ] || make -C "$TOP" build/truce > /dev/null
. "$TOP/bench/lib.sh"
W=$(mktemp -d "${BENCH_TMP:-/tmp}/truce-pgsq-XXXXXX")
chmod 755 "$W"
BENCH_WORK=$W
PIDS=""
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    sh "$TOP/scripts/pg-cluster.sh" stop "$W/pg" || true
    rm -rf "$W"
}
trap cleanup EXIT
PG=$(sh "$TOP/scripts/pg-cluster.sh" start "$W/pg") || {
    [ $? -eq 77 ] && { echo "pg-vs-sqlite.sh: $PG: skipped"; exit 0; }
    echo "pg-vs-sqlite.sh: no PostgreSQL cluster" >&2; exit 2; }

# store BACKEND NAME: a new, empty store's path (backends sqlite, pg and
# pgmonth).
store() {
    case $1 in
    sqlite) echo "$W/$2.db" ;;
    pg) psql -X -q "$PG" -c "CREATE DATABASE $2" > /dev/null
        echo "${PG%/*}/$2" ;;
    pgmonth) psql -X -q "$PG" -c "CREATE DATABASE ${2}_month" > /dev/null
        echo "${PG%/*}/${2}_month?partition=month" ;;
    esac
}

# load BACKEND NAME FILE: a store with the example model and FILE
# ingested and assessed, the two steps timed; its path in STORE.
load() {
    STORE=$(store "$1" "$2")
    "$TRUCE" --db "$STORE" init > /dev/null
    "$TRUCE" --db "$STORE" actors load "$TOP/examples/actors.json" > /dev/null 2>&1
    "$TRUCE" --db "$STORE" agreements load "$TOP/examples/agreements-syria-2016.json" \
        > /dev/null 2>&1
    "$TRUCE" --db "$STORE" boundaries load "$TOP/examples/zones/syria.geojson" \
        --name syria > /dev/null
    bench_timed "$2: truce ingest ($1)" "$TRUCE" --db "$STORE" ingest "$3"
    bench_timed "$2: truce assess ($1)" "$TRUCE" --db "$STORE" assess
}

echo "machine: $(nproc) cores, $(uname -r); $(psql -X -tA "$PG" -c 'SHOW server_version'); SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1)"
echo
echo "| step | seconds | peak RSS MB | says |"
echo "|---|---:|---:|---|"
load sqlite ucdp "$UCDP"
load pg ucdp "$UCDP"
[ "${BENCH_MONTHS:-1}" = 0 ] || load pgmonth ucdp "$UCDP"
SQ_STORE=$W/ucdp.db
PG_STORE=${PG%/*}/ucdp
if [ "$COPIES" -gt 0 ]; then
    bench_tiled_csv "$UCDP" "$COPIES" "$W/tiled.csv"
    load sqlite "tiled$COPIES" "$W/tiled.csv"
    SQ_STORE=$STORE
    load pg "tiled$COPIES" "$W/tiled.csv"
    PG_STORE=$STORE
    [ "${BENCH_MONTHS:-1}" = 0 ] || load pgmonth "tiled$COPIES" "$W/tiled.csv"
    rm -f "$W/tiled.csv"
fi

bench_box_month_lua "$W/events.lua"
# wrk_row LABEL FILE...: requests/s (the sum) and each wrk's latencies.
wrk_row() {
    label=$1; shift
    awk -v label="$label" '
        /Requests\/sec/ { rps += $2 }
        $1 == "50%" { p50 = p50 sep50 $2; sep50 = " / " }
        $1 == "90%" { p90 = p90 sep90 $2; sep90 = " / " }
        $1 == "99%" { p99 = p99 sep99 $2; sep99 = " / " }
        /Non-2xx/ { bad += $NF }
        /Socket errors/ { err = err $0 }
        END { printf "| %s | %.0f | %s | %s | %s | %d | %s |\n", label, rps,
              p50, p90, p99, bad, err == "" ? "none" : err }' "$@"
}
# warm URL: every worker loads its model on its first request.
warm() {
    wrk -t1 -c8 -d3s -s "$W/events.lua" "$1" > /dev/null
}
echo
echo "| map query, $CONN connections, ${SECS}s | requests/s | p50 | p90 | p99 | non-2xx | socket errors |"
echo "|---|---:|---:|---:|---:|---:|---|"
bench_serve sqlite "$SQ_STORE"
PIDS="$PIDS $BENCH_PID"
SQ_URL=$BENCH_URL
warm "$SQ_URL"
wrk -t2 -c"$CONN" -d"${SECS}s" --latency -s "$W/events.lua" "$SQ_URL" > "$W/wrk-sqlite.txt"
kill "$BENCH_PID"
wrk_row "SQLite, one truce serve" "$W/wrk-sqlite.txt"
bench_serve pg1 "$PG_STORE"
PIDS="$PIDS $BENCH_PID"
PG1=$BENCH_URL
bench_serve pg2 "$PG_STORE"
PIDS="$PIDS $BENCH_PID"
PG2=$BENCH_URL
warm "$PG1"
warm "$PG2"
half=$((CONN / 2))
wrk -t1 -c"$half" -d"${SECS}s" --latency -s "$W/events.lua" "$PG1" > "$W/wrk-pg1.txt" &
w1=$!
wrk -t1 -c"$half" -d"${SECS}s" --latency -s "$W/events.lua" "$PG2" > "$W/wrk-pg2.txt" &
w2=$!
wait $w1 $w2
wrk_row "PostgreSQL, two truce serve (each: $half connections)" "$W/wrk-pg1.txt" "$W/wrk-pg2.txt"
# the same answer from both stores (a month's page)
q='api/events?bbox=37.05,36.13,37.25,36.28&from=2016-05-01&to=2016-05-31&limit=1000'
a=$(curl -s "$PG1$q" | jq '.features | length')
bench_serve sqlite-check "$SQ_STORE"
PIDS="$PIDS $BENCH_PID"
b=$(curl -s "$BENCH_URL$q" | jq '.features | length')
echo
echo "one page (May 2016): $a events from PostgreSQL, $b from SQLite"
[ "$a" = "$b" ] || { echo "bench: the two stores answer differently" >&2; exit 1; }
