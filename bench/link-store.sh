#!/bin/sh
# bench/link-store.sh - linking through the store against assessing, as a
# user runs them (DESIGN section 15; issue: "a million events link in the
# time of an assess"): the UCDP GED Syria file tiled COPIES times by
# build/bench_link (fresh ids, points moved up to 5 km, every other copy's
# source news), ingested into a new store with the example actors and
# agreements, then `truce assess` (which assesses and links, first time
# every event), `truce link --all` (every event again, from scratch) and
# `truce assess --all` timed with /usr/bin/time (wall seconds, peak RSS).
# Skips with a message when ../shared is absent.
#
# usage: bench/link-store.sh [COPIES]      (default 61: 1,010,526 events)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
COPIES=${1:-61}
UCDP=${BENCH_UCDP:-$TOP/../shared/data/ucdp-ged-syria/ged_syria_2016_2019.csv}
[ -f "$UCDP" ] || { echo "link-store.sh: $UCDP is absent: skipped"; exit 0; }
TRUCE=$TOP/build/truce
[ -x "$TRUCE" ] && [ -x "$TOP/build/bench_link" ] ||
    { echo "link-store.sh: run make build/bench_link first" >&2; exit 2; }
W=$(mktemp -d "${BENCH_TMP:-/tmp}/truce-link-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$TOP/bench/lib.sh"
BENCH_WORK=$W
export TRUCE_DB="$W/t.db"
bench_tiled "$UCDP" "$COPIES" "$W/tiled.jsonl"
"$TRUCE" init > /dev/null
"$TRUCE" actors load "$TOP/examples/actors.json" > /dev/null 2>&1
"$TRUCE" agreements load "$TOP/examples/agreements-syria-2016.json" > /dev/null 2>&1
echo "| step | seconds | peak RSS MB | says |"
echo "|---|---:|---:|---|"
bench_timed "truce ingest ($(wc -l < "$W/tiled.jsonl") events)" "$TRUCE" ingest "$W/tiled.jsonl"
bench_timed "truce assess (assess + link, every event new)" "$TRUCE" assess
bench_timed "truce link --all (every event again)" "$TRUCE" link --all
bench_timed "truce assess --all (every event again, and a link)" "$TRUCE" assess --all
echo
echo "In memory (build/bench_link):"
cat "$W/tiled.jsonl.md"
