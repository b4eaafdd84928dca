#!/bin/sh
# make demo: the main job on the example data. Loads the 2016 Syria
# agreements, the actor dictionary and the example incidents into demo.db,
# assesses every incident under every agreement, and prints a summary and
# the explanations of notable events.
set -e
cd "$(dirname "$0")/.."
TRUCE=${TRUCE_BIN:-build/truce}
DB=${DEMO_DB:-demo.db}
rm -f "$DB" "$DB-wal" "$DB-shm"
run() {
    echo "\$ truce $*"
    "$TRUCE" --db "$DB" "$@"
    echo
}
run init
run actors load examples/actors.json
run agreements load examples/agreements/syria-2016.json
run boundaries load examples/zones/syria.geojson --name syria --id-property name
run ingest examples/events/*.jsonl
run assess
run summary
run explain example:al-dabeet-hospital-2016-05-03
run explain example:aleppo-overnight-shelling-2016-05-04
run trend --agreement syria-aleppo-2016-05
run coverage --date 2016-05-05 --country syria
run report --agreement syria-aleppo-2016-05 --date 2016-05-05 --format html --output "$(pwd)/demo-report.html"
echo "The daily report of the Aleppo extension for 5 May 2016: $(pwd)/demo-report.html"
echo "The store is '$DB'; try: $TRUCE --db $DB events --verdict violation --format csv"
# A monitor's and an analyst's tokens, then the dashboard on the demo data.
MON=$("$TRUCE" --db "$DB" users add monitor --role monitor 2>/dev/null)
ANA=$("$TRUCE" --db "$DB" users add analyst --role analyst 2>/dev/null)
echo "Tokens for the dashboard: monitor $MON"
echo "                          analyst $ANA"
echo "Serving the dashboard on the demo data (Ctrl-C stops it):"
exec "$TRUCE" --db "$DB" serve --port "${DEMO_PORT:-8080}"
