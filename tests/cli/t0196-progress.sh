#!/bin/sh
# Progress on a terminal: ingest, assess and assess --stream keep a line
# that updates (records, rate, elapsed) while stderr is a terminal, cleared
# at the end, and write nothing of it when stderr is a file or a pipe.
# script(1) (util-linux, in every Debian) gives the terminal.
. "$(dirname "$0")/lib.sh"
command -v script > /dev/null || skip "no script(1) to give the command a terminal"
# a root without /dev/pts (a chroot) has no terminal to give
script -qec true /dev/null < /dev/null > /dev/null 2>&1 ||
    skip "script(1) cannot open a terminal here (no /dev/pts?)"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
many() {
    i=0
    while [ $i -lt 5000 ]; do
        printf '{"id": "%s:%d", "source": "%s", "source_id": "%d", "date_start": "2016-03-01", "date_end": "2016-03-01", "lat": 36.2, "lon": 37.1, "radius_km": 1, "category": "battle", "actor1": "Syrian Arab Army", "actor2": "Free Syrian Army"}\n' "$1" $i "$1" $i
        i=$((i + 1))
    done
}
many a > a.jsonl
many b > b.jsonl
# not a terminal: nothing
expect_rc 0 truce ingest a.jsonl
if grep -q 'records' "$T/err" || grep -q "$(printf '\r')" "$T/err"; then
    cat "$T/err"; fail "a progress line on a file"
fi
expect_rc 0 truce assess
grep -q 'records' "$T/err" && fail "a progress line on a file (assess)"
truce assess --stream a.jsonl > /dev/null 2> s.err || fail "stream"
grep -q 'records' s.err && fail "a progress line on a file (stream)"
# a terminal: the line, then cleared
on_tty() { script -qec "$*" /dev/null < /dev/null > tty.out 2>&1; }
on_tty "'$TRUCE_BIN' ingest b.jsonl" || { cat tty.out; fail "ingest on a terminal"; }
grep -q 'truce: ingest: [0-9,]* records, [0-9,]*/s, [0-9.]* s' tty.out || { cat tty.out; fail "no ingest progress on a terminal"; }
grep -q "$(printf '\033')\[K" tty.out || fail "the line is not cleared"
grep -q 'read 5000, inserted 5000' tty.out || { cat tty.out; fail "the summary after the line"; }
on_tty "'$TRUCE_BIN' assess" || { cat tty.out; fail "assess on a terminal"; }
grep -q 'truce: assess: [0-9,]* records' tty.out || { cat tty.out; fail "no assess progress on a terminal"; }
on_tty "'$TRUCE_BIN' assess --stream b.jsonl > /dev/null" || { cat tty.out; fail "stream on a terminal"; }
grep -q 'truce: assess --stream: [0-9,]* records' tty.out || { cat tty.out; fail "no stream progress on a terminal"; }
echo "progress on a terminal, none on files"
