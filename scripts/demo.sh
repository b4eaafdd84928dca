#!/bin/sh
# make demo: the main job on the example data. Loads the 2016 Syria
# agreements, the actor dictionary and the example incidents into demo.db,
# assesses every incident under every agreement, prints a summary and the
# explanations of notable events, writes the daily report, then serves the
# dashboard. Environment: DEMO_DB (the store, default demo.db, remade),
# DEMO_PORT (default 8080), DEMO_REPORT (the report's path, default
# demo-report.html here), DEMO_SERVE=0 (stop before serving, for scripts).
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
run agreements load examples/agreements-syria-2016.json
run agreements load examples/agreements-syria-2017.json
run boundaries load examples/zones/syria.geojson --name syria --id-property name
run ingest examples/events/*.jsonl
run assess
run summary
run explain example:al-dabeet-hospital-2016-05-03
run explain example:aleppo-overnight-shelling-2016-05-04
run trend --agreement syria-aleppo-2016-05
run coverage --date 2016-05-05 --country syria
REPORT=${DEMO_REPORT:-$(pwd)/demo-report.html}
run report --agreement syria-aleppo-2016-05 --date 2016-05-05 --format html --output "$REPORT"
echo "The daily report of the Aleppo extension for 5 May 2016: $REPORT"
echo "The store is '$DB'; try: $TRUCE --db $DB events --verdict violation --format csv"
[ "${DEMO_SERVE:-1}" != 0 ] || exit 0
# A monitor's and an analyst's tokens, then the dashboard on the demo data.
MON=$("$TRUCE" --db "$DB" users add monitor --role monitor 2>/dev/null)
ANA=$("$TRUCE" --db "$DB" users add analyst --role analyst 2>/dev/null)
echo "Tokens for the dashboard: monitor $MON"
echo "                          analyst $ANA"
echo "Serving the dashboard on the demo data (Ctrl-C stops it):"
exec "$TRUCE" --db "$DB" serve --port "${DEMO_PORT:-8080}"
