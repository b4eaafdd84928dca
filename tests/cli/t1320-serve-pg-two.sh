#!/bin/sh
# Two `truce serve` on one PostgreSQL database (DESIGN section 16): field
# reports and reviews sent to both at once (tests/http/concurrent.c against
# each) are all kept, with no id given twice and the audit trail complete;
# then the same cases reviewed through both servers at once: for each, one
# review wins and the other is refused with 409. Skipped without
# PostgreSQL 15.
. "$(dirname "$0")/lib.sh"

command -v jq > /dev/null || skip "jq is missing"
CONC="$(dirname "$TRUCE_BIN")/http_concurrent"
[ -x "$CONC" ] || skip "no $CONC (make $CONC)"
PGDIR=$(mktemp -d /tmp/truce-pg-t1320.XXXXXX)
PIDS=""
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    sh "$SRC/scripts/pg-cluster.sh" stop "$PGDIR"
    rm -rf "$T"
}
trap cleanup EXIT
DB=$(sh "$SRC/scripts/pg-cluster.sh" start "$PGDIR" 2> "$T/cluster.err")
rc=$?
[ $rc -eq 77 ] && skip "$DB"
[ $rc -eq 0 ] || { cat "$T/cluster.err"; fail "the cluster did not start"; }
export TRUCE_DB="$DB"

truce init > /dev/null || fail "init"
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
truce ingest "$SRC/examples/events/spring-2016.jsonl" > /dev/null 2>&1
truce assess > /dev/null || fail "assess"
before=$(truce events --format jsonl | wc -l)
MON=$(truce users add mona --role monitor 2>/dev/null)
ANA=$(truce users add ali --role analyst 2>/dev/null)

# start_server N: a server on the shared database; its URL in URLN.
start_server() {
    "$TRUCE_BIN" serve --port 0 --threads 4 > "$T/serve-$1.out" \
        2> "$T/serve-$1.err" &
    PIDS="$PIDS $!"
    for _ in $(seq 1 200); do
        u=$(sed -n 's/^truce: serving //p' "$T/serve-$1.out" 2>/dev/null)
        [ -n "$u" ] && { eval "URL$1=\$u"; return 0; }
        sleep 0.05
    done
    cat "$T/serve-$1.err"
    fail "server $1 did not start"
}
start_server 1
start_server 2
[ "$URL1" != "$URL2" ] || fail "one URL for two servers"

# 4 writers x 25 reports, and 3 readers, against each server at once
"$CONC" "$URL1" "$MON" "$ANA" 4 25 3 > c1.out 2>&1 &
c1=$!
"$CONC" "$URL2" "$MON" "$ANA" 4 25 3 > c2.out 2>&1 &
c2=$!
wait $c1 || { cat c1.out; fail "clients of server 1"; }
wait $c2 || { cat c2.out; fail "clients of server 2"; }
cat c1.out c2.out

expect_eq "events" "$(truce events --format jsonl | wc -l)" "$((before + 200))"
expect_eq "field ids, each once" \
    "$(truce events --format jsonl | jq -r 'select(.source == "field") | .id' | sort -u | wc -l)" 200
# each report: one "report" and one "review" entry, none missing
curl -s -H "Authorization: Bearer $ANA" "${URL2}api/audit?limit=1000" > audit.json
expect_eq "audit entries" "$(jq '.entries | length' audit.json)" 400
expect_eq "reports audited" "$(jq '[.entries[] | select(.action == "report")] | length' audit.json)" 200
expect_eq "reviews audited" "$(jq '[.entries[] | select(.action == "review")] | length' audit.json)" 200
expect_eq "audit ids unique" "$(jq '[.entries[].id] | unique | length' audit.json)" 400

# The same cases through both servers at once: one step each.
truce events --format jsonl | jq -r 'select(.source != "field") | .id' |
    head -20 > cases.txt
# review N ID: the step through server N; its HTTP status into codes-ID.txt
review() {
    eval "u=\$URL$1"
    curl -s -o /dev/null -w '%{http_code}\n' -X POST \
        -H "Authorization: Bearer $ANA" \
        -d '{"state":"alleged","note":"seen from server '"$1"'"}' \
        "${u}api/events/$2/review" >> "codes-$2.txt"
}
while read -r id; do
    review 1 "$id" &
    r1=$!
    review 2 "$id" &
    r2=$!
    wait $r1 $r2 # not the servers
done < cases.txt
while read -r id; do
    expect_eq "review of $id" "$(sort "codes-$id.txt" | tr '\n' ' ')" "200 409 "
done < cases.txt
echo "ok: two servers, 200 reports and 200 reviews kept, 20 cases reviewed once"
