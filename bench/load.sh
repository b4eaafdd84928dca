#!/bin/sh
# bench/load.sh - the HTTP server under load (wrk on loopback): the events
# endpoint for a bounding box and a month on a store of N events (default
# one million, synthetic UCDP-format, bench/gen_events.py), and the
# dashboard's initial requests. Reports throughput, latency percentiles,
# errors and the server's memory over the run. Bounded: 60 s + 20 s.
#
# usage: bench/load.sh [N] [CONNECTIONS] [SECONDS]
set -eu
N=${1:-1000000}
CONN=${2:-64}
SECS=${3:-60}
TOP=$(cd "$(dirname "$0")/.." && pwd)
TRUCE=$TOP/build/truce
WORK=${BENCH_DIR:-/tmp/truce-bench}
mkdir -p "$WORK"
command -v wrk > /dev/null || { apt-get install -y -qq wrk > /dev/null; }
[ -x "$TRUCE" ] || make -C "$TOP" build/truce
CSV=$WORK/events-$N.csv
DB=$WORK/load-$N.db
if [ ! -f "$CSV" ]; then
    echo "generating $N events"
    python3 "$TOP/bench/gen_events.py" "$N" -o "$CSV"
fi
if [ ! -f "$DB" ]; then
    rm -f "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
    "$TRUCE" --db "$DB.tmp" init > /dev/null
    "$TRUCE" --db "$DB.tmp" actors load "$TOP/examples/actors.json" > /dev/null
    "$TRUCE" --db "$DB.tmp" agreements load "$TOP/examples/agreements-syria-2016.json" > /dev/null
    "$TRUCE" --db "$DB.tmp" boundaries load "$TOP/examples/zones/syria.geojson" --name syria > /dev/null
    /usr/bin/time -f "ingest of $N events: %e s, peak RSS %M KB" "$TRUCE" --db "$DB.tmp" ingest "$CSV" 2>&1 > /dev/null | grep -v '^truce'
    /usr/bin/time -f "assess of $N events: %e s, peak RSS %M KB" "$TRUCE" --db "$DB.tmp" assess 2>&1 > /dev/null
    mv "$DB.tmp" "$DB"
    rm -f "$DB.tmp-wal" "$DB.tmp-shm"
fi
. "$TOP/bench/lib.sh"
BENCH_WORK=$WORK
bench_serve load "$DB"
PID=$BENCH_PID
URL=$BENCH_URL
trap 'kill $PID 2>/dev/null || true' EXIT
echo "server at $URL (pid $PID, one worker thread per core); $(nproc) cores"

# A map zoomed to a city, a month at a time.
bench_box_month_lua "$WORK/events.lua"
cat > "$WORK/initial.lua" <<'LUA'
local paths = {"/", "/api/agreements", "/api/boundaries", "/api/boundaries/syria",
               "/api/agreements/syria-aleppo-2016-05",
               "/api/events?from=2016-05-01&to=2016-05-31&limit=1000"}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
rss() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }
# warm the workers (each loads its model on its first request)
wrk -t2 -c"$CONN" -d3s -s "$WORK/events.lua" "$URL" > /dev/null
R0=$(rss)
( for _ in $(seq 1 $((SECS / 5))); do sleep 5; rss; done ) > "$WORK/rss.txt" &
SAMPLER=$!
echo "== events for a box and a month: $CONN connections, ${SECS}s"
wrk -t2 -c"$CONN" -d"${SECS}s" --latency -s "$WORK/events.lua" "$URL" | tee "$WORK/wrk-events.txt"
wait $SAMPLER || true
R1=$(rss)
echo "server RSS: ${R0} KB after warm-up, ${R1} KB after ${SECS}s; samples: $(tr '\n' ' ' < "$WORK/rss.txt")"
echo "== the dashboard's initial requests: $CONN connections, 20s"
wrk -t2 -c"$CONN" -d20s --latency -s "$WORK/initial.lua" "$URL" | tee "$WORK/wrk-initial.txt"
echo "one page of the box-and-month query (May) returns $(curl -s "${URL}api/events?bbox=37.05,36.13,37.25,36.28&from=2016-05-01&to=2016-05-31&limit=1000" | jq ".features | length") events"
