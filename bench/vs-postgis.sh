#!/bin/sh
# bench/vs-postgis.sh - truce at archive scale against what an analyst
# would otherwise use, in one run (issue 10's benchmark):
#
#   the UCDP GED Syria file tiled by bench/tile_ucdp.py to COPIES copies
#   (default 61: 1,010,526 events) and to SMALL copies (default 15:
#   248,490 events), then on each size:
#   PostGIS  COPY the CSV into a table, make the points, a GiST index, and
#            the ST_Contains join against the 14 governorates (OCHA's
#            admin 1 boundaries from ../shared): PostgreSQL 15 + PostGIS 3
#            from Debian in a throwaway cluster (scripts/pg-cluster.sh);
#   DuckDB   the bare CSV load (CREATE TABLE AS read_csv, 2 threads), from
#            npm's @duckdb/node-api (installed in the work folder);
#   truce    `ingest` + `assess` into a new store with the example actors
#            and agreements, `assess --stream` (compact JSON Lines), and
#            `whatif` with the 27 February cessation starting 1 June;
# and prints a Markdown table of each time, peak RSS (truce, /usr/bin/time)
# and ratio to PostGIS. Skips with a message when ../shared is absent.
#
# usage: bench/vs-postgis.sh [COPIES] [SMALL]
# BENCH_DIR keeps the tiled files between runs (default /tmp/truce-vs).
set -eu
COPIES=${1:-61}
SMALL=${2:-15}
TOP=$(cd "$(dirname "$0")/.." && pwd)
TRUCE=$TOP/build/truce
SHARED=${TRUCE_SHARED:-$TOP/../shared}
UCDP=${BENCH_UCDP:-$SHARED/data/ucdp-ged-syria/ged_syria_2016_2019.csv}
ADMIN1=$SHARED/data/ocha-cod-ab-syria/syr_admin1.geojson
[ -f "$UCDP" ] && [ -f "$ADMIN1" ] ||
    { echo "vs-postgis.sh: $UCDP or $ADMIN1 is absent: skipped"; exit 0; }
W=${BENCH_DIR:-/tmp/truce-vs}
mkdir -p "$W"
chmod 755 "$W"
say() { echo "vs-postgis.sh: $*" >&2; }

# ------------------------------------------------------------ install
if [ ! -f /usr/share/postgresql/15/extension/postgis.control ] || ! command -v psql > /dev/null; then
    say "installing postgresql-15 and postgresql-15-postgis-3"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends postgresql-15 postgresql-client-15 postgresql-15-postgis-3 > /dev/null
fi
command -v /usr/bin/time > /dev/null || apt-get install -y -qq time > /dev/null
if [ ! -d "$W/node/node_modules/@duckdb/node-api" ]; then
    say "installing @duckdb/node-api from npm"
    mkdir -p "$W/node"
    (cd "$W/node" && npm install --silent --no-audit --no-fund @duckdb/node-api > /dev/null)
fi
[ -x "$TRUCE" ] || make -C "$TOP" build/truce

# ------------------------------------------------------------ inputs
for n in "$SMALL" "$COPIES"; do
    [ -f "$W/tiled-$n.csv" ] || python3 "$TOP/bench/tile_ucdp.py" "$UCDP" "$n" -o "$W/tiled-$n.csv"
    chmod 644 "$W/tiled-$n.csv"
done
jq '[.[] | select(.id == "syria-coh-2016") | .in_force = [{"from": "2016-06-01T00:00", "until": "2016-12-30T00:00"}]]' \
    "$TOP/examples/agreements-syria-2016.json" > "$W/draft.json"
rm -rf "$W/zones" && cp -r "$TOP/examples/zones" "$W/zones"
cat > "$W/duckdb.mjs" <<'EOF'
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const c = await db.connect();
const t = Date.now();
await c.run(`CREATE TABLE ged AS SELECT * FROM read_csv('${process.argv[2]}', header = true)`);
const r = await c.runAndReadAll('SELECT count(*) FROM ged');
console.log(((Date.now() - t) / 1000).toFixed(2), String(r.getRows()[0][0]));
EOF
cp "$W/duckdb.mjs" "$W/node/duckdb.mjs"

