#!/bin/sh
# Events partitioned by month on PostgreSQL (docs/scale.md, issue 12 item
# 4): the main job run on a SQLite file, on a plain PostgreSQL store and on
# a store made with partition=month in its URL: init, the worked actors and
# agreements, the example events and the ACLED sample, assess, link --all;
# then corrected reports (one event moved to the next month, one moved by
# forty days out of its incident, one made longer than two days), assess
# again; then through `truce serve` a field report, a case reviewed step by
# step (and a step out of order refused), an incident split and two
# merged. After each stage every output (events, each event's explanation,
# incidents, summary, trend, report, coverage, a box's events, the audit
# trail) is compared between the three stores, byte for byte (timestamps
# of the reviews aside). On the partitioned store, through psql: the rows
# are in the months' partitions and the long spans' one (tableoid,
# pg_inherits), event_ids agrees with them row for row, a moved event kept
# its key and lives in its new month; and the plans of truce's own
# month-bounded queries (auto_explain, in the server's log) read only the
# partitions their dates reach. Skipped without PostgreSQL 15.
. "$(dirname "$0")/lib.sh"

command -v jq > /dev/null || skip "jq is missing"
command -v psql > /dev/null || skip "psql is missing"
PGDIR=$(mktemp -d /tmp/truce-pg-t1340.XXXXXX)
SERVER=
cleanup() {
    [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; }
    sh "$SRC/scripts/pg-cluster.sh" stop "$PGDIR"
    rm -rf "$T"
}
trap cleanup EXIT
URL=$(sh "$SRC/scripts/pg-cluster.sh" start "$PGDIR" 2> "$T/cluster.err")
rc=$?
[ $rc -eq 77 ] && skip "$URL"
[ $rc -eq 0 ] || { cat "$T/cluster.err"; fail "the cluster did not start"; }
for db in plain part; do
    psql -X -q "$URL" -c "CREATE DATABASE $db" > /dev/null || fail "database $db"
