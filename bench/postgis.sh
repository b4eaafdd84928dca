#!/usr/bin/env bash
# bench/postgis.sh - truce side by side with PostGIS, the tool an analyst
# would otherwise use.
#
# On the UCDP GED Syria file (../shared/data, skipped with a message when
# absent) and on a synthetic file of BENCH_N events (bench/gen_events.py), it
# times:
#   truce    `ingest FILE` and `assess` (after init, actors load, agreements
#            load), wall time and peak RSS from /usr/bin/time -v;
#   PostGIS  load:   COPY the CSV into a table with generated geometry and
#                    radius columns, build a GiST index, ANALYZE;
#            assess: one CREATE TABLE AS query computing, for every event and
#                    every agreement, the time relation and the place relation
#                    of DESIGN.md section 5 steps 1-2 (no actor step).
# and prints a Markdown table of the medians, then checks that the time and
# place relations PostGIS found agree with the ones truce found.
#
# PostgreSQL 15 and PostGIS 3 (Debian 12 packages) are installed with apt-get
# when missing. A throwaway cluster runs as the postgres user in a temporary
# directory, on a unix socket only (no TCP port); it is stopped and the
# directory removed on exit.
#
# Environment:
#   BENCH_TRUCE      truce binary to time (default: `make`, then build/truce)
#   BENCH_TRUCE_LABEL  what that binary is (e.g. a commit), for the report
#   BENCH_N          synthetic events (default 1000000; 0 skips that row)
#   BENCH_RUNS       runs per case, median reported (default 3)
#   BENCH_RUNS_BIG   runs for the synthetic case (default BENCH_RUNS)
#   BENCH_UCDP       UCDP CSV (default ../shared/data/ucdp-ged-syria/ged_syria_2016_2019.csv)
#   BENCH_OUT        also write the report (Markdown) to this file
#   BENCH_NO_CHECK=1 skip the truce-vs-PostGIS agreement check
#   BENCH_TMP        parent of the temporary directory (default /tmp)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_N:-1000000}
RUNS=${BENCH_RUNS:-3}
RUNS_BIG=${BENCH_RUNS_BIG:-$RUNS}
UCDP=${BENCH_UCDP:-$ROOT/../shared/data/ucdp-ged-syria/ged_syria_2016_2019.csv}
PGBIN=/usr/lib/postgresql/15/bin
TRUCE=${BENCH_TRUCE:-$ROOT/build/truce}
AGREEMENTS=$ROOT/examples/agreements-syria-2016.json
ACTORS=$ROOT/examples/actors.json
ZONES_DIR=$ROOT/examples/zones

say() { printf '%s\n' "$*" >&2; }
die() { say "postgis.sh: $*"; exit 2; }

# ------------------------------------------------------------ install
need_install=0
[ -x "$PGBIN/initdb" ] || need_install=1
[ -f /usr/share/postgresql/15/extension/postgis.control ] || need_install=1
if [ "$need_install" = 1 ]; then
    [ "$(id -u)" = 0 ] || die "PostgreSQL 15 / PostGIS 3 missing and not root: apt-get install postgresql postgresql-15-postgis-3"
    say "installing postgresql postgresql-15-postgis-3 ..."
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
        install -y -qq --no-install-recommends postgresql postgresql-15-postgis-3 >&2
fi
[ -x /usr/bin/time ] || {
    [ "$(id -u)" = 0 ] || die "/usr/bin/time missing: apt-get install time"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq time >&2
}
if [ -z "${BENCH_TRUCE:-}" ]; then
    make -C "$ROOT" --no-print-directory >&2 || die "make failed"
fi
[ -x "$TRUCE" ] || die "$TRUCE not built"

# ------------------------------------------------------------ cluster
WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/truce-postgis.XXXXXX")
chmod 755 "$WORK"
PGDATA=$WORK/pg
SOCK=$WORK/sock
PORT=5432   # names the socket file only: listen_addresses is empty
mkdir -p "$PGDATA" "$SOCK"

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres: "$PGDATA" "$SOCK"; fi

