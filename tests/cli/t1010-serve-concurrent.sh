#!/bin/sh
# Field reports and reviews from several threads while others read the map:
# nothing is lost (tests/http/concurrent.c), and the store agrees.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
truce ingest "$SRC/examples/events/spring-2016.jsonl" > /dev/null 2>&1
truce assess > /dev/null
before=$(truce events --format jsonl | wc -l)
MON=$(truce users add mona --role monitor 2>/dev/null)
ANA=$(truce users add ali --role analyst 2>/dev/null)
serve --threads 4
"$(dirname "$TRUCE_BIN")/http_concurrent" "$URL" "$MON" "$ANA" 4 25 3 || fail "concurrent clients"
http GET /api/health
expect_eq "events after" "$(jq .events "$T/body")" "$((before + 100))"
expect_eq "none pending" "$(jq .pending "$T/body")" 0
http GET "/api/audit?limit=1000"
expect_eq "audit entries" "$(jq '.entries | length' "$T/body")" 200
expect_eq "field ids" "$(truce events --format jsonl | jq -r 'select(.source == "field") | .id' | sort -u | wc -l)" 100
