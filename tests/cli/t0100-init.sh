#!/bin/sh
# init creates a store with a schema version; usage errors exit 1.
. "$(dirname "$0")/lib.sh"
expect_rc 0 truce init
expect_in "$T/out" "schema version 2"
[ -f "$T/t.db" ] || fail "no store file"
expect_rc 0 truce --db "$T/other.db" init
[ -f "$T/other.db" ] || fail "--db was not honoured"
expect_rc 0 truce init
expect_rc 1 truce no-such-command
expect_in "$T/err" "'no-such-command' is not a truce command"
expect_rc 1 truce events --format xml
expect_rc 1 truce events --verdict maybe
expect_rc 1 truce ingest
expect_rc 1 truce explain
expect_rc 1 truce
expect_rc 2 truce --db /nonexistent/dir/x.db init
expect_in "$T/err" "cannot open store"
