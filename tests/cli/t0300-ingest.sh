#!/bin/sh
# Ingest: formats sniffed and named, idempotence, updates, and every kind
# of bad record reported with file, line and reason, nothing lost.
. "$(dirname "$0")/lib.sh"
worked_store

# every count adds up: read = inserted + updated + unchanged + rejected
sums() {
    jq -r '"\(.read) \(.inserted + .updated + .unchanged + .rejected)"' "$1"
}
truce ingest --format json "$DATA/acled_sample.csv" > a.json || fail "acled"
set -- $(sums a.json); expect_eq "acled accounted" "$1" "$2"
expect_eq "acled inserted" "$(jq .inserted a.json)" "$(($(wc -l < "$DATA/acled_sample.csv") - 1))"
# the older export, other columns and "06 May 2016" dates: the same events
truce ingest --format json "$DATA/acled_old.csv" > b.json || fail "old acled"
expect_eq "old layout is the same data" "$(jq .unchanged b.json)" "$(jq .read b.json)"
expect_eq "old layout rejected" "$(jq .rejected b.json)" 0
# UCDP with and without its header
truce ingest --format json --input-format ucdp "$DATA/ucdp_sample.csv" > c.json || fail "ucdp"
truce ingest --format json "$DATA/ucdp_noheader.csv" > d.json || fail "ucdp no header"
expect_eq "headerless UCDP is the same data" "$(jq .unchanged d.json)" "$(jq .read d.json)"
expect_eq "headerless UCDP read" "$(jq .read d.json)" "$(jq .read c.json)"
# twice: nothing changes
truce ingest --format json "$DATA/acled_sample.csv" > e.json
expect_eq "second ingest" "$(jq .unchanged e.json)" "$(jq .read e.json)"

# a changed record updates its event and marks it for re-assessment
truce assess > /dev/null || fail "assess"
sed 's/SYR9001,2016-05-06,2016,1,/SYR9001,2016-05-07,2016,1,/' "$DATA/acled_sample.csv" > changed.csv
truce ingest --format json changed.csv > f.json
expect_eq "updated" "$(jq .updated f.json)" 1
expect_eq "unchanged" "$(jq .unchanged f.json)" "$(($(jq .read f.json) - 1))"
truce assess --format json > g.json
expect_eq "re-assessed only the changed event" "$(jq .assessed g.json)" 1
expect_eq "new date" "$(truce explain acled:SYR9001 --format json | jq -r .date_start)" 2016-05-07

# bad records: each reported with its line and reason, the rest stored
H=$(head -1 "$DATA/acled_sample.csv")
R=$(sed -n 2p "$DATA/acled_sample.csv")
{
    printf '\357\273\277%s\r\n' "$H"                       # BOM + CRLF
    echo "$R" | sed 's/^SYR9001/BAD1/; s/,1,truce test data/,1,truce test data,EXTRA/'   # line 2: 32 columns
    echo "$R" | sed 's/^SYR9001/BAD2/; s/36.2012,37.1612/36.2O12,37.1612/'              # line 3: bad number
    echo "$R" | sed 's/^SYR9001/BAD3/; s/2016-05-06/2016-05-36/'                        # line 4: bad date
    echo "$R" | sed 's/^SYR9001/BAD4/; s/36.2012,37.1612/96.2012,37.1612/'              # line 5: latitude
    echo "$R" | sed 's/^SYR9001/BAD5/; s/Explosions\/Remote violence/Rumours/'          # line 6: category
    echo "$R" | sed "s/^SYR9001/CP1252/; s/Aleppo city/Alep$(printf '\351')po city/"    # line 7: Windows-1252
    echo "$R" | sed 's/^SYR9001/GOOD1/; s/"Synthetic/"two\nlines, Synthetic/'           # lines 8-9: quoted newline
    printf '%s\r\n' "$(echo "$R" | sed 's/^SYR9001/GOOD2/')"                              # line 10: CRLF
} > bad.csv
truce ingest --format json bad.csv > h.json
rc=$?
expect_eq "exit code with rejected records" "$rc" 0
expect_eq "read" "$(jq .read h.json)" 8
expect_eq "inserted" "$(jq .inserted h.json)" 3
expect_eq "rejected" "$(jq .rejected h.json)" 5
set -- $(sums h.json); expect_eq "bad file accounted" "$1" "$2"
reason() { jq -r --argjson l "$1" '.errors[] | select(.line == $l) | .reason' h.json; }
expect_eq "error file" "$(jq -r '.errors[0].file' h.json)" "bad.csv"
case "$(reason 2)" in *"expected 31 columns, found 32"*) ;; *) fail "line 2: $(reason 2)";; esac
case "$(reason 3)" in *"latitude"*"not a number"*) ;; *) fail "line 3: $(reason 3)";; esac
case "$(reason 4)" in *"event_date"*"not a date"*) ;; *) fail "line 4: $(reason 4)";; esac
case "$(reason 5)" in *"latitude outside"*) ;; *) fail "line 5: $(reason 5)";; esac
case "$(reason 6)" in *"unknown event type"*"Rumours"*) ;; *) fail "line 6: $(reason 6)";; esac
expect_eq "line 7 stored" "$(reason 7)" ""
case "$(truce explain acled:CP1252 --format json | jq -r .notes)" in *"Alepépo city"*) ;; *) fail "Windows-1252 text";; esac
expect_eq "quoted newline kept" "$(truce explain acled:GOOD1 --format json | jq -r .notes | head -1)" "two"
expect_eq "CRLF record" "$(truce explain acled:GOOD2 --format json | jq -r .location)" "Aleppo"
# text mode names file and line on stderr
expect_rc 0 truce ingest bad.csv
expect_in "$T/err" "bad.csv:2: expected 31 columns, found 32"

