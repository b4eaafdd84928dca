#!/bin/sh
# Is it working? On real data: UCDP GED Syria, OCHA boundaries, the example
# agreements. Skips when ../shared/data is absent.
. "$(dirname "$0")/lib.sh"
UCDP=$SHARED/data/ucdp-ged-syria/ged_syria_2016_2019.csv
ADM0=$SHARED/data/ocha-cod-ab-syria/syr_admin0.geojson
[ -f "$UCDP" ] && [ -f "$ADM0" ] ||
    skip "skipped: ../shared/data (UCDP GED Syria, OCHA boundaries) is absent"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null || fail "actors"
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null || fail "agreements"
# The cessation restricted to its government and opposition sides: its
# potential violations are the government-opposition violence.
jq '[.[] | select(.id == "syria-coh-2016") | .id = "coh-gov-opp"
     | .sides = [.sides[] | select(.id == "government" or .id == "opposition")]
     | .zones = [{"name": "Syria", "file": "'"$SRC"'/examples/zones/syria.geojson"}]]' \
    "$SRC/examples/agreements-syria-2016.json" > govopp.json
truce agreements load --allow-outside "$SRC/examples/zones" govopp.json > /dev/null || fail "gov-opp agreement"
truce boundaries load "$ADM0" --name syria > /dev/null || fail "boundaries"
truce ingest "$UCDP" > /dev/null 2>&1 || fail "ingest"
truce assess > /dev/null || fail "assess"

truce trend --agreement coh-gov-opp --country syria --format json > t.json || fail "trend"
jq -e '.rate_ratio.estimate < 1 and .rate_ratio.ci_high < 1 and .rate_ratio.ci_low > 0' t.json > /dev/null ||
    fail "rate ratio $(jq -c .rate_ratio t.json)"
jq -e '.before.count > 100 and .after.count > 50' t.json > /dev/null || fail "counts $(jq -c '[.before.count, .after.count]' t.json)"
expect_eq "nationwide: no control region" "$(jq -c .control t.json)" "null"
echo "27 Feb 2016 cessation, government-opposition, 30 days: $(jq -c '{before: .before.count, after: .after.count, rate_ratio}' t.json)"

truce coverage --date 2016-05-05 --country syria --format json > c.json || fail "coverage"
expect_eq "5 May 2016" "$(jq -r .classification c.json)" "nationwide"
jq -e '.share > 0.95 and .country_area_km2 > 180000 and .country_area_km2 < 195000' c.json > /dev/null ||
    fail "share $(jq -c '[.share, .country_area_km2]' c.json)"
jq -e '.event_share > 0.95' c.json > /dev/null || fail "event share $(jq .event_share c.json)"

# the local truces alone
export TRUCE_DB="$T/local.db"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
jq '[.[] | select(.kind == "local") | del(.extends)]' "$SRC/examples/agreements-syria-2016.json" |
    sed 's|"zones/|"'"$SRC"'/examples/zones/|g' > local.json
export TRUCE_DB="$T/local-only.db"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load --allow-outside "$SRC/examples/zones" local.json > /dev/null || fail "local agreements"
truce boundaries load "$ADM0" --name syria > /dev/null
c=$(truce coverage --date 2016-05-05 --country syria --format json | jq -r .classification)
case "$c" in partial|patchwork) ;; *) fail "local truces only: $c";; esac
expect_eq "2 May: Ghouta and Latakia" "$(truce coverage --date 2016-05-02 --country syria --format json | jq -r .classification)" "patchwork"

# 2016 to 2019 with the later agreements: the cessation ends on 30 Dec 2016,
# the Russia-Turkey ceasefire follows, the Astana zones end one by one
export TRUCE_DB="$T/later.db"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2017.json" > /dev/null || fail "2017 agreements"
truce boundaries load "$ADM0" --name syria > /dev/null
inforce() { truce coverage --date "$1" --country syria --format json | jq -r '[.agreements[].id] | join(" ")'; }
expect_eq "29 Dec 2016" "$(inforce 2016-12-29)" "syria-aleppo-2016-05 syria-coh-2016"
expect_eq "1 Jan 2017" "$(inforce 2017-01-01)" "syria-ceasefire-2016-12-30"
expect_eq "1 Jun 2017" "$(inforce 2017-06-01)" "syria-astana-eastern-ghouta-2017-05 syria-astana-idlib-2017-05 syria-astana-northern-homs-2017-05 syria-astana-south-2017-05 syria-ceasefire-2016-12-30"
expect_eq "1 Sep 2018" "$(inforce 2018-09-01)" "syria-astana-idlib-2017-05 syria-ceasefire-2016-12-30"
truce ingest "$UCDP" > /dev/null 2>&1 || fail "ingest"
truce assess > /dev/null || fail "assess"
truce trend --agreement syria-astana-idlib-2017-05 --format json > idlib.json || fail "Idlib trend"
expect_eq "Idlib: potential violations on both sides of the start" \
    "$(jq '.before.count > 0 and .after.count > 0' idlib.json)" true
n=$(truce events --agreement syria-ceasefire-2016-12-30 --verdict violation --format jsonl | wc -l)
[ "$n" -gt 0 ] || fail "no violation of the 30 Dec 2016 ceasefire in UCDP 2017-2019"
m=$(truce events --agreement syria-coh-2016 --verdict violation --from 2017-01-01 --format jsonl | wc -l)
expect_eq "no violation of the 2016 cessation after it ended" "$m" 0