started=0
cleanup() {
    local rc=$?
    if [ "$started" = 1 ]; then
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 ||
            as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 \
    --locale=C >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories='$SOCK' -p $PORT" \
    start >/dev/null || { cat "$PGDATA/server.log" >&2; die "pg_ctl start failed"; }
started=1

export PGOPTIONS='-c client_min_messages=warning'
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE bench" >/dev/null
psql_b() { "${PSQL[@]}" -d bench "$@"; }

# ------------------------------------------------ model (not timed)
# Zone files are keyed by file name; an agreement's {"file": "../zones/X"}
# finds X, and its "where" selects features by property equality.
{
    echo "CREATE EXTENSION IF NOT EXISTS postgis;"
    echo "CREATE TABLE zone_file (name text PRIMARY KEY, doc jsonb NOT NULL);"
    for f in "$ZONES_DIR"/*.geojson; do
        printf 'INSERT INTO zone_file VALUES (%s, $zonefile$%s$zonefile$);\n' \
            "'$(basename "$f")'" "$(cat "$f")"
    done
    echo "CREATE TABLE agreement_doc (doc jsonb NOT NULL);"
    printf 'INSERT INTO agreement_doc VALUES ($agreements$%s$agreements$);\n' \
        "$(cat "$AGREEMENTS")"
} >"$WORK/model-data.sql"

cat >"$WORK/model.sql" <<'SQL'
-- A local time of the agreement (no offset: in its time zone; a date alone is
-- 00:00), or an instant with an explicit offset.
CREATE FUNCTION local_ts(s text, tz text) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN s IS NULL THEN NULL
              WHEN s ~ '(Z|[+-]\d\d(:?\d\d)?)$' THEN s::timestamptz
              ELSE s::timestamp AT TIME ZONE tz END
$$;

CREATE TABLE agreement_json AS
SELECT e AS j
FROM agreement_doc d,
     jsonb_array_elements(CASE jsonb_typeof(d.doc) WHEN 'array' THEN d.doc
                          ELSE jsonb_build_array(d.doc) END) e;

CREATE TABLE agreement_zone AS
SELECT a.j->>'id' AS agreement, z->>'name' AS zone,
       ST_SetSRID(ST_GeomFromGeoJSON(z->'geometry'), 4326) AS geom
FROM agreement_json a, jsonb_array_elements(a.j->'zones') z
WHERE z ? 'geometry'
UNION ALL
SELECT a.j->>'id', z->>'name',
       ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326)
FROM agreement_json a
CROSS JOIN LATERAL jsonb_array_elements(a.j->'zones') z
JOIN zone_file zf ON zf.name = regexp_replace(z->>'file', '^.*/', '')
CROSS JOIN LATERAL jsonb_array_elements(
    CASE zf.doc->>'type' WHEN 'FeatureCollection' THEN zf.doc->'features'
    ELSE jsonb_build_array(zf.doc) END) f
WHERE z ? 'file' AND f->'properties' @> coalesce(z->'where', '{}'::jsonb);

-- One row per agreement: its time zone, its in-force intervals as one
-- multirange (adjacent intervals merge, as truce chains them), the union of
-- its zones as geometry, as geography, and its boundary as geography.
-- GeoJSON edges are straight lines in longitude/latitude (RFC 7946 3.1.1),
-- geography edges are geodesics: a 300 km edge at 33 N differs by ~1 km.
-- Segmentizing to 0.05 degrees first makes the geography follow the
-- GeoJSON edge to within a metre.
CREATE TABLE agreement AS
WITH u AS (
  SELECT agreement, ST_Multi(ST_Union(ST_MakeValid(geom))) AS geom
  FROM agreement_zone GROUP BY agreement
)
SELECT a.j->>'id' AS id,
       a.j->>'timezone' AS tz,
       (SELECT range_agg(tstzrange(local_ts(i->>'from', a.j->>'timezone'),
                                   coalesce(local_ts(i->>'until', a.j->>'timezone'),
                                            'infinity'), '[)'))
        FROM jsonb_array_elements(a.j->'in_force') i) AS in_force,
       u.geom AS zone,
       ST_Segmentize(u.geom, 0.05)::geography AS zone_geog,
       ST_Segmentize(ST_Boundary(u.geom), 0.05)::geography AS zone_boundary
FROM agreement_json a JOIN u ON u.agreement = a.j->>'id';
ANALYZE agreement;
SQL

cat >"$WORK/show-model.sql" <<'SQL'
SELECT id, tz, in_force, ST_NPoints(zone) AS vertices,
       round((ST_Area(zone_geog) / 1e6)::numeric) AS area_km2
FROM agreement ORDER BY id;
SQL

psql_b -f "$WORK/model-data.sql" >/dev/null
psql_b -f "$WORK/model.sql" >/dev/null
say "PostGIS agreements:"
psql_b -f "$WORK/show-model.sql" >&2

# ------------------------------------------------ the timed SQL
# (a) load: the equivalent of `truce ingest`. The :'csv' variable is the file.
cat >"$WORK/load.sql" <<'SQL'
DROP TABLE IF EXISTS assessment;
DROP TABLE IF EXISTS ged;
CREATE TABLE ged (
  id bigint PRIMARY KEY, year int, active_year int, type_of_violence int,
  conflict_new_id int, conflict_name text, dyad_new_id int, dyad_name text,
  side_a_new_id int, side_a text, side_b_new_id int, gwnob text, side_b text,
  number_of_sources int, source_article text, source_office text,
  source_date text, source_headline text, source_original text,
  where_prec int, where_coordinates text, adm_1 text, adm_2 text,
  latitude double precision, longitude double precision, geom_wkt text,
  priogrid_gid int, country text, country_id int, region text,
  event_clarity int, date_prec int, date_start date, date_end date,
  deaths_a int, deaths_b int, deaths_civilians int, deaths_unknown int,
  low int, best int, high int,
  -- the point, and the uncertainty radius of DESIGN.md 3.2 (NULL = unknown)
  geom geometry(Point, 4326) GENERATED ALWAYS AS
    (ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)) STORED,
  radius_km double precision GENERATED ALWAYS AS
    (CASE where_prec WHEN 1 THEN 0 WHEN 2 THEN 25 WHEN 3 THEN 50
                     WHEN 4 THEN 100 WHEN 5 THEN 150 END) STORED,
  CHECK (date_end >= date_start)
);
COPY ged (id, year, active_year, type_of_violence, conflict_new_id,
  conflict_name, dyad_new_id, dyad_name, side_a_new_id, side_a,
  side_b_new_id, gwnob, side_b, number_of_sources, source_article,
  source_office, source_date, source_headline, source_original, where_prec,
  where_coordinates, adm_1, adm_2, latitude, longitude, geom_wkt,
  priogrid_gid, country, country_id, region, event_clarity, date_prec,
  date_start, date_end, deaths_a, deaths_b, deaths_civilians, deaths_unknown,
  low, best, high)
FROM :'csv' WITH (FORMAT csv, HEADER true);
CREATE INDEX ged_geom ON ged USING gist (geom);
ANALYZE ged;
SQL

# (b) assess: the equivalent of `truce assess` without the actor step. Time
# first, as truce does: the place is computed only where the time is not
# outside (NULL there), since the verdict is then not_applicable anyway.
cat >"$WORK/assess.sql" <<'SQL'
DROP TABLE IF EXISTS assessment;
CREATE TABLE assessment AS
SELECT e.id AS event_id, a.id AS agreement, t.time_rel,
  CASE
    WHEN t.time_rel = 'outside' THEN NULL
    WHEN e.radius_km IS NULL THEN 'straddles'           -- radius unknown
    WHEN e.radius_km = 0 THEN
      CASE WHEN ST_Covers(a.zone, e.geom) THEN 'within' ELSE 'outside' END
    WHEN ST_Covers(a.zone, e.geom) THEN                 -- inside U
      CASE WHEN ST_DWithin(a.zone_boundary, e.geom::geography,
                           e.radius_km * 1000)
           THEN 'straddles' ELSE 'within' END
    ELSE                                                -- outside U
      CASE WHEN ST_DWithin(a.zone_geog, e.geom::geography,
                           e.radius_km * 1000)
           THEN 'straddles' ELSE 'outside' END
  END AS place_rel
FROM agreement a                  -- outer loop: one agreement at a time, so
CROSS JOIN LATERAL (              -- PostGIS's prepared-geometry and geography
  SELECT g.*,                     -- tree caches stay warm
         tstzrange(g.date_start::timestamp AT TIME ZONE a.tz,
                   (g.date_end + 1)::timestamp AT TIME ZONE a.tz, '[)') AS iv
  FROM ged g
  OFFSET 0) e                     -- (a fence: keeps the agreement loop outside)
CROSS JOIN LATERAL (
  SELECT CASE WHEN NOT e.iv && a.in_force THEN 'outside'
              WHEN e.iv <@ a.in_force THEN 'within'
              ELSE 'straddles' END AS time_rel) t;
SQL

# ------------------------------------------------------------ runners
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR/2] + v[NR/2 + 1]) / 2 }'; }