# --strict: the first bad record is fatal and nothing of the file is stored
expect_rc 2 truce ingest --strict --format json bad.csv
expect_eq "strict rejected" "$(jq .rejected "$T/out")" 1
sed 's/BAD/STRICT/; s/GOOD/STRICTGOOD/' bad.csv > strict.csv
expect_rc 2 truce ingest --strict strict.csv
expect_rc 2 truce explain acled:STRICTGOOD2
expect_in "$T/err" "no event 'acled:STRICTGOOD2'"

# an empty file, an unknown format, a missing file
: > empty.jsonl
truce ingest --format json empty.jsonl > i.json || fail "empty file"
expect_eq "empty read" "$(jq .read i.json)" 0
echo "hello world" > what.txt
expect_rc 2 truce ingest what.txt
expect_in "$T/err" "cannot tell the format"
expect_rc 2 truce ingest --format json missing.csv
expect_eq "missing file in JSON" "$(jq -c '.errors[0] | [.file, .line, .reason]' "$T/out")" \
    '["missing.csv",0,"cannot open it: No such file or directory"]'
expect_in "$T/err" "truce: missing.csv: cannot open it: No such file or directory"
expect_rc 1 truce ingest --input-format excel bad.csv

# a file refused whole says why on stderr with --format json too, naming the
# file once and the real line
echo "$H" | sed 's/,latitude,/,lat,/' > nolat.csv
echo "$R" >> nolat.csv
for form in text json; do
    expect_rc 2 truce ingest --format $form nolat.csv
    expect_eq "refused whole ($form)" "$(grep -c . "$T/err")" 1
    expect_in "$T/err" "truce: nolat.csv:1: header has no column 'latitude'"
done
expect_eq "refused whole, JSON" "$(jq -c '.errors[0] | [.file, .line, .reason]' "$T/out")" \
    '["nolat.csv",1,"header has no column '"'latitude'"'"]'
expect_rc 2 truce ingest --format json what.txt
expect_in "$T/err" "truce: what.txt:1: cannot tell the format"
expect_eq "unknown format, JSON" "$(jq -r '.errors[0].line' "$T/out")" 1
grep -q 'what.txt:[0-9]*: what.txt' "$T/err" "$T/out" && fail "the file named twice"

# a non-empty file from which nothing could be stored is no success
{ echo "$H"; echo "$R" | sed 's/^SYR9001/NONE1/; s/2016-05-06/2016-05-36/'
  echo "$R" | sed 's/^SYR9001/NONE2/; s/Explosions\/Remote violence/Rumours/'; } > none.csv
