#!/bin/sh
# The unit tests that use a store (tests/unit: store, the ctx contract,
# gazetteer, news) again on PostgreSQL: a throwaway cluster
# (scripts/pg-cluster.sh) and TRUCE_TEST_PG_DSN pointing at it, each test's
# store a schema of its own (tests/unit/store_fixture.c). Skipped when
# PostgreSQL 15 is not installed.
. "$(dirname "$0")/lib.sh"
# in the PostgreSQL pass of make check every unit test has run on it already
is_pg && skip "the unit tests ran on PostgreSQL in this pass (scripts/run-tests-pg.sh)"

UNIT=$SRC/${TRUCE_BUILD:-build}/unit_tests
[ -x "$UNIT" ] || skip "no unit test runner at $UNIT (make $UNIT)"
PGDIR=$(mktemp -d /tmp/truce-pg-t1310.XXXXXX)
trap 'sh "$SRC/scripts/pg-cluster.sh" stop "$PGDIR"; rm -rf "$T"' EXIT
URL=$(sh "$SRC/scripts/pg-cluster.sh" start "$PGDIR" 2> "$T/cluster.err")
rc=$?
[ $rc -eq 77 ] && skip "$URL"
[ $rc -eq 0 ] || { cat "$T/cluster.err"; fail "the cluster did not start"; }

(cd "$SRC" && TRUCE_TEST_PG_DSN=$URL "$UNIT" store ctx_message \
    gazetteer_from_store news_) > unit.log 2>&1
rc=$?
cat unit.log
[ $rc -eq 0 ] || fail "unit tests on PostgreSQL"
grep -q "skip" unit.log && fail "a unit test skipped with a server given"
# the PostgreSQL-only tests ran
grep -q "^ok      store_pg_writers_take_turns" unit.log || fail "no store_pg tests"
n=$(grep -c '^ok' unit.log)
[ "$n" -ge 25 ] || fail "only $n unit tests on PostgreSQL"
echo "ok: $n unit tests on PostgreSQL"