# ---------------------------------------------------------- PostGIS
PG=$(mktemp -d "$W/pg-XXXXXX")
rmdir "$PG"
URL=$("$TOP/scripts/pg-cluster.sh" start "$PG")
trap '"$TOP/scripts/pg-cluster.sh" stop "$PG" > /dev/null 2>&1 || true' EXIT
export PGOPTIONS="-c client_min_messages=warning"
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$URL" "$@"; }
psql_q -c "CREATE EXTENSION postgis" > /dev/null
# the governorates (not timed)
psql_q -c "CREATE TABLE gov_doc(doc jsonb)" > /dev/null
printf 'INSERT INTO gov_doc VALUES ($gov$%s$gov$);\n' "$(cat "$ADMIN1")" | psql_q > /dev/null
psql_q > /dev/null <<'SQL'
CREATE TABLE gov AS
SELECT f->'properties'->>'ADM1_EN' AS name,
       ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326) AS geom
FROM gov_doc, jsonb_array_elements(doc->'features') f;
CREATE INDEX ON gov USING gist(geom);
SQL
COLS=$(head -1 "$UCDP" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
postgis() { # FILE: seconds for the four steps
    psql_q -c "DROP TABLE IF EXISTS ged, hits" > /dev/null
    psql_q -c "CREATE TABLE ged ($COLS)" > /dev/null
    cat > "$W/postgis.sql" <<SQL
\\timing on
COPY ged FROM '$1' WITH (FORMAT csv, HEADER true);
ALTER TABLE ged ADD COLUMN geom geometry(Point, 4326);
UPDATE ged SET geom = ST_SetSRID(ST_MakePoint(longitude::float8, latitude::float8), 4326);
CREATE INDEX ged_geom ON ged USING gist(geom);
CREATE TABLE hits AS SELECT g.id, a.name FROM ged g JOIN gov a ON ST_Contains(a.geom, g.geom);
SQL
    s=$(date +%s.%N)
    psql_q -f "$W/postgis.sql" > "$W/postgis.out"
    e=$(date +%s.%N)
    echo "$s $e" | awk '{printf "%.2f", $2 - $1}'
}

# ---------------------------------------------------------- truce
timed() { # OUT COMMAND...: "seconds peak-MB" of the command
    out=$1; shift
    /usr/bin/time -f '%e %M' -o "$W/time" "$@" > "$out" 2>&1 || { cat "$out" >&2; exit 1; }
    read -r secs kb < "$W/time"
    echo "$secs $((kb / 1024))"
}

row() { # STEP SECONDS MB POSTGIS
    awk -v s="$1" -v t="$2" -v m="$3" -v p="$4" 'BEGIN {
        printf "| %s | %s | %s | %.1fx |\n", s, t, m, p / t }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%d)"
for n in "$SMALL" "$COPIES"; do
    CSV=$W/tiled-$n.csv
    events=$(python3 -c "import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline='', encoding='utf-8'))) - 1)" "$CSV")
    P=$(postgis "$CSV")
    hits=$(psql_q -t -A -c "SELECT count(*) FROM hits")
    D=$(cd "$W/node" && node duckdb.mjs "$CSV")
    export TRUCE_DB="$W/store-$n.db"
    rm -f "$TRUCE_DB" "$TRUCE_DB-wal" "$TRUCE_DB-shm"
    "$TRUCE" init > /dev/null
    "$TRUCE" actors load "$TOP/examples/actors.json" > /dev/null 2>&1
    "$TRUCE" agreements load "$TOP/examples/agreements-syria-2016.json" > /dev/null 2>&1
    set -- $(timed "$W/ingest.out" "$TRUCE" ingest "$CSV")
    I=$1 IM=$2
    set -- $(timed "$W/assess.out" "$TRUCE" assess)
    A=$1 AM=$2
    set -- $(timed /dev/null "$TRUCE" assess --stream "$CSV")
    S=$1 SM=$2
    set -- $(timed "$W/whatif.out" "$TRUCE" whatif "$W/draft.json" --format json)
    WI=$1 WM=$2
    echo
    echo "### $events events ($n copies): PostGIS $P s ($hits points in a governorate)"
    echo
    echo "| step | seconds | peak RSS MB | PostGIS / step |"
    echo "|---|---:|---:|---:|"
    row "PostGIS: COPY, points, GiST index, ST_Contains join" "$P" "" "$P"
    row "DuckDB: CSV load (${D#* } rows)" "${D% *}" "" "$P"
    row "truce ingest" "$I" "$IM" "$P"
    row "truce assess" "$A" "$AM" "$P"
    row "truce ingest + assess" "$(echo "$I $A" | awk '{print $1 + $2}')" "" "$P"
    row "truce assess --stream (JSON Lines)" "$S" "$SM" "$P"
    row "truce whatif (the cessation from 1 June)" "$WI" "$WM" "$P"
    rm -f "$TRUCE_DB" "$TRUCE_DB-wal" "$TRUCE_DB-shm"
done
