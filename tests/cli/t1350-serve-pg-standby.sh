#!/bin/sh
# Reads from a hot standby (docs/scale.md, issue 12 item 4): a primary
# cluster and a streaming replica of it (scripts/pg-cluster.sh replica:
# pg_basebackup -R, its own folder and port), `truce serve` on each. The
# replica's server starts first, with events pending assessment: it says
# it serves reads only, and in the seconds that follow assesses and links
# nothing and leaves no error in the standby's log. The primary's server
# then assesses them and takes the writes (a field report, a case reviewed
# step by step, a split); once the standby has replayed them, the
# replica's server answers the dashboard's GETs as the primary's does,
# byte for byte. Writes sent to the replica's server (a report, a review,
# a delete, a split) are refused at once with 503 `read_only` naming the
# standby, never a 500 and never a wait, and change nothing; the command
# line on the standby says the same. Last, the standby is promoted: the
# same server then takes a report. Skipped without PostgreSQL 15.
. "$(dirname "$0")/lib.sh"

command -v jq > /dev/null || skip "jq is missing"
command -v psql > /dev/null || skip "psql is missing"
PRIMARY=$(mktemp -d /tmp/truce-pg-t1350p.XXXXXX)
STANDBY=$(mktemp -d /tmp/truce-pg-t1350s.XXXXXX)
rmdir "$STANDBY"
PIDS=""
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    sh "$SRC/scripts/pg-cluster.sh" stop "$STANDBY"
    sh "$SRC/scripts/pg-cluster.sh" stop "$PRIMARY"
    rm -rf "$T"
}
trap cleanup EXIT
P=$(sh "$SRC/scripts/pg-cluster.sh" start "$PRIMARY" 2> "$T/cluster.err")
rc=$?
[ $rc -eq 77 ] && skip "$P"
[ $rc -eq 0 ] || { cat "$T/cluster.err"; fail "the primary did not start"; }

export TRUCE_DB="$P"
truce init > /dev/null || fail "init"
truce actors load "$SRC/examples/actors.json" > /dev/null 2>&1 || fail "actors"
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null 2>&1 ||
    fail "agreements"
truce boundaries load "$SRC/examples/zones/syria.geojson" --name syria > /dev/null ||
    fail "boundaries"
truce ingest "$SRC/examples/events/spring-2016.jsonl" > /dev/null 2>&1 || fail "ingest"
MON=$(truce users add mona --role monitor 2>/dev/null)
ANA=$(truce users add ali --role analyst 2>/dev/null)
ADM=$(truce users add root --role admin 2>/dev/null)

S=$(sh "$SRC/scripts/pg-cluster.sh" replica "$STANDBY" "$PRIMARY" 2> "$T/replica.err") ||
    { cat "$T/replica.err"; fail "the standby did not start"; }
[ "$S" != "$P" ] || fail "one URL for the primary and the standby"
expect_eq "in recovery" "$(psql -X -tA "$S" -c "SELECT pg_is_in_recovery()")" t

