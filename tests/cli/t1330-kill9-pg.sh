#!/bin/sh
# An ingest or an assess on PostgreSQL killed at any point (kill -9) leaves
# the store whole (the server rolls back the open transaction and frees
# the write lock), and a rerun completes it to what a clean run gives, on
# SQLite too: TRUCE_KILL_RUNS runs (default 3; seeds from TRUCE_KILL_SEED),
# each on a new database of a throwaway cluster. Skipped without
# PostgreSQL 15.
. "$(dirname "$0")/lib.sh"
RUNS=${TRUCE_KILL_RUNS:-3}
SEED=${TRUCE_KILL_SEED:-11}
command -v psql > /dev/null || skip "psql is missing"
PGDIR=$(mktemp -d /tmp/truce-pg-t1330.XXXXXX)
trap 'sh "$SRC/scripts/pg-cluster.sh" stop "$PGDIR"; rm -rf "$T"' EXIT
URL=$(sh "$SRC/scripts/pg-cluster.sh" start "$PGDIR" 2> "$T/cluster.err")
rc=$?
[ $rc -eq 77 ] && skip "$URL"
[ $rc -eq 0 ] || { cat "$T/cluster.err"; fail "the cluster did not start"; }

# 20,000 events: long enough to be killed in the middle of on PostgreSQL
awk 'BEGIN { for (i = 1; i <= 20000; i++)
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
# the clean run, on SQLite
model clean.db || fail "clean model"
"$TRUCE_BIN" --db clean.db ingest k.jsonl > /dev/null 2>&1 || fail "clean ingest"
"$TRUCE_BIN" --db clean.db assess > /dev/null || fail "clean assess"
snapshot clean.db > clean.csv
[ "$(wc -l < clean.csv)" -gt 20000 ] || fail "clean snapshot"
# kill_at DB MS STEP: runs the step on DB, kills it after MS ms; how far it
# got (its events and assessed ones) into killed.txt
kill_at() {
    "$TRUCE_BIN" --db "$1" $3 > /dev/null 2>&1 &
    pid=$!
    sleep "$(echo "$2" | awk '{ printf "%.3f", $1 / 1000 }')"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# how long each step takes here on PostgreSQL: the kills fall within it
psql -X -q "$URL" -c "CREATE DATABASE clean" > /dev/null || fail "database clean"
model "${URL%/*}/clean" || fail "clean model on PostgreSQL"
t0=$(now_ms)
"$TRUCE_BIN" --db "${URL%/*}/clean" ingest k.jsonl > /dev/null 2>&1 || fail "clean ingest on PostgreSQL"
t1=$(now_ms)
"$TRUCE_BIN" --db "${URL%/*}/clean" assess > /dev/null || fail "clean assess on PostgreSQL"
t2=$(now_ms)
ING=$((t1 - t0))
ASS=$((t2 - t1))
snapshot "${URL%/*}/clean" > pgclean.csv
cmp -s clean.csv pgclean.csv || fail "a clean run on PostgreSQL is not SQLite's"
echo "clean on PostgreSQL: ingest $ING ms, assess $ASS ms"
i=0
partial=0
while [ $i -lt "$RUNS" ]; do
    # somewhere in the step's first 90%: from 20 ms on
    ms=$(awk -v s=$((SEED + i)) -v d=$ING 'BEGIN { srand(s); print int(20 + rand() * d * 0.9) }')
    db=k$i
    psql -X -q "$URL" -c "CREATE DATABASE $db" > /dev/null || fail "database $db"
    DB=${URL%/*}/$db
    model "$DB" || fail "model"
    kill_at "$DB" "$ms" "ingest k.jsonl"
    n=$("$TRUCE_BIN" --db "$DB" summary --format json | jq .events) ||
        fail "the store after a killed ingest ($ms ms)"
    [ "$n" -lt 20000 ] && partial=$((partial + 1))
    "$TRUCE_BIN" --db "$DB" ingest k.jsonl > /dev/null 2>&1 || fail "rerun of ingest after $ms ms"
    ms2=$(awk -v s=$((SEED + 100 + i)) -v d=$ASS 'BEGIN { srand(s); print int(20 + rand() * d * 0.9) }')
    kill_at "$DB" "$ms2" "assess"
    a=$("$TRUCE_BIN" --db "$DB" summary --format json | jq .assessed) ||
        fail "the store after a killed assess ($ms2 ms)"
    [ "$a" -lt 20000 ] && partial=$((partial + 1))
    "$TRUCE_BIN" --db "$DB" assess > /dev/null || fail "rerun of assess after $ms2 ms"
    snapshot "$DB" > k.csv
    cmp -s clean.csv k.csv || { diff clean.csv k.csv | head -5; fail "killed at $ms/$ms2 ms: not what a clean run gives"; }
    echo "run $i: ingest killed at $ms ms ($n events), assess at $ms2 ms ($a assessed)"
    i=$((i + 1))
done
[ $partial -gt 0 ] || fail "no run was killed half-way (the machine is too fast for these times)"
echo "$RUNS ingests and $RUNS assessments on PostgreSQL killed at random moments: completed by a rerun to SQLite's clean run"
