#!/bin/sh
# A server that stays up on a full disk: reads are answered, a field
# report is refused with the reason (not "cannot rollback - no transaction
# is active", which the rollback after SQLite's own wrote over it), and
# once there is room again reports are stored. The disk is a small tmpfs
# filled with a file, so the test needs to mount one (root); it skips
# where it cannot.
. "$(dirname "$0")/lib.sh"
D=$(mktemp -d /tmp/truce-full.XXXXXX)
if ! mount -t tmpfs -o size=4m tmpfs "$D" 2> /dev/null; then
    rmdir "$D"
    skip "cannot mount a small tmpfs here (needs root): the full-disk test skips"
fi
cleanup() {
    [ -n "${SERVER_PID:-}" ] && { kill "$SERVER_PID" 2> /dev/null; wait "$SERVER_PID" 2> /dev/null; }
    umount "$D" 2> /dev/null; rmdir "$D" 2> /dev/null; rm -rf "$T"
}
trap cleanup EXIT
export TRUCE_DB="$D/s.db"
truce init > /dev/null || fail "init"
truce actors load "$SRC/examples/actors.json" > /dev/null || fail "actors"
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null || fail "agreements"
truce ingest "$SRC/examples/events/spring-2016.jsonl" > /dev/null || fail "ingest"
MON=$(truce users add mon --role monitor 2>&1 | grep -o 'truce_[0-9a-z_]*' | head -1)
serve --threads 4
trap cleanup EXIT
events=$(truce summary --format json | jq '.events')
# the disk fills up
dd if=/dev/zero of="$D/filler" bs=4k 2> /dev/null
report='{"date_start":"2016-05-05","lat":36.2,"lon":37.15,"category":"battle","actor1":"Syrian Arab Army","actor2":"Jaysh al-Fatah"}'
# reads on every worker thread
for _ in 1 2 3 4 5 6 7 8; do
    http GET "/api/events?limit=5"
    expect_eq "a read on a full disk" "$CODE" 200
done
http GET /api/health
expect_eq "health on a full disk" "$CODE" 200
expect_eq "the events" "$(jq '.events' "$T/body")" "$events"
http POST /api/reports -H "Authorization: Bearer $MON" -d "$report"
expect_eq "a report on a full disk" "$CODE" 500
expect_in "$T/body" "disk is full"
expect_in "$T/body" "is the disk full"
# room again: the report is stored, the store whole
rm -f "$D/filler"
http POST /api/reports -H "Authorization: Bearer $MON" -d "$report"
expect_eq "a report with room again" "$CODE" 201
http GET /api/health
expect_eq "one more event" "$(jq '.events' "$T/body")" "$((events + 1))"
expect_eq "the store is whole" "$(sqlite3 "$D/s.db" 'PRAGMA integrity_check')" ok
