#!/bin/sh
# The store on PostgreSQL (DESIGN section 16): a throwaway cluster
# (scripts/pg-cluster.sh), then the main job run twice, once on a SQLite
# file and once on the cluster's database: init, the worked actors and
# agreements, the example events and the ACLED sample, assess, link --all,
# and every output compared, byte for byte: events, each event's
# explanation (so verdicts are identical event by event), incidents,
# summary, trend, coverage and report. Also: ingesting again changes
# nothing, a changed record is updated and marked, and the errors of an
# unreachable server and of a database with no store. Skipped when
# PostgreSQL 15 is not installed.
. "$(dirname "$0")/lib.sh"

command -v jq > /dev/null || skip "jq is missing"
PGDIR=$(mktemp -d /tmp/truce-pg-t1300.XXXXXX)
stop_cluster() { sh "$SRC/scripts/pg-cluster.sh" stop "$PGDIR"; }
trap 'stop_cluster; rm -rf "$T"' EXIT
URL=$(sh "$SRC/scripts/pg-cluster.sh" start "$PGDIR" 2> "$T/cluster.err")
rc=$?
if [ $rc -eq 77 ]; then
    skip "$URL"
fi
[ $rc -eq 0 ] || { cat "$T/cluster.err"; fail "the cluster did not start"; }
case "$URL" in
postgresql://postgres@127.0.0.1:*/truce) ;;
*) fail "the cluster's URL: '$URL'" ;;
esac

# The errors first: no store yet in the database, then no server.
expect_rc 2 truce --db "$URL" events
expect_in "$T/err" "no store in '$URL' (make one with 'truce init'"
port=${URL##*:}
port=${port%/truce}
dead=postgresql://postgres@127.0.0.1:1/truce
expect_rc 2 truce --db "$dead" init
expect_in "$T/err" "no PostgreSQL server answers at 127.0.0.1:1"

# run DIR DB: the job on one store, its outputs in DIR.
run() {
    mkdir -p "$1"
    export TRUCE_DB="$2"
    truce init > "$1/init.txt" || fail "init on $2"
    truce actors load "$DATA/worked/actors.json" > /dev/null || fail "actors load"
    truce agreements load "$DATA/worked/agreements.json" > /dev/null ||
        fail "agreements load"
    truce boundaries load "$SRC/examples/zones/syria.geojson" --name syria \
        > /dev/null || fail "boundaries load on $2"
    for f in "$SRC"/examples/events/*.jsonl "$DATA/acled_sample.csv"; do
        truce ingest --format json "$f" > "$1/ingest-$(basename "$f").json" ||
            fail "ingest $f on $2"
    done
    truce assess --format json > "$1/assess.json" || fail "assess on $2"
    truce link --all --format json > "$1/link.json" || fail "link --all on $2"
    truce events --format json > "$1/events.json" || fail "events on $2"
    jq -r '.events[].id' "$1/events.json" | while read -r id; do
        truce explain "$id" --format json || fail "explain $id on $2"
    done > "$1/explain.jsonl"
    truce incidents --format json > "$1/incidents.json" || fail "incidents"
    truce summary --format json > "$1/summary.json" || fail "summary"
    for a in syria-coh-2016 syria-aleppo-2016-05; do
        truce trend --agreement $a --window 30 --format json \
            > "$1/trend-$a.json" || fail "trend $a on $2"
        truce report --agreement $a --date 2016-05-20 --days 14 --format json \
            > "$1/report-$a.json" || fail "report $a on $2"
    done
    truce coverage --date 2016-05-05 --country syria --format json \
        > "$1/coverage.json" || fail "coverage on $2"
    truce events --bbox 36.9,36.0,37.4,36.4 --from 2016-05-01 --to 2016-06-01 \
        --format json > "$1/events-box.json" || fail "events --bbox on $2"
    truce events --agreement syria-coh-2016 --verdict violation --format json \
        > "$1/events-violations.json" || fail "events --verdict on $2"
    # again: nothing changes
    truce ingest --format json "$DATA/acled_sample.csv" > "$1/again.json" ||
        fail "ingest again on $2"
}

run sq "$T/t.db"
run pg "$URL"

# Only init names the store; every other output is the same, byte for byte.
grep -q "ready (schema version 6)" sq/init.txt || fail "SQLite init"
grep -q "store '$URL' ready (schema version 6)" pg/init.txt || fail "PostgreSQL init"
n=0
for f in sq/*.json sq/*.jsonl; do
    b=$(basename "$f")
    if ! cmp -s "$f" "pg/$b"; then
        diff "$f" "pg/$b" | head -20
        fail "$b differs between SQLite and PostgreSQL"
    fi
    n=$((n + 1))
done
[ $n -ge 15 ] || fail "only $n outputs compared"

# The verdicts are real ones, event by event.
events=$(jq '.events | length' pg/events.json)
expect_eq "events stored" "$events" 134
expect_eq "explained" "$(wc -l < pg/explain.jsonl)" "$events"
expect_eq "violations" "$(jq .violation pg/assess.json)" \
    "$(jq '[.events[] | select(.verdict == "violation")] | length' pg/events.json)"
expect_eq "again" "$(jq -c '[.read, .unchanged, .inserted, .updated]' pg/again.json)" "[11,11,0,0]"

# A changed record: updated, marked, assessed again (on PostgreSQL).
export TRUCE_DB="$URL"
id=$(jq -r '.events[0].id' pg/events.json)
truce explain "$id" --format json | jq -c '.fatalities = 99 | del(.assessments,
    .verdict, .explanation, .incident, .review)' > changed.jsonl
expect_rc 0 truce ingest --input-format jsonl --format json changed.jsonl
expect_eq "changed" "$(jq -c '[.updated, .unchanged]' "$T/out")" "[1,0]"
s=$(truce summary --format json | jq '.events - .assessed')
expect_eq "pending" "$s" 1
expect_rc 0 truce assess
expect_eq "fatalities" "$(truce explain "$id" --format json | jq .fatalities)" 99
expect_eq "pending after" "$(truce summary --format json | jq '.events - .assessed')" 0
echo "ok: $n outputs identical on SQLite and PostgreSQL ($events events)"
