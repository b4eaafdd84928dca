#!/bin/sh
# make screenshots: the pictures of docs/img/ made anew from the current
# build, so that they show what the build shows today.
#   docs/img/dashboard.png               the dashboard on the example data, as
#                                        the browser test leaves it (1440x900)
#   docs/img/article.png                 the article tab after an incident
#                                        was stored (tests/browser/article.test.mjs)
#   docs/img/report-aleppo-2016-05-05.png the demo's daily report (HTML) in
#                                        headless Chromium (1100x1000)
# Needs the build (make) and Chromium (scripts/build-web.sh installs it).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
BUILD=${TRUCE_BUILD:-build}
CHROMIUM=${TRUCE_CHROMIUM:-/usr/bin/chromium}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

TRUCE_BROWSER_SHOTS="$TMP" TRUCE_BUILD="$BUILD" scripts/run-browser-tests.sh > "$TMP/browser.log" 2>&1 ||
    { cat "$TMP/browser.log"; echo "screenshots: the browser test failed" >&2; exit 2; }
[ -f "$TMP/dashboard.png" ] || { echo "screenshots: the browser test left no dashboard.png" >&2; exit 2; }
cp "$TMP/dashboard.png" docs/img/dashboard.png
[ -f "$TMP/article.png" ] || { echo "screenshots: the browser test left no article.png" >&2; exit 2; }
cp "$TMP/article.png" docs/img/article.png

DEMO_DB="$TMP/demo.db" DEMO_REPORT="$TMP/report.html" DEMO_SERVE=0 \
    TRUCE_BIN="$BUILD/truce" scripts/demo.sh > "$TMP/demo.log" 2>&1 ||
    { cat "$TMP/demo.log"; echo "screenshots: the demo failed" >&2; exit 2; }
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$TMP/profile" --hide-scrollbars --window-size=1100,1000 \
    --screenshot="$TMP/report.png" "file://$TMP/report.html" > "$TMP/chromium.log" 2>&1 ||
    { cat "$TMP/chromium.log"; echo "screenshots: chromium failed" >&2; exit 2; }
cp "$TMP/report.png" docs/img/report-aleppo-2016-05-05.png
echo "screenshots: docs/img/dashboard.png, docs/img/article.png, docs/img/report-aleppo-2016-05-05.png"
