#!/bin/sh
# make bench: the figures of docs/benchmarks.md. Phase timings of ingest and
# assess through the library on UCDP GED Syria (../shared/data; skipped,
# saying so, when absent), the same through the command line, and, with
# BENCH_LOAD=1, the HTTP load test (bench/load.sh, a few minutes).
set -eu
cd "$(dirname "$0")/.."
UCDP=${TRUCE_SHARED:-../shared}/data/ucdp-ged-syria/ged_syria_2016_2019.csv
if [ -f "$UCDP" ]; then
    echo "== library phases on UCDP GED Syria ($(wc -l < "$UCDP") lines), best of 5"
    build/bench_ingest "$UCDP" examples/actors.json examples/agreements-syria-2016.json 5
    echo "== the command line, ingest then assess, 5 runs"
    DB=$(mktemp -d)/b.db
    for i in 1 2 3 4 5; do
        rm -f "$DB" "$DB-wal" "$DB-shm"
        build/truce --db "$DB" init > /dev/null
        build/truce --db "$DB" actors load examples/actors.json > /dev/null
        build/truce --db "$DB" agreements load examples/agreements-syria-2016.json > /dev/null
        /usr/bin/time -f "run $i: ingest %e s (peak RSS %M KB)" build/truce --db "$DB" ingest "$UCDP" 2>&1 >/dev/null | grep -v '^truce'
        /usr/bin/time -f "run $i: assess %e s (peak RSS %M KB)" build/truce --db "$DB" assess 2>&1 >/dev/null
    done
    rm -rf "$(dirname "$DB")"
else
    echo "skipped: $UCDP is absent (the UCDP benchmark needs ../shared/data)"
fi
if [ "${BENCH_LOAD:-0}" = 1 ]; then
    bench/load.sh
fi