expect_rc 2 truce ingest --format json none.csv
expect_eq "all rejected: counts" "$(jq -c '[.read, .rejected, (.errors | length)]' "$T/out")" "[2,2,2]"
expect_in "$T/err" "none.csv: nothing could be stored: all 2 records were rejected"
expect_rc 2 truce ingest none.csv
echo "$H" > header-only.csv
expect_rc 2 truce ingest header-only.csv
expect_in "$T/err" "header-only.csv: nothing could be stored: the file holds no records"
# ... but it does not hide the files that were stored, nor stop them
expect_rc 2 truce ingest --format json none.csv "$DATA/acled_sample.csv"
expect_eq "with a good file" "$(jq -c '[.read, .inserted + .updated + .unchanged, .rejected]' "$T/out")" \
    "[$(( $(jq .read a.json) + 2 )),$(jq .read a.json),2]"
expect_rc 0 truce ingest empty.jsonl "$DATA/acled_sample.csv"

# JSON Lines: bad lines reported, blank lines skipped
cat > ev.jsonl <<'X'
{"id":"j:1","date_start":"2016-05-06","lat":36.2,"lon":37.16,"category":"battle","actor1":"SAA","actor2":"FSA"}

{"id":"j:2","date_start":"2016-05-06","lat":36.2,"lon":37.16,"category":"skirmish"}
{"id":"j:3","date_start":"2016-05-06","lat":136.2,"lon":37.16,"category":"battle"}
{"id":"j:4","date_start":"2016-05-06","lon":37.16,"category":"battle"}
{"id":"j:5", "time":"yesterday","lat":36.2,"lon":37.16,"category":"battle"}
not json at all
{"id":"j:6","time":"2016-05-06T10:00:00+03:00","lat":36.2,"lon":37.16,"category":"battle","fatalities":-3}
{"id":"j:7","time":"2016-05-06T10:00:00+03:00","lat":36.2,"lon":37.16,"radius_km":null,"category":"battle"}
{"id":"j:8","time":"2016-05-06T10:00:00+03:00","lat":36.2,"lon":37.16,"radius_km":1e308,"category":"battle"}
X
truce ingest --format json ev.jsonl > j.json
expect_eq "jsonl read" "$(jq .read j.json)" 9
expect_eq "jsonl inserted" "$(jq .inserted j.json)" 2
expect_eq "jsonl lines" "$(jq -c '[.errors[].line]' j.json)" "[3,4,5,6,7,8,10]"
case "$(jq -r '.errors[6].reason' j.json)" in *"radius_km"*"20000"*) ;; *) fail "radius reason: $(jq -r '.errors[6].reason' j.json)";; esac
case "$(jq -r '.errors[0].reason' j.json)" in *"category"*) ;; *) fail "category reason";; esac
case "$(jq -r '.errors[2].reason' j.json)" in *"'lat'"*"missing"*) ;; *) fail "lat reason: $(jq -r '.errors[2].reason' j.json)";; esac

# the disk full (a file size limit here) stops the run with the reason in
# the JSON too; the store is whole and a rerun completes it
export TRUCE_DB="$T/full.db"
truce init > /dev/null
i=0; : > many.jsonl
while [ $i -lt 3000 ]; do
    i=$((i + 1))
    echo '{"id":"full:'$i'","date_start":"2016-05-06","lat":36.2,"lon":37.16,"category":"battle","actor1":"SAA","actor2":"FSA","notes":"padding padding padding padding padding padding padding padding padding"}'
done > many.jsonl
( trap '' XFSZ; ulimit -f 400; "$TRUCE_BIN" ingest --format json many.jsonl > full.json 2> full.err ); rc=$?
expect_eq "disk full exits 2" "$rc" 2
case "$(jq -r '.errors[0].reason' full.json)" in *"disk full"*) ;; *) cat full.json; fail "no reason for the full disk";; esac
expect_eq "store whole" "$(sqlite3 "$TRUCE_DB" 'PRAGMA integrity_check')" ok
truce ingest --format json many.jsonl > again.json || fail "rerun"
expect_eq "rerun completes" "$(jq '.inserted + .updated + .unchanged' again.json)" 3000
