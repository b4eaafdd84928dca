#!/bin/sh
# Runs the dashboard's browser tests (tests/browser/*.test.mjs, node's test
# runner, playwright-core driving Debian's Chromium) against a real
# `truce serve`. Builds the dashboard first (scripts/build-web.sh installs
# node, npm and chromium when missing). Prints the runner's summary; the
# exit code is the tests' result. Screenshots go to build/screenshots/.
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
exit $rc