# caught_up: waits (60 s at most) until the standby has replayed all the
# primary has written so far.
caught_up() {
    lsn=$(psql -X -tA "$P" -c "SELECT pg_current_wal_lsn()")
    for _ in $(seq 1 600); do
        [ "$(psql -X -tA "$S" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] &&
            return 0
        sleep 0.1
    done
    fail "the standby did not replay up to $lsn"
}
caught_up
pending=$(truce --db "$S" summary --format json | jq '.events - .assessed')
[ "$pending" -gt 0 ] || fail "no events pending on the standby ($pending)"

# start_server NAME DB: truce serve on DB; its URL in URL_NAME.
start_server() {
    "$TRUCE_BIN" --db "$2" serve --port 0 --threads 2 > "$T/serve-$1.out" \
        2> "$T/serve-$1.err" &
    PIDS="$PIDS $!"
    for _ in $(seq 1 200); do
        u=$(sed -n 's/^truce: serving //p' "$T/serve-$1.out" 2>/dev/null)
        [ -n "$u" ] && { eval "URL_$1=\$u"; return 0; }
        sleep 0.05
    done
    cat "$T/serve-$1.err"
    fail "the server on $1 did not start"
}
# get URL PATH [TOKEN]: the body.
get() {
    curl -s -m 60 ${3:+-H "Authorization: Bearer $3"} "$1${2#/}"
}
# send URL METHOD PATH TOKEN BODY: CODE and TIME (seconds), the body in $T/body.
send() {
    out=$(curl -s -m 60 -o "$T/body" -w '%{http_code} %{time_total}' -X "$2" \
        -H "Authorization: Bearer $4" ${5:+-d "$5"} "$1${3#/}")
    CODE=${out% *}
    TIME=${out#* }
}
# no_errors WHEN: the standby's log has no ERROR line.
no_errors() {
    grep -A2 "ERROR" "$STANDBY/data/server.log" && fail "errors in the standby's log $1"
    return 0
}

# The standby's server first: reads only, and quiet. Its statements go to
# the standby's log (log_statement, for its connections only): in its
# first seconds, before any request, its background thread only asks
# whether the store takes writes, and tries no assessing or linking.
export PGOPTIONS="-c log_statement=all"
start_server standby "$S"
unset PGOPTIONS
expect_in "$T/serve-standby.err" "the store takes no writes (a read-only hot standby)"
sleep 3
grep -q "pg_is_in_recovery" "$STANDBY/data/server.log" ||
    fail "the standby's server never asked whether the store takes writes"
if grep -E "FILTER \(WHERE pending\)|pg_advisory_xact_lock|BEGIN" "$STANDBY/data/server.log"; then
    fail "the standby's server tried to assess or link"
fi
h=$(get "$URL_standby" /api/health)
expect_eq "standby: nothing assessed" "$(echo "$h" | jq -c '[.pending, .reassessed]')" "[$pending,0]"
no_errors "while its server waited"

# The primary's server assesses the pending events, then takes the writes.
start_server primary "$P"
for _ in $(seq 1 300); do
    [ "$(get "$URL_primary" /api/health | jq .pending)" = 0 ] && break
    sleep 0.1
done
expect_eq "primary: assessed" "$(get "$URL_primary" /api/health | jq .pending)" 0
REPORT='{"date_start":"2016-05-06","lat":36.2,"lon":37.16,"category":"remote_violence","directed":true,"actor1":"Military Forces of Syria","actor2":"Civilians","notes":"barrel bomb"}'
send "$URL_primary" POST /api/reports "$MON" "$REPORT"
expect_eq "report on the primary" "$CODE $(jq -r .id "$T/body")" "201 field:1"
CASE=$(truce events --format jsonl | jq -r 'select(.verdict == "violation") | .id' | head -1)
R=/api/events/$CASE/review
send "$URL_primary" POST "$R" "$ANA" '{"state":"alleged","note":"seen"}'
expect_eq "alleged" "$CODE" 200
send "$URL_primary" POST "$R" "$ANA" '{"state":"information_requested","note":"asked","guarantor":"russia"}'
expect_eq "requested" "$CODE" 200
INC=$(truce incidents --format json | jq -r '[.[] | select((.events | length) > 1)][0].events[1] // empty')
if [ -n "$INC" ]; then
    send "$URL_primary" POST /api/incidents/split "$ANA" "{\"event\":\"$INC\"}"
    expect_eq "split" "$CODE" 200
fi

# The dashboard's GETs, from each server, until the standby has caught up
# (its replay, and the primary's background linking of the report).
PATHS="/api/agreements /api/agreements/syria-coh-2016 /api/boundaries
/api/boundaries/syria /api/vocabulary /api/events?limit=10000
/api/events?bbox=37.05,36.13,37.25,36.28&from=2016-05-01&to=2016-05-31&limit=1000
/api/events?from=2016-05-01&to=2016-05-31&verdict=violation
/api/cells?bbox=34.5,31.5,43.5,38.0&zoom=7&points=500
/api/cells?bbox=36.95,36.05,37.35,36.35&zoom=12&from=2016-05-01&to=2016-05-31
/api/events/$CASE /api/events/field:1
/api/trend?agreement=syria-coh-2016 /api/coverage?date=2016-05-05&country=syria
/api/report?agreement=syria-aleppo-2016-05&date=2016-05-05"
# answers NAME: every GET of PATHS (and the audit, the caller, the health
# but for its per-server count) from that server, into $T/NAME.txt.
answers() {
    eval "u=\$URL_$1"
    {
        for p in $PATHS; do echo "== $p"; get "$u" "$p"; echo; done
        echo "== audit"; get "$u" "/api/audit?limit=1000" "$ANA"; echo
        echo "== me"; get "$u" /api/me "$MON"; echo
        echo "== health"; get "$u" /api/health | jq -c 'del(.reassessed)'
    } > "$T/$1.txt"
}
same=false
for _ in $(seq 1 60); do
    caught_up
    answers primary
    answers standby
    if cmp -s "$T/primary.txt" "$T/standby.txt"; then same=true; break; fi
    sleep 0.5
done
$same || { diff "$T/primary.txt" "$T/standby.txt" | head -20; fail "the standby's answers differ"; }
expect_in "$T/standby.txt" '"id":"field:1"'
expect_in "$T/standby.txt" '"state":"information_requested"'
n=$(grep -c '^== ' "$T/standby.txt")
echo "the standby's server answered $n GETs as the primary's"

# Writes to the standby's server: 503 at once, naming the standby.
# refused WHAT METHOD PATH TOKEN [BODY]
refused() {
    send "$URL_standby" "$2" "$3" "$4" "${5:-}"
    expect_eq "$1 on the standby" "$CODE $(jq -r .error.code "$T/body")" "503 read_only"
    expect_in "$T/body" "is a read-only hot standby"
    awk -v t="$TIME" 'BEGIN { exit !(t < 5) }' || fail "$1 on the standby took ${TIME}s"
}
refused "a field report" POST /api/reports "$MON" "$REPORT"
refused "a review" POST "$R" "$ANA" '{"state":"responded","note":"answered"}'
refused "a delete" DELETE /api/events/field:1 "$ADM"
refused "a split" POST /api/incidents/split "$ANA" "{\"event\":\"$CASE\"}"
answers standby
cmp -s "$T/primary.txt" "$T/standby.txt" || fail "a refused write changed what the standby serves"

# Quiet: no error in the standby's log, nothing assessed by its server,
# its own output the line of its start.
sleep 2
no_errors "after the writes refused"
expect_eq "standby: reassessed" "$(get "$URL_standby" /api/health | jq .reassessed)" 0
lines=$(wc -l < "$T/serve-standby.err")
[ "$lines" -le 2 ] || { cat "$T/serve-standby.err"; fail "the standby's server wrote $lines lines"; }

# The command line on the standby says the same (`assess --all` marks the
# events outside a transaction: the server refuses that statement).
expect_rc 2 truce --db "$S" ingest "$SRC/examples/events/aleppo-apr-jun-2016.jsonl"
expect_in "$T/err" "is a read-only hot standby"
expect_rc 2 truce --db "$S" assess --all
expect_in "$T/err" "is a read-only hot standby"

# Promoted, the standby takes writes through the same server.
psql -X -q -tA "$S" -c "SELECT pg_promote(true, 60)" > /dev/null || fail "promote"
for _ in $(seq 1 100); do
    send "$URL_standby" POST /api/reports "$MON" "$REPORT"
    [ "$CODE" = 201 ] && break
    sleep 0.1
done
expect_eq "a report once promoted" "$CODE $(jq -r .id "$T/body")" "201 field:2"
echo "ok: the standby's server answered $n GETs as the primary's, refused 4 writes with 503 at once, wrote nothing in the background, and took a report once promoted"
