#!/bin/sh
# Runs the unit tests and the CLI tests against one build directory
# ($TRUCE_BUILD, default build) and writes the totals to
# $TRUCE_BUILD/test-summary.txt (or $TRUCE_SUMMARY). With
# TRUCE_TEST_PG_DSN (scripts/run-tests-pg.sh) every store is on that
# PostgreSQL server. Exits non-zero when a test failed.
set -u
BUILD=${TRUCE_BUILD:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
export TRUCE_SRCDIR="$TOP"
export TRUCE_BIN="$TOP/$BUILD/truce"
cd "$TOP" || exit 2
# the logs of a PostgreSQL pass (partitioned or not) beside SQLite's
LOG=${TRUCE_TEST_PG_DSN:+-pg}${TRUCE_TEST_PG_DSN:+${TRUCE_TEST_PG_PARTITION:+-$TRUCE_TEST_PG_PARTITION}}
echo "== unit tests ($BUILD)"
"$BUILD/unit_tests" > "$BUILD/unit$LOG.log" 2>&1
unit_rc=$?
cat "$BUILD/unit$LOG.log"
unit_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$BUILD/unit$LOG.log" | tail -1)
echo "== CLI tests ($BUILD)"
cli_pass=0; cli_fail=0; cli_skip=0
for t in tests/cli/t*.sh; do
    name=$(basename "$t" .sh)
    out="$BUILD/cli-$name$LOG.log"
    sh "$t" > "$out" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        cli_pass=$((cli_pass + 1)); echo "ok      $name"
    elif [ $rc -eq 77 ]; then
        cli_skip=$((cli_skip + 1)); echo "skip    $name: $(tail -1 "$out")"
    else
        cli_fail=$((cli_fail + 1)); echo "FAIL    $name"; sed 's/^/    /' "$out" | tail -25
    fi
done
echo "$cli_pass passed, $cli_fail failed, $cli_skip skipped"
up=$(echo "$unit_line" | sed -E 's/^([0-9]+) passed.*/\1/')
uf=$(echo "$unit_line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
us=$(echo "$unit_line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
[ -n "$up" ] || up=0
[ -n "$uf" ] || uf=1
[ -n "$us" ] || us=0
echo "$((up + cli_pass)) $((uf + cli_fail)) $((us + cli_skip))" > "${TRUCE_SUMMARY:-$BUILD/test-summary.txt}"
[ $unit_rc -eq 0 ] && [ $cli_fail -eq 0 ]
