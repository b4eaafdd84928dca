#!/bin/sh
# No stale verdicts under a running server: after `truce agreements load`
# changes an agreement while `truce serve` runs, the server re-assesses the
# marked events itself, in the background (no `truce assess`), and serves
# verdicts and explanations of the new agreement; /api/health counts what
# is pending.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
truce ingest "$SRC/examples/events/spring-2016.jsonl" > /dev/null 2>&1
truce assess > /dev/null
ID=example:al-dabeet-hospital-2016-05-03
serve
coh() { jq -r '.assessments[] | select(.agreement == "syria-coh-2016") | "\(.verdict) \(.reason)"' "$T/body"; }
http GET "/api/events/$ID"; expect_eq "before" "$(coh)" "violation breach"
# the cessation, changed: only battles are prohibited now
jq '[.[] | select(.id == "syria-coh-2016") | .prohibited = ["battle"]]' \
    "$SRC/examples/agreements-syria-2016.json" | sed 's|"zones/|"'"$SRC"'/examples/zones/|g' > coh.json
truce agreements load --allow-outside "$SRC/examples/zones" coh.json > /dev/null 2>&1 || fail "load the change"
pending=1
for _ in $(seq 1 100); do
    http GET /api/health
    pending=$(jq .pending "$T/body")
    [ "$pending" = 0 ] && break
    sleep 0.1
done
expect_eq "pending after the background re-assessment" "$pending" 0
[ "$(jq .reassessed "$T/body")" -ge 53 ] || fail "reassessed $(jq .reassessed "$T/body")"
http GET "/api/events/$ID"
expect_eq "after: the new agreement's verdict" "$(coh)" "permitted activity_permitted"
jq -r '.assessments[] | select(.agreement == "syria-coh-2016") | .explanation' "$T/body" > expl.txt
expect_in expl.txt "is not prohibited"
expect_eq "the store agrees" "$(truce explain "$ID" --format json | jq -r '.assessments[] | select(.agreement == "syria-coh-2016") | .verdict')" permitted
