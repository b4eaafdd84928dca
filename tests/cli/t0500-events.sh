#!/bin/sh
# events: filters and the four output formats; JSON Lines round-trip.
. "$(dirname "$0")/lib.sh"
FIRST=$TRUCE_DB
worked_store
truce ingest "$DATA/acled_sample.csv" "$DATA/ucdp_sample.csv" > /dev/null 2>&1 || fail "ingest"
truce assess > /dev/null || fail "assess"
n=$(truce events --format json | jq '.events | length')
[ "$n" -ge 10 ] || fail "only $n events"
expect_eq "jsonl lines" "$(truce events --format jsonl | wc -l)" "$n"
expect_eq "csv rows" "$(truce events --format csv | tail -n +2 | wc -l)" "$n"
expect_eq "csv header" "$(truce events --format csv | head -1 | cut -d, -f1-3)" "id,source,source_id"
truce events --format geojson > g.json
expect_eq "geojson" "$(jq -r .type g.json) $(jq '.features | length' g.json)" "FeatureCollection $n"
expect_eq "geojson point" "$(jq -c '.features[0].geometry.type' g.json)" '"Point"'
expect_eq "limit" "$(truce events --limit 3 --format json | jq '.events | length')" 3
# filters
v=$(truce events --verdict violation --format json | jq -r '[.events[].verdict] | unique | join(",")')
expect_eq "overall verdict filter" "$v" "violation"
ids=$(truce events --agreement syria-aleppo-2016-05 --verdict violation --format json | jq -r '[.events[].id] | sort | join(",")')
expect_eq "agreement verdict filter" "$ids" "acled:SYR9001"
ids=$(truce events --from 2016-05-04 --to 2016-05-06 --format json | jq -r '[.events[].id] | sort | join(",")')
want=$(truce events --format json | jq -r '[.events[] | select((.date_start // .time[0:10]) <= "2016-05-06" and (.date_end // .time[0:10]) >= "2016-05-04") | .id] | sort | join(",")')
case "$ids" in *acled:SYR9001*ucdp:9900001*) ;; *) fail "date filter misses the 4-6 May events: $ids";; esac
expect_eq "date filter" "$ids" "$want"
ids=$(truce events --bbox 37.9,36.4,38.0,36.6 --format json | jq -r '[.events[].id] | join(",")')
want=$(truce events --format json | jq -r '[.events[] | select(.lon >= 37.9 and .lon <= 38.0 and .lat >= 36.4 and .lat <= 36.6) | .id] | join(",")')
[ -n "$want" ] || fail "no event in the test box"
expect_eq "bbox filter" "$ids" "$want"
# boxes of a few grid cells, of many, and of the world (searched by time
# alone), with and without dates; long events (the year-long UCDP record)
# come from the R*Tree, short ones from the cell index
in_box() { # W S E N [FROM TO]
    truce events --format jsonl | jq -r --argjson w "$1" --argjson s "$2" --argjson e "$3" --argjson n "$4" \
        --arg f "${5:-0000}" --arg t "${6:-9999}" \
        'select(.lon >= $w and .lon <= $e and .lat >= $s and .lat <= $n)
         | select((.date_end // .time[0:10]) >= $f and (.date_start // .time[0:10]) <= $t) | .id' | sort | tr '\n' ' '
}
for box in "37.0,36.0,37.3,36.3" "35,32,43,38" "-180,-90,180,90"; do
    set -- $(echo "$box" | tr ',' ' ')
    expect_eq "box $box" "$(truce events --bbox "$box" --format jsonl | jq -r .id | sort | tr '\n' ' ')" "$(in_box "$@")"
    expect_eq "box $box in May" "$(truce events --bbox "$box" --from 2016-05-01 --to 2016-05-31 --format jsonl | jq -r .id | sort | tr '\n' ' ')" "$(in_box "$@" 2016-05-01 2016-05-31)"
done
case "$(truce events --bbox 35,32,43,38 --from 2016-05-01 --to 2016-05-31 --format jsonl | jq -r .id | tr '\n' ' ')" in
    *ucdp:9900004*) ;; *) fail "the year-long event is not found by box and month";; esac
