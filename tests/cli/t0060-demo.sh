#!/bin/sh
# make demo's script, stopped before it serves: it builds the store named by
# DEMO_DB, writes the report to DEMO_REPORT, and the README documents the
# variables a user sets (DEMO_PORT, DEMO_DB).
. "$(dirname "$0")/lib.sh"
for v in DEMO_PORT DEMO_DB; do
    grep -q "$v" "$SRC/scripts/demo.sh" || fail "demo.sh does not read $v"
    expect_in "$SRC/README.md" "$v="
done
cd "$SRC" || fail "cd"
DEMO_DB="$T/d.db" DEMO_REPORT="$T/r.html" DEMO_SERVE=0 TRUCE_BIN="$TRUCE_BIN" \
    scripts/demo.sh > "$T/demo.out" 2>&1 || { cat "$T/demo.out"; fail "demo.sh"; }
cd "$T" || fail "cd"
expect_eq "demo store" "$(truce --db "$T/d.db" events --format jsonl | wc -l)" \
    "$(cat "$SRC"/examples/events/*.jsonl | grep -c .)"
expect_in "$T/r.html" "<svg"
expect_in "$T/demo.out" "The daily report of the Aleppo extension for 5 May 2016: $T/r.html"
grep -q "Serving the dashboard" "$T/demo.out" && fail "DEMO_SERVE=0 still served"
exit 0
