#!/bin/sh
# The unit and CLI suites again with every store on PostgreSQL 15
# (issue 12): a throwaway cluster (scripts/pg-cluster.sh) on a free port,
# TRUCE_TEST_PG_DSN pointing at it (each CLI test makes a database of its
# own; the unit tests a schema each, tests/unit/store_fixture.c), then the
# cluster is stopped. Totals to $TRUCE_BUILD/pg-test-summary.txt; without
# PostgreSQL 15 the pass is one skip. Called by `make check`.
# With TRUCE_TEST_PG_PARTITION=month every store is made with its events
# partitioned by month (docs/scale.md); totals then to
# pg-month-test-summary.txt.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TRUCE_BUILD:-build}
PART=${TRUCE_TEST_PG_PARTITION:-}
SUMMARY="$TOP/$BUILD/pg${PART:+-$PART}-test-summary.txt"
dir=$(mktemp -d) && rmdir "$dir" || exit 2
echo "== unit and CLI tests on PostgreSQL${PART:+, events partitioned by $PART} ($BUILD)"
url=$("$TOP/scripts/pg-cluster.sh" start "$dir")
rc=$?
if [ $rc -eq 77 ]; then
    echo "skip    the PostgreSQL pass: PostgreSQL 15 is not installed"
    echo "0 0 1" > "$SUMMARY"
    exit 0
fi
[ $rc -eq 0 ] || { echo "FAIL    no PostgreSQL cluster could be started"; echo "0 1 0" > "$SUMMARY"; exit 1; }
TRUCE_TEST_PG_DSN=$url TRUCE_SUMMARY=$SUMMARY TRUCE_BUILD=$BUILD "$TOP/scripts/run-tests.sh"
rc=$?
"$TOP/scripts/pg-cluster.sh" stop "$dir" || true
exit $rc
