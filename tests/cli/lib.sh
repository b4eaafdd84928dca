# lib.sh - helpers for the CLI tests (sourced). Each test runs in a fresh
# temporary folder with its own store; TRUCE_BIN and TRUCE_SRCDIR come from
# scripts/run-tests.sh. Exit 0 passes, 77 skips, anything else fails.
set -u
: "${TRUCE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TRUCE_BIN:=$TRUCE_SRCDIR/build/truce}"
SRC=$TRUCE_SRCDIR
DATA=$SRC/tests/data
SHARED=${TRUCE_SHARED:-$SRC/../shared}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
export TRUCE_DB="$T/t.db"
# The suite on PostgreSQL: with TRUCE_TEST_PG_DSN (a URL whose user may
# make databases, e.g. a cluster of scripts/pg-cluster.sh), each test's
# store is a new database on that server instead ($TRUCE_DB; a test that
# names $T/t.db itself stays on SQLite). The databases go with the cluster.
# With TRUCE_TEST_PG_PARTITION=month too, every such store keeps its events
# by month (partition=month in its URL, which psql must not see: pg_url).
_pgpart=
[ "${TRUCE_TEST_PG_PARTITION:-}" = month ] && _pgpart='?partition=month'
if [ -n "${TRUCE_TEST_PG_DSN:-}" ]; then
    _pgdb=truce_t$$_$(date +%s)
    psql -X -q "$TRUCE_TEST_PG_DSN" -c "CREATE DATABASE $_pgdb" > /dev/null ||
        { echo "FAIL: cannot make database $_pgdb"; exit 1; }
    TRUCE_DB="${TRUCE_TEST_PG_DSN%/*}/$_pgdb$_pgpart"
fi
# pg_url URL: a store's URL without truce's partition=month, for psql.
pg_url() { echo "$1" | sed -E 's/[?&]partition=month$//; s/([?&])partition=month&/\1/'; }

truce() { "$TRUCE_BIN" "$@"; }

# is_pg: the test's stores are on PostgreSQL (TRUCE_TEST_PG_DSN).
is_pg() { [ -n "${TRUCE_TEST_PG_DSN:-}" ]; }
# new_store NAME: the path of a new, empty store of its own: a file in $T,
# or a new database on the test's PostgreSQL server.
new_store() {
    if is_pg; then
        psql -X -q "$TRUCE_TEST_PG_DSN" -c "CREATE DATABASE ${_pgdb}_$1" > /dev/null ||
            fail "cannot make database ${_pgdb}_$1"
        echo "${TRUCE_TEST_PG_DSN%/*}/${_pgdb}_$1$_pgpart"
    else
        echo "$T/$1.db"
    fi
}
# copy_store FROM NAME: the path of a copy of store FROM (no one may be
# using FROM).
copy_store() {
    if is_pg; then
        _from=$(pg_url "$1")
        psql -X -q "$TRUCE_TEST_PG_DSN" -c "CREATE DATABASE ${_pgdb}_$2 TEMPLATE ${_from##*/}" > /dev/null ||
            fail "cannot copy database ${_from##*/}"
        echo "${TRUCE_TEST_PG_DSN%/*}/${_pgdb}_$2$_pgpart"
    else
        cp "$1" "$T/$2.db" && echo "$T/$2.db"
    fi
}
# store_sql SQL: the rows of a query on $TRUCE_DB, columns joined by '|'.
store_sql() {
    if is_pg; then
        psql -X -q -tA -F'|' "$(pg_url "$TRUCE_DB")" -c "$1"
    else
        sqlite3 "$TRUCE_DB" "$1"
    fi
}

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }

# expect_eq WHAT GOT WANT
expect_eq() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# expect_rc WANT COMMAND...: runs the command, checks its exit code.
expect_rc() {
    want=$1; shift
    "$@" > "$T/out" 2> "$T/err"
    rc=$?
    [ "$rc" -eq "$want" ] || { cat "$T/out" "$T/err"; fail "'$*' exited $rc, expected $want"; }
}

# expect_in FILE TEXT: the file contains the text.
expect_in() {
    grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "'$2' not in $1"; }
}

# A store with the worked-example actors and agreements.
worked_store() {
    truce init > /dev/null || fail "init"
    truce actors load "$DATA/worked/actors.json" > /dev/null || fail "actors load"
    truce agreements load "$DATA/worked/agreements.json" > /dev/null || fail "agreements load"
}

# verdict EVENT_ID AGREEMENT: "verdict reason side" from the store.
verdict() {
    truce explain "$1" --format json |
        jq -r --arg a "$2" '.assessments[] | select(.agreement == $a) |
            "\(.verdict) \(.reason) \(.side // "null")"'
}

# serve: starts `truce serve --port 0` on $TRUCE_DB; sets URL and SERVER_PID;
# the server is stopped when the test ends.
serve() {
    SERVES=$((${SERVES:-0} + 1))
    out="$T/serve-$SERVES.out"
    "$TRUCE_BIN" serve --port 0 "$@" > "$out" 2> "$T/serve.err" &
    SERVER_PID=$!
    trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null; rm -rf "$T"' EXIT
    for _ in $(seq 1 200); do
        URL=$(sed -n 's/^truce: serving //p' "$out" 2>/dev/null)
        [ -n "$URL" ] && return 0
        sleep 0.05
    done
    cat "$T/serve.err"
    fail "the server did not start"
}

# http METHOD PATH [curl args...]: sets CODE and writes the body to $T/body.
http() {
    m=$1; p=$2; shift 2
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X "$m" "$@" "$URL${p#/}")
}
