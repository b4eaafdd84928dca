#!/bin/sh
# GDELT 2.0 events: sniffed, CAMEO codes to categories, ActionGeo_Type to a
# radius, CAMEO actor codes matched through the dictionary.
. "$(dirname "$0")/lib.sh"
worked_store
truce ingest --format json "$DATA/gdelt_sample.tsv" > g.json || fail "ingest"
expect_eq "read" "$(jq .read g.json)" 4
expect_eq "inserted" "$(jq .inserted g.json)" 3
expect_eq "no place" "$(jq -r '.errors[0] | "\(.line) \(.reason)"' g.json)" "4 field 'ActionGeo_Type': no place (not 1 to 5): ''"
truce assess > /dev/null
ev() { truce explain "gdelt:$1" --format json | jq -r "$2"; }
expect_eq "195 air strike" "$(ev 600000001 '"\(.category) \(.directed) \(.radius_km) \(.date_start)"')" "remote_violence true 0 2016-05-06"
expect_eq "a country-level place" "$(ev 600000002 '.radius_km')" "null"
expect_eq "040 is not violent" "$(ev 600000003 '.category')" "other"
expect_eq "SYRMIL -> SYRREB under the Aleppo truce" "$(verdict gdelt:600000001 syria-aleppo-2016-05)" "violation breach government"
expect_eq "unknown radius straddles" "$(verdict gdelt:600000002 syria-coh-2016)" "undetermined location_imprecise null"
expect_eq "Geneva" "$(truce explain gdelt:600000003 --format json | jq -r .verdict)" "not_covered"
# GDELT 1.0 daily rows (57 and 58 columns): no ADM2 code before the place
truce ingest --format json --input-format gdelt "$SRC/fuzz/corpus/gdelt/gdelt1-57-58-columns.tsv" > g1.json || fail "gdelt 1.0"
expect_eq "1.0 rows" "$(jq '"\(.read) \(.inserted) \(.rejected)"' g1.json)" '"2 2 0"'
expect_eq "1.0 places" "$(truce events --format jsonl | jq -c 'select(.source == "gdelt" and (.id | startswith("gdelt:6") | not)) | [.lat, .lon]' | sort -u | tr '\n' ' ')" "[36.2028,37.1586] "
# GDELT's 15-minute files come zipped: read without unpacking to disk, the
# same events as the file unzipped, record for record
cp "$DATA/gdelt_sample.tsv" 20160506120000.export.CSV
zip -q gdelt.export.CSV.zip 20160506120000.export.CSV
rm -f 20160506120000.export.CSV
for f in "$DATA/gdelt_sample.tsv" gdelt.export.CSV.zip; do
    db="$T/$(basename "$f").db"
    truce --db "$db" init > /dev/null
    truce --db "$db" ingest --format json "$f" > "$db.json"
    truce --db "$db" events --format jsonl | jq -c 'del(.raw)' > "$db.events"
    truce --db "$db" assess --stream "$f" > "$db.stream" 2> /dev/null || fail "stream $f"
done
z="$T/gdelt.export.CSV.zip.db" u="$T/gdelt_sample.tsv.db"
expect_eq "zipped: the same accounting" "$(jq -c 'del(.errors[].file)' "$z.json")" "$(jq -c 'del(.errors[].file)' "$u.json")"
expect_eq "zipped: the same events" "$(cat "$z.events")" "$(cat "$u.events")"
[ "$(wc -l < "$z.events")" -eq 3 ] || fail "zipped: $(wc -l < "$z.events") events"
expect_eq "zipped: the same stream" "$(cat "$z.stream")" "$(cat "$u.stream")"
expect_eq "zipped: the original record kept" "$(truce --db "$z" explain gdelt:600000001 --format json | jq -r .id)" "gdelt:600000001"
# an archive of two files reads its .csv; one of none says so
printf 'not events\n' > readme.txt
cp "$DATA/gdelt_sample.tsv" one.export.CSV
zip -q two.zip readme.txt one.export.CSV
expect_rc 0 truce --db "$T/two.db" init
expect_rc 0 truce --db "$T/two.db" ingest --format json two.zip
expect_eq "two files: the csv" "$(jq .inserted "$T/out")" 3
zip -q none.zip readme.txt "$DATA/gdelt_countries.tsv"
expect_rc 2 truce --db "$T/two.db" ingest none.zip
expect_in "$T/err" "the zip archive holds no .csv file"
printf 'PK\003\004 broken' > broken.zip
expect_rc 2 truce --db "$T/two.db" ingest broken.zip
expect_in "$T/err" "not a zip archive truce can read"
echo "a zipped GDELT file reads as its unzipped self"
