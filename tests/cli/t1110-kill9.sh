#!/bin/sh
# A run killed at any point (kill -9) leaves a whole store, and a rerun
# completes it to what a clean run gives: ingest and assess, each killed at
# TRUCE_KILL_RUNS random moments (default 6; seeds from TRUCE_KILL_SEED).
. "$(dirname "$0")/lib.sh"
RUNS=${TRUCE_KILL_RUNS:-6}
SEED=${TRUCE_KILL_SEED:-7}
# 50,000 events: long enough to be killed in the middle of
awk 'BEGIN { for (i = 1; i <= 50000; i++)
    printf "{\"id\":\"k:%d\",\"date_start\":\"2016-%02d-%02d\",\"lat\":%.4f,\"lon\":%.4f,\"category\":\"%s\",\"actor1\":\"Military Forces of Syria (2000-)\",\"actor2\":\"%s\",\"notes\":\"row %d\"}\n",
        i, 2 + i % 8, 1 + i % 28, 33 + (i % 500) / 100.0, 36 + (i % 700) / 100.0,
        (i % 3 ? "battle" : "remote_violence"), (i % 2 ? "Syrian insurgents" : "Civilians (Syria)"), i }' > k.jsonl
model() { # model DB
    "$TRUCE_BIN" --db "$1" init > /dev/null &&
    "$TRUCE_BIN" --db "$1" actors load "$SRC/examples/actors.json" > /dev/null &&
    "$TRUCE_BIN" --db "$1" agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null 2>&1
}
snapshot() { # snapshot DB: every event with its verdict, sorted
    "$TRUCE_BIN" --db "$1" events --format csv | sort
}
model clean.db || fail "clean model"
"$TRUCE_BIN" --db clean.db ingest k.jsonl > /dev/null 2>&1 || fail "clean ingest"
"$TRUCE_BIN" --db clean.db assess > /dev/null || fail "clean assess"
snapshot clean.db > clean.csv
[ "$(wc -l < clean.csv)" -gt 50000 ] || fail "clean snapshot"
# kill_at DB MS STEP: runs the step on DB, kills it after MS ms
kill_at() {
    "$TRUCE_BIN" --db "$1" $3 > /dev/null 2>&1 &
    pid=$!
    sleep "$(echo "$2" | awk '{ printf "%.3f", $1 / 1000 }')"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
}
i=0
while [ $i -lt "$RUNS" ]; do
    ms=$(awk -v s=$((SEED + i)) 'BEGIN { srand(s); print int(20 + rand() * 600) }')
    rm -f k.db k.db-wal k.db-shm
    model k.db || fail "model"
    kill_at k.db "$ms" "ingest k.jsonl"
    expect_eq "integrity after a killed ingest ($ms ms)" "$(sqlite3 k.db 'PRAGMA integrity_check')" ok
    "$TRUCE_BIN" --db k.db ingest k.jsonl > /dev/null 2>&1 || fail "rerun of ingest after $ms ms"
    ms2=$(awk -v s=$((SEED + 100 + i)) 'BEGIN { srand(s); print int(10 + rand() * 300) }')
    kill_at k.db "$ms2" "assess"
    expect_eq "integrity after a killed assess ($ms2 ms)" "$(sqlite3 k.db 'PRAGMA integrity_check')" ok
    "$TRUCE_BIN" --db k.db assess > /dev/null || fail "rerun of assess after $ms2 ms"
    snapshot k.db > k.csv
    cmp -s clean.csv k.csv || { diff clean.csv k.csv | head -5; fail "killed at $ms/$ms2 ms: not what a clean run gives"; }
    i=$((i + 1))
done
echo "$RUNS ingests and $RUNS assessments killed at random moments: whole, and completed by a rerun"
