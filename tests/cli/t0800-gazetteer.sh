#!/bin/sh
# truce gazetteer load (DESIGN section 9): a GeoNames dump and a headed
# CSV, every row stored or rejected with its line, idempotent, a country
# filter, a file nothing could be read from is an error, and the real
# GeoNames cities of Syria when ../shared is there.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
G=$DATA/gazetteer/geonames_sample.txt
expect_rc 0 truce gazetteer load "$G"
expect_in "$T/out" "read 8, inserted 6, updated 0, unchanged 0, rejected 2"
expect_in "$T/err" "geonames_sample.txt:7: field 'latitude' is not a number from -90 to 90"
expect_in "$T/err" "geonames_sample.txt:8: a GeoNames row has 19 columns, this one 9"
expect_eq "stored" "$(store_sql 'SELECT count(*) FROM places')" 6
expect_eq "a place" "$(store_sql "SELECT name, country, timezone, population FROM places WHERE id = 'geonames:9000006'")" "Ta‘izz|YE|Asia/Aden|615222"
# again: nothing new
expect_rc 0 truce gazetteer load --format json "$G"
expect_eq "rerun" "$(jq -c '[.read, .inserted, .unchanged, .rejected]' "$T/out")" "[8,0,6,2]"
# one country
expect_rc 0 truce gazetteer load --country ye --format json "$G"
expect_eq "Yemen only" "$(jq -c '[.read, .unchanged, .other_countries]' "$T/out")" "[1,1,7]"
expect_rc 1 truce gazetteer load --country Syria "$G"
expect_in "$T/err" "two-letter country code"
# a headed CSV: columns found by name, in any order; a changed row updates
cat > places.csv <<'CSV'
latitude,longitude,name,population,countrycode,timezone,alternatenames
36.20124,37.16117,Aleppo,1602264,SY,Asia/Damascus,"Halab,Alep"
33.5102,36.29128,Damascus,1569394,SY,Asia/Damascus,
CSV
expect_rc 0 truce gazetteer load places.csv
expect_in "$T/out" "read 2, inserted 2"
sed -i 's/1602264/1602265/' places.csv
expect_rc 0 truce gazetteer load places.csv
expect_in "$T/out" "inserted 0, updated 1, unchanged 1"
# files nothing could be read from
printf 'name,lat\nAleppo,36.2\n' > nolon.csv
expect_rc 2 truce gazetteer load nolon.csv
expect_in "$T/err" "nolon.csv:1: header has no column 'longitude'"
: > empty.csv
expect_rc 2 truce gazetteer load empty.csv
expect_in "$T/err" "empty.csv: the file is empty"
printf 'name,latitude,longitude\nX,north,east\n' > allbad.csv
expect_rc 2 truce gazetteer load allbad.csv
expect_in "$T/err" "nothing could be stored: every row was rejected"
expect_rc 2 truce gazetteer load missing.csv
expect_in "$T/err" "missing.csv"
expect_eq "nothing stored by failures" "$(store_sql 'SELECT count(*) FROM places')" 8
expect_rc 1 truce gazetteer
expect_rc 1 truce gazetteer load
# the real thing
C=$SHARED/data/geonames/cities15000_SY.csv
[ -f "$C" ] || skip "$C is absent: the GeoNames part skips"
expect_rc 0 truce gazetteer load --country SY --format json "$C"
expect_eq "GeoNames cities of Syria" "$(jq -c '[.read, .rejected]' "$T/out")" "[74,0]"
