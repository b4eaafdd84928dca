#!/bin/sh
# Runs the dashboard's browser tests (tests/browser/*.test.mjs, node's test
# runner, playwright-core driving Debian's Chromium) against a real
# `truce serve`. Builds the dashboard first (scripts/build-web.sh installs
# node, npm and chromium when missing). Prints the runner's summary; the
# exit code is the tests' result. Screenshots go to build/screenshots/;
# the totals, as "passed failed skipped", to build/browser-summary.txt
# (the form scripts/summary.sh adds up).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
BUILD=${TRUCE_BUILD:-build}
export TRUCE_BIN="${TRUCE_BIN:-$TOP/$BUILD/truce}"
scripts/build-web.sh || exit 2
[ -x "$TRUCE_BIN" ] || { echo "truce: $TRUCE_BIN is missing: run make first" >&2; exit 2; }
mkdir -p "$BUILD"
echo "== browser tests"
# spec: one line per test, then the runner's totals (tests, pass, fail, ...).
node --test --test-reporter=spec tests/browser/*.test.mjs > "$BUILD/browser.log" 2>&1
rc=$?
cat "$BUILD/browser.log"
count() { sed -n "s/^ℹ $1 \([0-9]*\)\$/\1/p" "$BUILD/browser.log" | tail -1; }
p=$(count pass); f=$(count fail); c=$(count cancelled); s=$(count skipped)
p=${p:-0}; f=$((${f:-0} + ${c:-0})); s=${s:-0}
# A run that crashed before the runner's totals counts as one failure.
[ $rc -eq 0 ] || [ $f -gt 0 ] || f=1
echo "$p $f $s" > "$BUILD/browser-summary.txt"
exit $rc
