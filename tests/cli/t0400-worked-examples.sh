#!/bin/sh
# The worked examples of DESIGN 5.1 read through the ACLED and UCDP readers,
# assessed and stored; explain shows each agreement's chain of facts.
. "$(dirname "$0")/lib.sh"
worked_store
truce ingest "$DATA/acled_sample.csv" "$DATA/ucdp_sample.csv" 2> /dev/null > /dev/null || fail "ingest"
cat > instant.jsonl <<'X'
{"id":"jsonl:row3","time":"2016-05-03T21:00:00Z","lat":36.2012,"lon":37.1612,"category":"violence_against_civilians","directed":true,"actor1":"Military Forces of Syria","actor2":"Civilians"}
X
truce ingest instant.jsonl > /dev/null 2>&1 || fail "ingest jsonl"
truce assess --format json > a.json || fail "assess"
expect_eq "assessed all" "$(jq .assessed a.json)" "$(truce events --format jsonl | wc -l)"

C=syria-coh-2016; A=syria-aleppo-2016-05
expect_eq "row 1 coh" "$(verdict acled:SYR9001 $C)" "violation breach government"
expect_eq "row 1 aleppo" "$(verdict acled:SYR9001 $A)" "violation breach government"
expect_eq "row 1 guarantors" "$(truce explain acled:SYR9001 --format json | jq -r '.assessments[0].guarantors | join(",")')" "russia"
expect_eq "row 2 coh" "$(verdict ucdp:9900001 $C)" "violation breach null"
expect_eq "row 2 sides" "$(truce explain ucdp:9900001 --format json | jq -r --arg a $C '.assessments[] | select(.agreement == $a) | "\(.sides | join(",")) \(.guarantors | join(","))"')" "government,opposition russia,united-states"
expect_eq "row 2 aleppo" "$(verdict ucdp:9900001 $A)" "undetermined time_imprecise null"
expect_eq "row 3 coh" "$(verdict jsonl:row3 $C)" "violation breach government"
expect_eq "row 3 aleppo" "$(verdict jsonl:row3 $A)" "not_applicable not_in_force null"
expect_eq "row 4 coh" "$(verdict ucdp:9900002 $C)" "permitted actor_excluded null"
expect_eq "row 5 coh" "$(verdict ucdp:9900003 $C)" "violation breach opposition"
expect_eq "row 6 coh" "$(verdict acled:SYR9002 $C)" "undetermined location_imprecise null"
expect_eq "row 7 coh" "$(verdict acled:SYR9003 $C)" "permitted actor_excluded null"
expect_eq "row 8 coh" "$(verdict acled:SYR9004 $C)" "undetermined actor_unknown null"
expect_eq "row 9 coh" "$(verdict acled:SYR9005 $C)" "permitted activity_permitted null"
expect_eq "row 10 coh" "$(verdict acled:SYR9006 $C)" "not_applicable not_in_force null"
expect_eq "row 10 overall" "$(truce explain acled:SYR9006 --format json | jq -r .verdict)" "not_covered"
expect_eq "row 1 overall" "$(truce explain acled:SYR9001 --format json | jq -r .verdict)" "violation"

# explain in words
expect_rc 0 truce explain acled:SYR9003
expect_in "$T/out" "overall verdict: permitted"
expect_in "$T/out" "[syria-coh-2016] permitted (actor_excluded)"
expect_in "$T/out" "'Jabhat al Nusra' is actor al-nusra, excluded from the agreement"
expect_in "$T/out" "the field counts as excluded"
expect_rc 0 truce explain acled:SYR9001
expect_in "$T/out" "guarantors russia"
expect_in "$T/out" "Perpetrator 'Military Forces of Russia (2000-)' is actor russian-forces, bound to side 'government' (guarantor: russia)."
expect_rc 2 truce explain acled:NOPE