done
SQ=$T/t.db
PLAIN=${URL%/*}/plain
PART="${URL%/*}/part?partition=month"
PARTSQL=${URL%/*}/part # the same database, for psql
psql_part() { psql -X -q -tA -F'|' "$PARTSQL" -c "$1"; }

# A partition parameter truce does not know is refused, naming it.
expect_rc 2 truce --db "${URL%/*}/part?partition=year" init
expect_in "$T/err" "'partition=year' in the URL: the events are partitioned by month"

# outputs DIR DB: what every stage compares.
outputs() {
    mkdir -p "$1"
    export TRUCE_DB="$2"
    truce events --format json > "$1/events.json" || fail "events on $2"
    jq -r '.events[].id' "$1/events.json" | while read -r id; do
        truce explain "$id" --format json || fail "explain $id on $2"
    done > "$1/explain.jsonl"
    truce incidents --format json > "$1/incidents.json" || fail "incidents on $2"
    truce summary --format json > "$1/summary.json" || fail "summary on $2"
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
    truce events --from 2016-06-01 --to 2016-06-30 --format json \
        > "$1/events-june.json" || fail "events in June on $2"
    truce events --agreement syria-coh-2016 --verdict violation --format json \
        > "$1/events-violations.json" || fail "events --verdict on $2"
}

# same STAGE: the stage's outputs are identical on the three stores.
same() {
    n=0
    for f in "$1"-sq/*; do
        b=$(basename "$f")
        for other in plain part; do
            cmp -s "$f" "$1-$other/$b" || {
                diff "$f" "$1-$other/$b" | head -20
                fail "$1: $b differs between SQLite and PostgreSQL ($other)"
            }
        done
        n=$((n + 1))
    done
    [ $n -ge 12 ] || fail "$1: only $n outputs compared"
    echo "$1: $n outputs identical on the three stores"
}

# job DIR DB: the main job.
job() {
    mkdir -p "$1"
    export TRUCE_DB="$2"
    truce init > /dev/null || fail "init on $2"
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
    truce ingest --format json "$DATA/acled_sample.csv" > "$1/again.json" ||
        fail "ingest again on $2"
    outputs "$1" "$2"
}

MOVED=example:al-dabeet-hospital-2016-05-03
UNLINKED=acled:SYR9004
LONG=example:sdf-manbij-al-bab-road-2016-06-09
# corrections DB: the three corrected records, from the store's own.
corrections() {
    export TRUCE_DB="$1"
    {
        truce explain $MOVED --format json |
            jq -c '.date_start = "2016-06-03" | .date_end = "2016-06-03"'
        truce explain $UNLINKED --format json |
            jq -c '.date_start as $d | .date_start = ($d | strptime("%Y-%m-%d") | mktime + 40 * 86400 | strftime("%Y-%m-%d")) | .date_end = .date_start'
        truce explain $LONG --format json | jq -c '.date_end = "2016-06-20"'
    } | jq -c 'del(.assessments, .verdict, .explanation, .incident, .review, .history)'
}

# correct DIR DB: the corrections ingested, assessed, the outputs.
correct() {
    mkdir -p "$1"
    corrections "$2" > "$T/corrected.jsonl"
    export TRUCE_DB="$2"
    truce ingest --input-format jsonl --format json "$T/corrected.jsonl" \
        > "$1/ingest-corrected.json" || fail "ingest corrected on $2"
    truce assess --format json > "$1/assess.json" || fail "assess on $2"
    outputs "$1" "$2"
}

# serve_start DB: truce serve on it (URL in SURL), tokens in MON and ANA.
serve_start() {
    export TRUCE_DB="$1"
    MON=$(truce users add mona --role monitor 2>/dev/null) || fail "users add"
    ANA=$(truce users add ali --role analyst 2>/dev/null) || fail "users add"
    # the last server's output goes first: the new one's shell may make
    # the file after the first look at it (and the old URL answers none)
    rm -f "$T/serve.out"
    "$TRUCE_BIN" serve --port 0 --threads 2 > "$T/serve.out" 2> "$T/serve.err" &
    SERVER=$!
    for _ in $(seq 1 200); do
        SURL=$(sed -n 's/^truce: serving //p' "$T/serve.out" 2>/dev/null)
        [ -n "$SURL" ] && return 0
        sleep 0.05
    done
    cat "$T/serve.err"
    fail "the server on $1 did not start"
}

serve_stop() {
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null
    SERVER=
}

# post TOKEN PATH BODY: CODE, the body in $T/body.
post() {
    CODE=$(curl -s -m 120 -o "$T/body" -w '%{http_code}' -X POST \
        -H "Authorization: Bearer $1" -d "$3" "$SURL${2#/}")
}

# cell DIR DB: the monitoring cell's steps through the API, then the
# outputs, with the reviews' and the audit's timestamps taken out.
cell() {
    mkdir -p "$1"
    serve_start "$2"
    post "$MON" /api/reports '{"date_start":"2016-05-06","lat":36.2,"lon":37.16,"category":"remote_violence","directed":true,"actor1":"Military Forces of Syria","actor2":"Civilians","notes":"barrel bomb"}'
    expect_eq "field report on $2" "$CODE $(jq -r .id "$T/body")" "201 field:1"
    R=/api/events/$MOVED/review
    post "$ANA" "$R" '{"state":"responded","note":"too early"}'
    expect_eq "a step out of order on $2" "$CODE" 409
    post "$ANA" "$R" '{"state":"alleged","note":"rockets on the hospital"}'
    expect_eq "alleged on $2" "$CODE" 200
    post "$ANA" "$R" '{"state":"information_requested","note":"asked","guarantor":"united-states"}'
    expect_eq "requested on $2" "$CODE" 200
    post "$ANA" "$R" '{"state":"responded","note":"answered"}'
    expect_eq "responded on $2" "$CODE" 200
    post "$ANA" "$R" '{"state":"assessed","note":"two sources","outcome":"confirmed_violation"}'
    expect_eq "assessed on $2" "$CODE $(jq -r .review.outcome "$T/body")" "200 confirmed_violation"
    post "$ANA" /api/incidents/split '{"event":"acled:SYR9009"}'
    expect_eq "split on $2" "$CODE" 200
    post "$ANA" /api/incidents/merge '{"events":["example:ahrar-binnish-suicide-2016-04-23","example:bustan-al-qasr-friday-strikes-2016-04-22"]}'
    expect_eq "merge on $2" "$CODE" 200
    curl -s -m 120 -H "Authorization: Bearer $ANA" "${SURL}api/audit?limit=1000" \
        > "$1/audit.json"
    # the case with its review and history, as the dashboard reads it
    curl -s -m 120 "${SURL}api/events/$MOVED" > "$1/case.json"
    serve_stop
    truce assess > /dev/null && truce link > /dev/null || fail "assess, link on $2"
    outputs "$1" "$2"
    for f in "$1"/*.json "$1"/*.jsonl; do
        jq -c 'walk(if type == "object" then del(.at) else . end)' "$f" > "$f.t" &&
            mv "$f.t" "$f"
    done
}

key_before=
for s in sq plain part; do
    case $s in sq) db=$SQ ;; plain) db=$PLAIN ;; part) db=$PART ;; esac
    job "job-$s" "$db"
    [ $s = part ] && key_before=$(psql_part "SELECT key FROM events WHERE id = '$MOVED'")
    correct "corrected-$s" "$db"
    cell "cell-$s" "$db"
done
same job
same corrected
same cell

# The stages did what they say (on the partitioned store; the others are
# the same byte for byte).
expect_eq "events" "$(jq '.events | length' job-part/events.json)" 134
expect_eq "ingest again" "$(jq -c '[.read, .unchanged, .inserted, .updated]' job-part/again.json)" "[11,11,0,0]"
expect_eq "corrections" "$(jq -c '[.read, .updated]' corrected-part/ingest-corrected.json)" "[3,3]"
expect_eq "the moved event's day" "$(grep "\"id\":\"$MOVED\"" corrected-part/explain.jsonl | jq -r .date_start)" 2016-06-03
incident_of() { # FILE EVENT: the events of its incident, sorted
    jq -r --arg e "$2" '[.[] | select(.events | index($e))][0].events | sort | join(" ")' "$1"
}
expect_eq "in its incident before" "$(incident_of job-part/incidents.json $UNLINKED)" \
    "$UNLINKED example:sheikh-maqsoud-shelling-2016-04"
case " $(incident_of corrected-part/incidents.json $UNLINKED) " in
*" example:sheikh-maqsoud-shelling-2016-04 "*) fail "$UNLINKED still in its old incident" ;;
esac
expect_eq "the reviewed case" "$(jq -r '.review.state + " " + .review.outcome' cell-part/case.json)" \
    "assessed confirmed_violation"
expect_eq "the field report" "$(jq '[.events[] | select(.id == "field:1")] | length' cell-part/events.json)" 1
expect_eq "audit entries" "$(jq -r '[.entries[].action] | join(",")' cell-part/audit.json)" \
    "report,review,review,review,review,link-split,link-merge"
expect_eq "merged" "$(jq -r '[.[] | select(.events | index("example:ahrar-binnish-suicide-2016-04-23"))][0].events | length' cell-part/incidents.json)" 2

# The partitioned store's rows: in eight months and the long spans'.
expect_eq "partitioned" "$(psql_part "SELECT relkind FROM pg_class WHERE relname = 'events'")" p
expect_eq "plain" "$(psql -X -q -tA "$PLAIN" -c "SELECT relkind FROM pg_class WHERE relname = 'events'")" r
parts=$(psql_part "SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass")
used=$(psql_part "SELECT count(DISTINCT tableoid) FROM events")
[ "$parts" -ge 9 ] && [ "$used" -ge 9 ] ||
    fail "the events are in $used partitions of $parts (expected 9 or more)"
expect_eq "every row in its month" "$(psql_part "SELECT count(*) FROM events e
    WHERE tableoid::regclass::text <> CASE WHEN long_span THEN 'events_multiday'
    ELSE to_char(to_timestamp(t0) AT TIME ZONE 'UTC', '\"events_\"YYYY_MM') END")" 0
expect_eq "long spans apart" "$(psql_part "SELECT count(*) FROM events WHERE long_span <> (cell IS NULL)")" 0
total=$(psql_part "SELECT count(*) FROM events")
expect_eq "event_ids, row for row" "$(psql_part "SELECT count(*) FROM events e JOIN event_ids i
    ON i.key = e.key AND i.id = e.id AND i.long_span = e.long_span AND i.t0 = e.t0
    AND i.hash = e.hash")" "$total"
expect_eq "event_ids, no more" "$(psql_part "SELECT count(*) FROM event_ids")" "$total"
expect_eq "the moved event" "$(psql_part "SELECT tableoid::regclass, key FROM events WHERE id = '$MOVED'")" \
    "events_2016_06|$key_before"
expect_eq "the longer event" "$(psql_part "SELECT tableoid::regclass FROM events WHERE id = '$LONG'")" events_multiday

# The plans of truce's own queries (auto_explain logs each statement's
# plan in the server's log): a query of ten days in May reads May's
# partition and the long spans', a query of June reads June's and the last
# days of May (an event of up to two days may reach into June).
LOG=$PGDIR/data/server.log
# planned LABEL ARGS...: the partitions in the plans of `truce events ARGS`.
planned() {
    label=$1; shift
    before=$(wc -c < "$LOG")
    PGOPTIONS="-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0" \
        truce --db "$PART" events --format json "$@" > "$T/$label.json" ||
        fail "events $* with auto_explain"
    tail -c +$((before + 1)) "$LOG" > "$T/$label.plans"
    grep -q "Query Text" "$T/$label.plans" || { cat "$T/$label.plans"; fail "no plan logged for $label"; }
    grep -oE ' on events_(multiday|[0-9]{4}_[0-9]{2})' "$T/$label.plans" |
        sed 's/ on //' | sort -u | tr '\n' ' '
}
expect_eq "ten days of May" "$(planned may --bbox 36.9,36.0,37.4,36.4 --from 2016-05-10 --to 2016-05-20)" \
    "events_2016_05 events_multiday "
expect_eq "June" "$(planned june --from 2016-06-01 --to 2016-06-30)" \
    "events_2016_05 events_2016_06 events_multiday "
jq -c 'walk(if type == "object" then del(.at) else . end)' "$T/june.json" |
    cmp -s - cell-sq/events-june.json || fail "the June query with its plans logged"
# A month detached by hand: an event of it is refused, saying so, and
# taken once the month is attached again.
bounds=$(psql_part "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'events_2016_09'")
psql_part "ALTER TABLE events DETACH PARTITION events_2016_09" > /dev/null || fail "detach"
echo '{"id":"field:late","date_start":"2016-09-20","lat":36.2,"lon":37.16,"category":"battle"}' > late.jsonl
expect_rc 2 truce --db "$PART" ingest late.jsonl
expect_in "$T/err" "is not a partition of events (a month detached?)"
psql_part "ALTER TABLE events ATTACH PARTITION events_2016_09 $bounds" > /dev/null || fail "attach"
expect_rc 0 truce --db "$PART" ingest --format json late.jsonl
expect_eq "once attached" "$(jq .inserted "$T/out")" 1
expect_eq "in its month" "$(psql_part "SELECT tableoid::regclass FROM events WHERE id = 'field:late'")" events_2016_09

echo "ok: job, corrections and the cell identical on SQLite, PostgreSQL and PostgreSQL by month ($total events in $used partitions); month queries pruned"