expect_eq "empty result" "$(truce events --from 2030-01-01 --format json | jq -c .events)" "[]"
expect_rc 1 truce events --bbox 1,2,3
expect_rc 1 truce events --from 2016-02-30
# round trip: events written as JSON Lines read back as the same events
truce events --format jsonl > out.jsonl
export TRUCE_DB="$(new_store second)"
worked_store
truce ingest --format json out.jsonl > r.json || fail "re-ingest"
expect_eq "round trip inserted" "$(jq .inserted r.json)" "$n"
expect_eq "round trip rejected" "$(jq .rejected r.json)" 0
truce assess > /dev/null
a=$(TRUCE_DB="$FIRST" truce events --format jsonl | jq -c '[.id, .verdict, [.assessments[].reason]]' | sort)
b=$(truce events --format jsonl | jq -c '[.id, .verdict, [.assessments[].reason]]' | sort)
expect_eq "same verdicts after the round trip" "$b" "$a"
# assess --stream: no store, the same verdicts as the stored ones
export TRUCE_DB="$FIRST"
truce assess --stream "$DATA/acled_sample.csv" > stream.jsonl || fail "stream"
expect_eq "streamed" "$(wc -l < stream.jsonl)" "$(($(wc -l < "$DATA/acled_sample.csv") - 1))"
a=$(jq -c '[.id, .verdict, [.assessments[].reason]]' stream.jsonl | sort)
b=$(truce events --format jsonl | jq -c 'select(.source == "acled") | [.id, .verdict, [.assessments[].reason]]' | sort)
expect_eq "stream = store" "$a" "$b"
# compact lines (DESIGN section 12): no explanation unless --explain; the
# guarantors of each agreement; several files in a row; CSV, one event a row
expect_eq "compact" "$(jq -c '[keys, (.assessments[0] | keys)]' stream.jsonl | sort -u)" '[["assessments","date_end","date_start","id","verdict"],["agreement","guarantors","reason","side","verdict"]]'
truce assess --stream --explain "$DATA/acled_sample.csv" > explained.jsonl || fail "--explain"
expect_eq "explained as explain words it" "$(jq -r 'select(.id == "acled:SYR9001") | .assessments[] | select(.agreement == "syria-coh-2016") | .explanation' explained.jsonl)" "$(truce explain acled:SYR9001 --format json | jq -r '.assessments[] | select(.agreement == "syria-coh-2016") | .explanation')"
truce assess --stream "$DATA/acled_sample.csv" "$SRC/examples/events/spring-2016.jsonl" > two.jsonl || fail "two files"
truce assess --stream "$SRC/examples/events/spring-2016.jsonl" > second.jsonl
expect_eq "two files, in order" "$(cat two.jsonl)" "$(cat stream.jsonl second.jsonl)"
truce assess --stream --format csv "$DATA/acled_sample.csv" > stream.csv || fail "csv"
expect_eq "csv rows" "$(wc -l < stream.csv)" "$(($(wc -l < stream.jsonl) + 1))"
expect_eq "csv header" "$(head -1 stream.csv | cut -d, -f1-9)" "id,date_start,date_end,time,verdict,syria-aleppo-2016-05.verdict,syria-aleppo-2016-05.reason,syria-aleppo-2016-05.side,syria-aleppo-2016-05.guarantors"
col=$(head -1 stream.csv | tr ',' '\n' | grep -n '^syria-coh-2016.guarantors$' | cut -d: -f1)
expect_eq "csv = jsonl" "$(tail -n +2 stream.csv | cut -d, -f1,5,$col | sort)" "$(jq -r '[.id, .verdict, (.assessments[] | select(.agreement == "syria-coh-2016") | .guarantors | join(";"))] | join(",")' stream.jsonl | sort)"
# many batches through the assessing threads: the lines come out in the
# order read, each with the verdicts the store gives
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "{\"id\": \"syn:%05d\", \"date_start\": \"2016-%02d-%02d\", \"lat\": %.4f, \"lon\": %.4f, \"radius_km\": %d, \"category\": \"%s\", \"actor1\": \"%s\", \"actor2\": \"Civilians\"}\n", 19999 - i, 1 + i % 9, 1 + i % 28, 32.5 + (i * 7919 % 4000) / 1000.0, 35.8 + (i * 104729 % 6000) / 1000.0, i % 30, (i % 3 ? "remote_violence" : "battle"), (i % 2 ? "Syrian Arab Army" : "Ahrar al-Sham") }' > many.jsonl
truce --db many.db init > /dev/null && truce --db many.db actors load "$SRC/examples/actors.json" > /dev/null 2>&1 &&
    truce --db many.db agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null 2>&1 || fail "a store for many"
truce --db many.db assess --stream many.jsonl > many.out || fail "stream of many"
expect_eq "in the order read" "$(jq -r .id many.out | md5sum)" "$(jq -r .id many.jsonl | md5sum)"
truce --db many.db ingest many.jsonl > /dev/null && truce --db many.db assess > /dev/null || fail "many into a store"
expect_eq "the store's verdicts" "$(jq -c '[.id, .verdict, [.assessments[].reason]]' many.out | sort | md5sum)" "$(truce --db many.db events --format jsonl | jq -c '[.id, .verdict, [.assessments[].reason]]' | sort | md5sum)"
expect_rc 1 truce assess --stream --format json "$DATA/acled_sample.csv"
expect_rc 1 truce assess --stream
expect_rc 1 truce assess --explain

# cells that a spreadsheet would run as formulas are written as text
cat > formula.jsonl <<'X'
{"id":"f:1","date_start":"2016-05-06","lat":36.2,"lon":37.16,"category":"battle","actor1":"=HYPERLINK(\"http://x\",\"y\")","actor2":"+1+1","location":"@SUM(A1)","notes":"-2+3"}
X
export TRUCE_DB="$(new_store formula)"
truce init > /dev/null
truce ingest formula.jsonl > /dev/null 2>&1 || fail "ingest formula.jsonl"
row=$(truce events --format csv | grep '^f:1,')
case "$row" in *",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","*) ;; *) fail "formula cell: $row";; esac
case "$row" in *",'+1+1,"*) ;; *) fail "plus cell: $row";; esac
case "$row" in *",'@SUM(A1),"*) ;; *) fail "at cell: $row";; esac