# time_v OUTFILE CMD...: runs CMD under /usr/bin/time -v; sets T_WALL, T_RSS_KB.
time_v() {
    local out=$1; shift
    local t0 t1 rc=0
    t0=$(now)
    /usr/bin/time -v -o "$out.time" "$@" >"$out.stdout" 2>"$out.stderr" || rc=$?
    t1=$(now)
    T_WALL=$(elapsed "$t0" "$t1")
    T_RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out.time")
    return $rc
}

# run_truce NAME CSV RUN: appends "ingest assess rss_mb" to $WORK/NAME.truce
run_truce() {
    local name=$1 csv=$2 run=$3 db=$WORK/truce-$1.db
    local ingest_s assess_s rss1 rss2
    rm -f "$db" "$db-wal" "$db-shm"
    "$TRUCE" --db "$db" init >/dev/null 2>&1
    "$TRUCE" --db "$db" actors load "$ACTORS" >/dev/null 2>&1
    "$TRUCE" --db "$db" agreements load "$AGREEMENTS" >/dev/null 2>&1
    sync
    if ! time_v "$WORK/$name-ingest-$run" "$TRUCE" --db "$db" ingest "$csv"; then
        say "truce ingest FAILED on $name (run $run):"; tail -5 "$WORK/$name-ingest-$run.stderr" >&2
        return 1
    fi
    ingest_s=$T_WALL rss1=$T_RSS_KB
    if ! time_v "$WORK/$name-assess-$run" "$TRUCE" --db "$db" assess; then
        say "truce assess FAILED on $name (run $run):"; tail -5 "$WORK/$name-assess-$run.stderr" >&2
        return 1
    fi
    assess_s=$T_WALL rss2=$T_RSS_KB
    say "  truce   run $run: ingest ${ingest_s}s (RSS $((rss1 / 1024)) MB), assess ${assess_s}s (RSS $((rss2 / 1024)) MB): $(tail -1 "$WORK/$name-assess-$run.stdout")"
    echo "$ingest_s $assess_s $(( (rss1 > rss2 ? rss1 : rss2) / 1024 ))" >>"$WORK/$name.truce"
}

