#!/bin/sh
# bench/map.sh - the map at a million events (issue 10, "the map at a
# million events"): the UCDP GED Syria file tiled COPIES times
# (bench/tile_ucdp.py: fresh ids, points moved up to 2 km; 61 copies are
# 1,010,526 events) in a store with the example actors, agreements and the
# Syria outline, served by `truce serve`. Measures:
#   - the first GET /api/cells (the server reads every event's map row into
#     memory) and the next one;
#   - the dashboard's first view and its pans and zooms in headless
#     Chromium (bench/firstview.mjs);
#   - wrk at CONNECTIONS connections for SECONDS on the map's requests: the
#     cells of five views (the country, Idlib, Aleppo city, Damascus and
#     Eastern Ghouta, Homs) at their zooms, for all time and for each month
#     of 2016 (65 URLs in turn), as the dashboard asks them;
#   - the same for the box-and-month /api/events query of bench/load.sh,
#     for comparison.
# Skips with a message when ../shared is absent. The tiled file and the
# store are kept in BENCH_DIR (default /tmp/truce-map) for the next run.
#
# usage: bench/map.sh [COPIES] [CONNECTIONS] [SECONDS]
set -eu
COPIES=${1:-61}
CONN=${2:-64}
SECS=${3:-30}
TOP=$(cd "$(dirname "$0")/.." && pwd)
TRUCE=$TOP/build/truce
UCDP=${BENCH_UCDP:-$TOP/../shared/data/ucdp-ged-syria/ged_syria_2016_2019.csv}
[ -f "$UCDP" ] || { echo "map.sh: $UCDP is absent: skipped"; exit 0; }
W=${BENCH_DIR:-/tmp/truce-map}
mkdir -p "$W"
BENCH_WORK=$W
. "$TOP/bench/lib.sh"
command -v wrk > /dev/null || apt-get install -y -qq wrk > /dev/null
[ -x "$TRUCE" ] || make -C "$TOP" build/truce
[ -d "$TOP/build/web" ] || make -C "$TOP" web
CSV=$W/tiled-$COPIES.csv
export TRUCE_DB="$W/map-$COPIES.db"
[ -f "$CSV" ] || bench_tiled_csv "$UCDP" "$COPIES" "$CSV"
if [ ! -f "$TRUCE_DB" ]; then
    "$TRUCE" init > /dev/null
    "$TRUCE" actors load "$TOP/examples/actors.json" > /dev/null 2>&1
    "$TRUCE" agreements load "$TOP/examples/agreements-syria-2016.json" > /dev/null 2>&1
    "$TRUCE" boundaries load "$TOP/examples/zones/syria.geojson" --name syria > /dev/null 2>&1
    /usr/bin/time -f "ingest: %e s, peak RSS %M KB" "$TRUCE" ingest "$CSV" 2>&1 > /dev/null | grep -v '^truce'
    /usr/bin/time -f "assess: %e s, peak RSS %M KB" "$TRUCE" assess 2>&1 > /dev/null
fi
bench_serve map "$TRUCE_DB" --web "$TOP/build/web"
PID=$BENCH_PID URL=$BENCH_URL
trap 'kill $PID 2>/dev/null || true' EXIT
rss() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }
echo "server at $URL (pid $PID); $(nproc) cores; $("$TRUCE" summary 2>/dev/null | head -1)"
echo "server RSS before the cells: $(rss) KB"
ask() { curl -s -o "$W/cells.json" -w '%{time_total}' "${URL}api/cells?$1"; }
echo "first GET /api/cells (the server reads the events as it starts, in the background; a request before the end waits for it): $(ask 'zoom=6&days=1') s; $(jq -c '{total, cells: (.cells | length), points: (.features | length), level}' "$W/cells.json")"
echo "the next: $(ask 'zoom=6&days=1') s; server RSS $(rss) KB"

echo "== the dashboard in Chromium"
BENCH_SHOT="$W/firstview.png" node "$TOP/bench/firstview.mjs" "$URL" 12

cat > "$W/cells.lua" <<'LUA'
local views = {
  "bbox=34.5,31.5,43.5,38.0&zoom=7&points=500",      -- the country
  "bbox=36.0,35.4,37.2,36.3&zoom=9&points=500",      -- Idlib
  "bbox=36.95,36.05,37.35,36.35&zoom=12&points=500", -- Aleppo city
  "bbox=36.1,33.3,36.6,33.7&zoom=11&points=500",     -- Damascus, Eastern Ghouta
  "bbox=36.5,34.6,36.9,34.9&zoom=11&points=500",     -- Homs
}
local days = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
local paths = {}
for _, v in ipairs(views) do
  paths[#paths + 1] = "/api/cells?" .. v
  for m = 1, 12 do
    paths[#paths + 1] = string.format("/api/cells?%s&from=2016-%02d-01&to=2016-%02d-%02d",
                                      v, m, m, days[m])
  end
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
bench_box_month_lua "$W/events.lua"
for v in "bbox=34.5,31.5,43.5,38.0&zoom=7&points=500" "bbox=36.95,36.05,37.35,36.35&zoom=12&points=500" "bbox=36.95,36.05,37.35,36.35&zoom=12&points=500&from=2016-05-01&to=2016-05-31"; do
    echo "one answer, $v: $(ask "$v") s, $(wc -c < "$W/cells.json") bytes, $(jq -c '{total, cells: (.cells | length), points: (.features | length)}' "$W/cells.json")"
done
wrk -t2 -c"$CONN" -d3s -s "$W/cells.lua" "$URL" > /dev/null
echo "== the map's cells, 65 views in turn: $CONN connections, ${SECS}s"
wrk -t2 -c"$CONN" -d"${SECS}s" --latency -s "$W/cells.lua" "$URL"
echo "server RSS after: $(rss) KB"
echo "== for comparison, /api/events for a box and a month (bench/load.sh's): $CONN connections, ${SECS}s"
wrk -t2 -c"$CONN" -d"${SECS}s" --latency -s "$W/events.lua" "$URL"
