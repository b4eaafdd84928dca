#!/bin/sh
# A changed agreement or dictionary marks every event for re-assessment;
# assess does only what is marked unless --all.
. "$(dirname "$0")/lib.sh"
worked_store
truce ingest "$DATA/acled_sample.csv" > /dev/null 2>&1 || fail "ingest"
n=$(truce events --format jsonl | wc -l)
expect_eq "first assess" "$(truce assess --format json | jq .assessed)" "$n"
expect_eq "nothing pending" "$(truce assess --format json | jq .assessed)" 0
expect_eq "--all" "$(truce assess --all --format json | jq .assessed)" "$n"
# the same dictionary again: nothing to do
truce actors load "$DATA/worked/actors.json" > /dev/null
expect_eq "same dictionary" "$(truce assess --format json | jq .assessed)" 0
# Ahrar al-Sham leaves the dictionary's aliases: everything is re-assessed
sed 's/"Ahrar al Sham", //' "$DATA/worked/actors.json" > actors2.json
expect_rc 0 truce actors load actors2.json
expect_in "$T/out" "re-assessed"
expect_eq "changed dictionary" "$(truce assess --format json | jq .assessed)" "$n"
# a changed agreement (now ending on 2016-04-30)
sed 's/"from": "2016-02-27T00:00", "until": null/"from": "2016-02-27T00:00", "until": "2016-04-30"/' \
    "$DATA/worked/agreements.json" > agr2.json
cp "$DATA/worked/syria-rough.geojson" .
expect_rc 0 truce agreements load agr2.json
expect_eq "changed agreement" "$(truce assess --format json | jq .assessed)" "$n"
expect_eq "now outside the cessation" "$(verdict acled:SYR9001 syria-coh-2016)" "not_applicable not_in_force null"
# a bad dictionary is refused and changes nothing
echo '{"actors": [{"id": "x", "kind": "wizard"}]}' > bad.json
expect_rc 2 truce actors load bad.json
expect_in "$T/err" "actors[0]"
expect_in "$T/err" "'kind'"
expect_eq "still nothing pending" "$(truce assess --format json | jq .assessed)" 0