# run_pg NAME CSV RUN: appends "load assess" to $WORK/NAME.pg
run_pg() {
    local name=$1 csv=$2 run=$3 t0 t1 load_s assess_s
    psql_b -c "DROP TABLE IF EXISTS assessment; DROP TABLE IF EXISTS ged; CHECKPOINT;" >/dev/null 2>&1
    sync
    t0=$(now)
    psql_b -v csv="$csv" -f "$WORK/load.sql" >/dev/null
    t1=$(now); load_s=$(elapsed "$t0" "$t1")
    psql_b -c "CHECKPOINT" >/dev/null
    t0=$(now)
    psql_b -f "$WORK/assess.sql" >/dev/null
    t1=$(now); assess_s=$(elapsed "$t0" "$t1")
    say "  PostGIS run $run: load ${load_s}s, assess ${assess_s}s ($(psql_b -At -c "SELECT count(*) FROM assessment") rows)"
    echo "$load_s $assess_s" >>"$WORK/$name.pg"
}

# check NAME: compares PostGIS's relations with truce's, read from the
# explanations that `truce events --format jsonl` streams (not timed above;
# its wall time and peak RSS are reported as a by-product).
check() {
    local name=$1 rc=0
    [ "${BENCH_NO_CHECK:-0}" = 1 ] && return 0
    psql_b -c "\\copy (SELECT event_id, agreement, time_rel, coalesce(place_rel, '') FROM assessment) TO '$WORK/$name-pg.csv' CSV" >/dev/null
    /usr/bin/time -v -o "$WORK/$name-events.time" \
        "$TRUCE" --db "$WORK/truce-$name.db" events --format jsonl 2>"$WORK/$name-events.stderr" |
    python3 -c '
import collections, csv, json, re, sys
pgcsv, out = sys.argv[1:3]
pg = {}
with open(pgcsv, newline="") as f:
    for ev, agr, t, p in csv.reader(f):
        pg[(int(ev), agr)] = (t, p or None)
# "... lies within ZONE of AGREEMENT ..." or "...; its place (LAT, LON;
# radius R km) lies outside|straddles the edge of the zones of ..."
place_re = re.compile(r"; its place \([^()]*\) (lies within|lies outside|"
                      r"within|outside|straddles)")
n = 0
diff = collections.Counter()
examples = collections.defaultdict(list)
for line in sys.stdin:
    e = json.loads(line)
    sid = int(e["source_id"])
    for a in e.get("assessments", []):
        n += 1
        expl = a.get("explanation") or ""
        if a["reason"] == "not_in_force":
            t, p = "outside", None
        else:
            t = "straddles" if "Its time straddles" in expl else "within"
            m = place_re.search(expl)
            if m:
                w = m.group(1)
                p = ("within" if "within" in w else
                     "outside" if "outside" in w else "straddles")
            elif " lies within " in expl:
                p = "within"
            else:
                p = "?"
        key = (sid, a["agreement"])
        q = pg.pop(key, None)
        if q is None:
            diff[("missing in PostGIS", "", "")] += 1
            continue
        what = "time" if q[0] != t else "place" if q[1] != p else None
        if what:
            k = (what, t if what == "time" else p, q[0] if what == "time" else q[1])
            diff[k] += 1
            if len(examples[k]) < 3:
                examples[k].append(key)
lines = [f"pairs (event, agreement) compared: {n}; only in PostGIS: {len(pg)}; "
         f"differing: {sum(diff.values())}"]
for k, c in sorted(diff.items(), key=lambda kv: -kv[1]):
    lines.append(f"  {k[0]}: truce {k[1]} / PostGIS {k[2]}: {c}, e.g. {examples[k]}")
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines), file=sys.stderr)
with open(out + ".keys", "w") as f:
    for k, keys in examples.items():
        if k[0] == "place":
            for ev, agr in keys:
                f.write(f"{ev},{agr},{k[1]},{k[2]}\n")
