#!/bin/sh
# Places that are areas: events that GDELT places only at a country (and
# UCDP at where_prec 6) are tested against the zones as that country — its
# shape when the store has boundaries of that name, else its box from the
# built-in table — so a country far from the zone is outside, not a case
# for an analyst.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null 2>&1
truce ingest "$DATA/gdelt_countries.tsv" > /dev/null 2>&1 || fail "ingest"
truce assess > /dev/null
expect_eq "the area kept" "$(truce explain gdelt:610000001 --format json | jq -r .area)" "fips:UK"
# under the nationwide cessation in force on 6 May 2016, zone Syria
v() { truce explain "$1" --format json | jq -r '.assessments[] | select(.agreement == "syria-coh-2016") | "\(.verdict) \(.reason)"'; }
expect_eq "the United Kingdom" "$(v gdelt:610000001)" "not_applicable outside_zone"
expect_eq "Turkey's box meets Syria" "$(v gdelt:610000003)" "undetermined location_imprecise"
expect_eq "Syria's box is more than Syria" "$(v gdelt:610000002)" "undetermined location_imprecise"
expect_eq "a code not in the table" "$(v gdelt:610000004)" "undetermined location_imprecise"
expect_eq "Lebanon's box meets Syria" "$(v gdelt:610000005)" "undetermined location_imprecise"
truce explain gdelt:610000001 > e.txt
expect_in e.txt "its place is only United Kingdom (its box -8.65, 49.90 to 1.80, 60.90 from truce's table of countries), which lies outside the zones of"
expect_eq "outside is no case" "$(truce explain gdelt:610000001 --format json | jq -r .verdict)" "not_covered"
# with Syria's shape in the store, the event placed at Syria lies within it
truce boundaries load "$SRC/examples/zones/syria.geojson" --name syria > /dev/null || fail "boundaries"
truce assess --all > /dev/null
expect_eq "Syria's own shape" "$(v gdelt:610000002)" "violation breach"
truce explain gdelt:610000002 > e2.txt
expect_in e2.txt "its place is only Syria (the boundaries 'syria' in the store), which lies within the zones of"
expect_eq "the UK still outside" "$(v gdelt:610000001)" "not_applicable outside_zone"
# UCDP where_prec 6: the country named in the record
head -2 "$DATA/ucdp_sample.csv" | sed 's/^9900001,/9910001,/; s/,truce test data,1,Aleppo city,/,truce test data,6,Aleppo city,/' > uc6.csv
grep -q ',6,Aleppo city,' uc6.csv || fail "the where_prec 6 row"
truce ingest uc6.csv > /dev/null 2>&1 || fail "ucdp"
truce assess > /dev/null
expect_eq "UCDP country" "$(truce explain ucdp:9910001 --format json | jq -r .area)" "name:Syria"
truce explain ucdp:9910001 > e3.txt
expect_in e3.txt "its place is only Syria (the boundaries 'syria' in the store)"

# admin units: ACLED geo_precision 3 names only the province; with the
# province's shape in the store (a feature with an id) the event is tested
# as that province, else as a point with a 100 km radius
export TRUCE_DB="$T/admin.db"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null 2>&1
H=$(head -1 "$DATA/acled_sample.csv")
R=$(sed -n 2p "$DATA/acled_sample.csv")
{ echo "$H"; echo "$R" | sed 's/^SYR9001,2016-05-06,/ADM1,2016-05-20,/; s/,36.2012,37.1612,1,/,36.2012,37.1612,3,/'; } > gp3.csv
truce ingest gp3.csv > /dev/null 2>&1 || fail "ingest gp3"
truce assess > /dev/null
expect_eq "the province kept" "$(truce explain acled:ADM1 --format json | jq -r .area)" "admin1:Aleppo"
va() { truce explain acled:ADM1 --format json | jq -r --arg a "$1" '.assessments[] | select(.agreement == $a) | "\(.verdict) \(.reason)"'; }
expect_eq "no shape: 100 km around Aleppo straddles the Aleppo zones" "$(va syria-aleppo-2016-05)" "undetermined location_imprecise"
truce boundaries load "$SRC/examples/zones/aleppo-governorate.geojson" --name syria-adm1 --id-property name > /dev/null || fail "adm1"
truce assess --all > /dev/null
expect_eq "Aleppo governorate within the Aleppo zones" "$(va syria-aleppo-2016-05)" "violation breach"
expect_eq "and within Syria" "$(va syria-coh-2016)" "violation breach"
truce explain acled:ADM1 > e4.txt
expect_in e4.txt "its place is only Aleppo (its feature 'Aleppo governorate' of the boundaries 'syria-adm1' in the store), which lies within the zones of 'Regime of calm: Aleppo'"
