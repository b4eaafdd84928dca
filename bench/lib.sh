# bench/lib.sh - what the benchmark scripts share (sourced, after TOP is
# set to the source folder): the UCDP file tiled to a million events, a
# timed step as a table row, `truce serve` started on a store, and the
# map's requests for wrk (a city's box, a month at a time).

# bench_tiled_csv UCDP COPIES OUT: the UCDP file tiled COPIES times into
# OUT (UCDP's CSV) by bench/tile_ucdp.py: fresh ids, points moved up to
# 2 km, the dates kept (61 copies: 1,010,526 events in 2016-2019).
bench_tiled_csv() {
    python3 "$TOP/bench/tile_ucdp.py" "$1" "$2" -o "$3"
}

# bench_tiled UCDP COPIES OUT: the UCDP file tiled COPIES times into OUT
# (JSON Lines) by build/bench_link (fresh ids, points moved up to 5 km,
# each copy four years after the one before, every other copy's source
# news: copies that link); bench_link's own report of linking them in
# memory to OUT.md.
bench_tiled() {
    [ -x "$TOP/build/bench_link" ] || make -C "$TOP" build/bench_link > /dev/null
    "$TOP/build/bench_link" "$1" "$TOP/examples/actors.json" "$2" "$3" > "$3.md"
}

# bench_timed LABEL COMMAND...: runs it under /usr/bin/time -v and prints
# the row "| LABEL | wall seconds | peak RSS MB | what it said |"; the
# figures also in BENCH_SECS and BENCH_MB. Exits when the command fails.
bench_timed() {
    _label=$1; shift
    /usr/bin/time -v -o "$BENCH_WORK/time" "$@" > "$BENCH_WORK/out" 2>&1 ||
        { cat "$BENCH_WORK/out" >&2; echo "bench: $_label failed" >&2; exit 1; }
    BENCH_SECS=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, t, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + t[i]
        printf "%.2f", s }' "$BENCH_WORK/time")
    BENCH_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' \
        "$BENCH_WORK/time")
    printf '| %s | %s | %s | %s |\n' "$_label" "$BENCH_SECS" "$BENCH_MB" \
        "$(grep -v '^truce: ' "$BENCH_WORK/out" | tr '\n' ' ' | cut -c1-100)"
}

# bench_serve NAME DB [ARGS...]: starts `truce serve --port 0` on DB;
# sets BENCH_URL and BENCH_PID (its output in $BENCH_WORK/serve-NAME.*).
bench_serve() {
    _name=$1; _db=$2; shift 2
    "$TOP/build/truce" --db "$_db" serve --port 0 "$@" \
        > "$BENCH_WORK/serve-$_name.out" 2> "$BENCH_WORK/serve-$_name.err" &
    BENCH_PID=$!
    BENCH_URL=
    for _ in $(seq 1 100); do
        # (the file may not be there yet: the server's shell makes it)
        BENCH_URL=$(sed -n 's/^truce: serving //p' "$BENCH_WORK/serve-$_name.out" 2> /dev/null || true)
        [ -n "$BENCH_URL" ] && return 0
        sleep 0.1
    done
    cat "$BENCH_WORK/serve-$_name.err" >&2
    echo "bench: the server on $_db did not start" >&2
    exit 1
}

# bench_box_month_lua FILE: the wrk script of the map's query: the box of
# Aleppo city (the Aleppo extension's first zone) and each month of 2016
# in turn, one page of up to 1,000 events.
bench_box_month_lua() {
    cat > "$1" <<'LUA'
local paths = {}
local days = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
for m = 1, 12 do
  paths[#paths + 1] = string.format(
    "/api/events?bbox=37.05,36.13,37.25,36.28&from=2016-%02d-01&to=2016-%02d-%02d&limit=1000",
    m, m, days[m])
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
}
