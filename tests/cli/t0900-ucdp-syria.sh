#!/bin/sh
# Integration on real data: UCDP GED Syria 2016-2019 (16,566 events) with
# the example agreements and with variants whose zones are OCHA's
# boundaries. Skips when ../shared/data is absent.
. "$(dirname "$0")/lib.sh"
UCDP=$SHARED/data/ucdp-ged-syria/ged_syria_2016_2019.csv
ADM0=$SHARED/data/ocha-cod-ab-syria/syr_admin0.geojson
ADM1=$SHARED/data/ocha-cod-ab-syria/syr_admin1.geojson
[ -f "$UCDP" ] && [ -f "$ADM0" ] && [ -f "$ADM1" ] ||
    skip "skipped: ../shared/data (UCDP GED Syria, OCHA boundaries) is absent"

truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null || fail "actors"
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null || fail "agreements"
# The cessation and the Aleppo extension again, over OCHA's outlines.
jq --arg adm0 "$ADM0" --arg adm1 "$ADM1" '
  [ (.[] | select(.id == "syria-coh-2016")
      | .id = "ocha-coh-2016"
      | .zones = [{"name": "Syria (OCHA COD-AB)", "file": $adm0}]),
    (.[] | select(.id == "syria-aleppo-2016-05")
      | .id = "ocha-aleppo-2016-05" | .extends = "ocha-coh-2016"
      | .zones = [.zones[0], {"name": "Aleppo governorate (OCHA)", "file": $adm1,
                              "where": {"adm1_pcode": "SY02"}}]) ]' \
  "$SRC/examples/agreements-syria-2016.json" > ocha.json
truce agreements load --allow-outside "$(dirname "$ADM0")" ocha.json > /dev/null || fail "OCHA agreements"

# every record accounted for; the second load changes nothing
truce ingest --format json "$UCDP" > first.json || fail "ingest"
expect_eq "read" "$(jq .read first.json)" 16566
expect_eq "inserted" "$(jq .inserted first.json)" 16566
expect_eq "rejected" "$(jq .rejected first.json)" 0
truce ingest --format json "$UCDP" > second.json || fail "second ingest"
expect_eq "unchanged = read" "$(jq .unchanged second.json)" "$(jq .read second.json)"
expect_eq "second inserted" "$(jq '.inserted + .updated + .rejected' second.json)" 0

truce assess --format json > a.json || fail "assess"
expect_eq "assessed" "$(jq .assessed a.json)" 16566
expect_eq "verdicts add up" "$(jq '.violation + .undetermined + .permitted + .not_covered' a.json)" 16566

# a hand-checked sample
C=ocha-coh-2016
expect_eq "214797: 1 Jan 2016, before the cessation" \
    "$(truce explain ucdp:214797 --format json | jq -r .verdict)" "not_covered"
expect_eq "217058: Daraa, 15 Mar, government vs insurgents" \
    "$(verdict ucdp:217058 $C)" "violation breach null"
expect_eq "217059: government vs IS" "$(verdict ucdp:217059 $C)" "permitted actor_excluded null"
expect_eq "218673: IS vs SDF" "$(verdict ucdp:218673 $C)" "permitted actor_excluded null"
expect_eq "313560: IS against civilians" "$(verdict ucdp:313560 $C)" "permitted actor_excluded null"
expect_eq "233200: a year-long, country-wide aggregate" \
    "$(verdict ucdp:233200 $C)" "undetermined time_imprecise null"
expect_eq "318668: 5-6 May near Aleppo, two days" "$(verdict ucdp:318668 $C)" "violation breach null"
expect_eq "318668 sides" \
    "$(truce explain ucdp:318668 --format json | jq -r --arg a $C '.assessments[] | select(.agreement == $a) | .guarantors | join(",")')" \
    "russia,united-states"

# UCDP's Syrian events lie in Syria: hardly any is outside OCHA's outline
out=$(truce events --agreement $C --verdict not_applicable --format jsonl |
      jq -r --arg a $C '.assessments[] | select(.agreement == $a and .reason == "outside_zone") | .agreement' | wc -l)
[ "$out" -lt 80 ] || fail "$out events outside Syria's OCHA outline"
# the hand-drawn outline agrees with OCHA's for all but a few events
diff=$(truce events --format jsonl | jq -r '
    [.assessments[] | select(.agreement == "syria-coh-2016" or .agreement == "ocha-coh-2016") | .verdict]
    | select(length == 2 and .[0] != .[1]) | 1' | wc -l)
[ "$diff" -lt 170 ] || fail "$diff events judged differently by the two outlines (over 1%)"
echo "outside OCHA outline: $out; differing verdicts between outlines: $diff"