' "$WORK/$name-pg.csv" "$WORK/$name-check.md" || rc=$?
    if [ "$rc" != 0 ]; then
        say "check of $name failed:"; tail -3 "$WORK/$name-events.stderr" >&2
        return 0
    fi
    echo "  (\`truce events --format jsonl\` over the store, piped into the Python reader: $(awk -F': ' '/Elapsed \(wall/ { print $2 }' "$WORK/$name-events.time") wall, peak RSS $(( $(awk -F': ' '/Maximum resident/ { print $2 }' "$WORK/$name-events.time") / 1024 )) MB)" >>"$WORK/$name-check.md"
    # Where the place relations differ: how far is the point from the union's
    # boundary, on the ellipsoid, against the radius?
    if [ -s "$WORK/$name-check.md.keys" ]; then
        psql_b -q -c "CREATE TEMP TABLE k (event_id bigint, agreement text, truce text, postgis text)" \
            -c "\\copy k FROM '$WORK/$name-check.md.keys' CSV" \
            -c "\\pset footer off" -A -F ' | ' -c "
SELECT k.event_id, k.agreement, k.truce, k.postgis, g.radius_km,
       round((ST_Distance(a.zone_boundary, g.geom::geography) / 1000)::numeric, 3)
         AS km_to_boundary,
       ST_Covers(a.zone, g.geom) AS inside
FROM k JOIN ged g ON g.id = k.event_id JOIN agreement a ON a.id = k.agreement
ORDER BY 1, 2" >"$WORK/$name-check.md.dist" 2>&1 || true
        { echo "  where the place differs (PostGIS distance to the boundary, km):";
          sed 's/^/    /' "$WORK/$name-check.md.dist"; } >>"$WORK/$name-check.md"
        cat "$WORK/$name-check.md.dist" >&2
    fi
}

