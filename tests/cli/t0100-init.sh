#!/bin/sh
# init creates a store with a schema version; usage errors exit 1.
. "$(dirname "$0")/lib.sh"
expect_rc 0 truce init
expect_in "$T/out" "schema version 6"
is_pg || [ -f "$T/t.db" ] || fail "no store file"
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
# a command other than init makes no store where there is none
expect_rc 2 truce --db "$T/typo.db" summary
expect_in "$T/err" "no store '$T/typo.db' (make one with 'truce init'"
[ ! -e "$T/typo.db" ] || fail "a read command made a store"
expect_rc 2 truce --db "$T/typo.db" ingest "$DATA/acled_sample.csv"
[ ! -e "$T/typo.db" ] || fail "ingest made a store"
# a store of schema version 2 is brought to the current one and keeps its events
truce --db "$T/v2.db" init > /dev/null
truce --db "$T/v2.db" ingest "$DATA/acled_sample.csv" > /dev/null 2>&1
# (as a store of truce before the inter codes: no columns, hashes without them)
sqlite3 "$T/v2.db" "DROP INDEX events_incident; DROP INDEX events_source; ALTER TABLE events DROP COLUMN incident; ALTER TABLE events DROP COLUMN inter1; ALTER TABLE events DROP COLUMN inter2; ALTER TABLE events DROP COLUMN area; DROP TABLE places; DROP TABLE caches; UPDATE events SET hash = 0; PRAGMA user_version = 2"
expect_rc 0 truce --db "$T/v2.db" init
expect_in "$T/out" "schema version 6"
expect_eq "events kept" "$(truce --db "$T/v2.db" events --format jsonl | wc -l)" "$(($(wc -l < "$DATA/acled_sample.csv") - 1))"
truce --db "$T/v2.db" ingest --format json "$DATA/acled_sample.csv" > v2.json
expect_eq "inter codes filled in" "$(jq .updated v2.json)" "$(jq .read v2.json)"
expect_eq "inter code" "$(truce --db "$T/v2.db" explain acled:SYR9001 --format json | jq -r '"\(.inter1) \(.inter2)"')" "8 7"
