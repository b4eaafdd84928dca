#!/bin/sh
# bench/soak.sh - the server held under load for a long time: wrk at 64
# connections on the map's requests while field reports and reviews are
# filed all along (tests/http/concurrent.c, round after round), on loopback
# only. Samples the server's memory every 10 s. Passes (exit 0) when wrk
# saw no error and no non-2xx answer, no report or review was lost, and the
# server's memory at the end is within 20% (and 16 MB) of what it was a
# minute in (a third of the way in, for a short run). Bounded: it stops by
# itself after SECONDS. TRUCE_BIN names the truce to soak (default
# build/truce); http_concurrent is taken from beside it.
#
# usage: bench/soak.sh [SECONDS] [CONNECTIONS]   (default 600 and 64)
set -u
SECS=${1:-600}
CONN=${2:-64}
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TRUCE_BUILD:-build}
TRUCE=${TRUCE_BIN:-$TOP/$BUILD/truce}
CONC=$(dirname "$TRUCE")/http_concurrent
WORK=$(mktemp -d)
command -v wrk > /dev/null || apt-get install -y -qq wrk > /dev/null ||
    { echo "soak: wrk cannot be installed" >&2; exit 2; }
[ -x "$TRUCE" ] && [ -x "$CONC" ] || make -C "$TOP" "$BUILD/truce" "$BUILD/http_concurrent"
SETTLE=$((SECS / 3 < 60 ? SECS / 3 : 60))
DB=$WORK/soak.db
"$TRUCE" --db "$DB" init > /dev/null
"$TRUCE" --db "$DB" actors load "$TOP/examples/actors.json" > /dev/null
"$TRUCE" --db "$DB" agreements load "$TOP/examples/agreements-syria-2016.json" > /dev/null
"$TRUCE" --db "$DB" boundaries load "$TOP/examples/zones/syria.geojson" --name syria > /dev/null
"$TRUCE" --db "$DB" ingest "$TOP"/examples/events/*.jsonl > /dev/null 2>&1
"$TRUCE" --db "$DB" assess > /dev/null
MON=$("$TRUCE" --db "$DB" users add mon --role monitor 2>/dev/null)
ANA=$("$TRUCE" --db "$DB" users add ana --role analyst 2>/dev/null)
"$TRUCE" --db "$DB" serve --port 0 --max-per-ip 256 > "$WORK/serve.out" 2> "$WORK/serve.err" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    URL=$(sed -n 's/^truce: serving //p' "$WORK/serve.out")
    [ -n "$URL" ] && break
    sleep 0.1
done
[ -n "$URL" ] || { cat "$WORK/serve.err"; exit 2; }
echo "soak: $SECS s, $CONN connections, server $URL (pid $PID)"
cat > "$WORK/map.lua" <<'LUA'
local paths = {}
for m = 2, 9 do
  paths[#paths + 1] = string.format(
    "/api/events?bbox=35,32,43,38&from=2016-%02d-01&to=2016-%02d-28&limit=1000", m, m)
end
paths[#paths + 1] = "/api/health"
paths[#paths + 1] = "/api/agreements"
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("wrk: %d requests, %d errors (connect %d, read %d, write %d, timeout %d), %d non-2xx, p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
wrk -t2 -c"$CONN" -d"${SECS}s" -s "$WORK/map.lua" "$URL" > "$WORK/wrk.out" 2>&1 &
WRK=$!
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$PID/status" 2>/dev/null || echo 0; }
start=$(date +%s); rounds=0; lost=0; base=0; last=0; peak=0
while [ $(($(date +%s) - start)) -lt "$SECS" ]; do
    # one round of writers and readers, about 10 s
    "$CONC" "$URL" "$MON" "$ANA" 2 10 1 > "$WORK/conc.out" 2>&1 || lost=$((lost + 1))
    rounds=$((rounds + 1))
    last=$(rss)
    [ "$last" -gt "$peak" ] && peak=$last
    [ "$base" = 0 ] && [ $(($(date +%s) - start)) -ge "$SETTLE" ] && base=$last
    sleep 5
done
wait $WRK
cat "$WORK/wrk.out" | grep '^wrk:'
[ "$base" = 0 ] && base=$last
echo "soak: $rounds rounds of field reports and reviews, $lost with a loss or failure"
echo "soak: server RSS after ${SETTLE} s ${base} KB, at the end ${last} KB, peak ${peak} KB"
errors=$(sed -n 's/^wrk: [0-9]* requests, \([0-9]*\) errors.*, \([0-9]*\) non-2xx.*/\1 \2/p' "$WORK/wrk.out")
set -- $errors
ok=1
[ "${1:-1}" = 0 ] && [ "${2:-1}" = 0 ] || { echo "soak: wrk saw errors" >&2; ok=0; }
[ "$lost" = 0 ] || { echo "soak: reports or reviews were lost" >&2; ok=0; }
[ "$last" -le $((base + base / 5 + 16384)) ] || { echo "soak: memory grew" >&2; ok=0; }
kill -0 $PID 2>/dev/null || { echo "soak: the server died" >&2; ok=0; }
[ $ok = 1 ] && echo "soak: held" && exit 0
exit 1