# case NAME CSV RUNS
declare -A ROWS_N
bench_case() {
    local name=$1 csv=$2 runs=$3 ok=1
    : >"$WORK/$name.truce"; : >"$WORK/$name.pg"
    say "== $name: $csv, $runs run(s)"
    for run in $(seq 1 "$runs"); do
        run_truce "$name" "$csv" "$run" || ok=0
        run_pg "$name" "$csv" "$run"
    done
    ROWS_N[$name]=$(psql_b -At -c "SELECT count(*) FROM ged")
    [ "$ok" = 1 ] && check "$name" || true
}

commas() { printf '%s' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
col() { awk -v c="$2" '{ print $c }' "$1"; }
row() {
    local name=$1 label=$2 runs=$3
    local ti ta tr pl pa
    if [ -s "$WORK/$name.truce" ]; then
        ti=$(median $(col "$WORK/$name.truce" 1))
        ta=$(median $(col "$WORK/$name.truce" 2))
        tr=$(median $(col "$WORK/$name.truce" 3))
    else
        ti=failed ta=failed tr=-
    fi
    pl=$(median $(col "$WORK/$name.pg" 1))
    pa=$(median $(col "$WORK/$name.pg" 2))
    echo "| $label | $ti | $ta | $tr | $pl | $pa | $runs |"
}

# ------------------------------------------------------------ run
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(now)
have_ucdp=0
if [ -f "$UCDP" ]; then
    have_ucdp=1
    bench_case ucdp "$UCDP" "$RUNS"
else
    say "SKIP: UCDP file $UCDP not found (../shared/data is not part of the repository); UCDP row skipped"
fi
if [ "$N" -gt 0 ]; then
    say "generating $N synthetic events ..."
    python3 "$ROOT/bench/gen_events.py" "$N" -o "$WORK/synthetic.csv"
    chmod 644 "$WORK/synthetic.csv"
    bench_case synthetic "$WORK/synthetic.csv" "$RUNS_BIG"
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

{
    echo "## truce vs PostGIS ($(date -u +%Y-%m-%dT%H:%MZ))"
    echo
    echo "Median wall time in seconds; peak RSS of truce is the larger of ingest and assess."
    echo
    echo "| data set | truce ingest s | truce assess s | truce peak RSS MB | PostGIS load s | PostGIS assess s | runs |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    [ "$have_ucdp" = 1 ] && row ucdp "UCDP GED Syria ($(commas "${ROWS_N[ucdp]}"))" "$RUNS"
    [ "$N" -gt 0 ] && row synthetic "synthetic ($(commas "${ROWS_N[synthetic]}"))" "$RUNS_BIG"
    echo
    echo "Runs (truce: ingest s, assess s, peak RSS MB; PostGIS: load s, assess s):"
    echo
    for name in ucdp synthetic; do
        [ -f "$WORK/$name.pg" ] || continue
        echo "- $name truce: $(paste -sd';' "$WORK/$name.truce")"
        echo "- $name PostGIS: $(paste -sd';' "$WORK/$name.pg")"
    done
    echo
    echo "Agreement of the time and place relations (truce's explanation vs PostGIS):"
    echo
    for name in ucdp synthetic; do
        [ -f "$WORK/$name-check.md" ] && { echo "- $name:"; sed 's/^/    /' "$WORK/$name-check.md"; }
    done
    echo
    echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
         "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM;" \
         "load average before $LOAD_BEFORE, after $LOAD_AFTER;" \
         "total $(elapsed "$T_START" "$(now)") s"
    echo
    echo "Versions: $(psql_b -At -c 'SELECT version()')"
    echo
    echo "PostGIS: $(psql_b -At -c 'SELECT postgis_full_version()')"
    echo
    echo "truce: $TRUCE ($("$TRUCE" --version 2>/dev/null | head -1 || true)${BENCH_TRUCE_LABEL:+, $BENCH_TRUCE_LABEL}), GEOS $(geos-config --version 2>/dev/null || echo '?'), SQLite $(pkg-config --modversion sqlite3 2>/dev/null || echo '?')"
} | tee "${BENCH_OUT:-/dev/null}"
