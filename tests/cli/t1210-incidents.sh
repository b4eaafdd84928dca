#!/bin/sh
# truce incidents (DESIGN section 15): the stored reports grouped into the
# incidents they report: an ACLED row, a news report and a field report of
# one shelling are one incident (the ACLED row its representative, the
# most precise), two ACLED rows are never one, a report four days later is
# another; --min-sources; corroboration.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
ev() { printf '{"id": "%s:%s", "source": "%s", "source_id": "%s", "date_start": "%s", "date_end": "%s", "lat": %s, "lon": %s, "radius_km": %s, "category": "remote_violence", "actor1": "%s", "actor2": "Civilians"}\n' "$1" "$2" "$1" "$2" "$3" "$3" "$4" "$5" "$6" "$7"; }
{
    ev acled 1 2016-05-03 36.200 37.160 1 "Syrian Arab Army"
    ev news a1 2016-05-03 36.210 37.150 25 ""
    ev field 7 2016-05-03 36.203 37.163 2 ""
    ev acled 2 2016-05-03 36.200 37.160 1 "Syrian Arab Army"
    ev news b1 2016-05-07 36.200 37.160 5 ""
} > reports.jsonl
truce ingest reports.jsonl > /dev/null || fail "ingest"
truce assess > /dev/null || fail "assess"
expect_rc 0 truce incidents --format json
cp "$T/out" all.json
expect_eq "incidents" "$(jq length all.json)" 3
expect_eq "the shelling's reports" "$(jq -c '.[] | select(.representative == "acled:1") | .events | sort' all.json)" '["acled:1","field:7","news:a1"]'
expect_eq "its sources" "$(jq -c '.[] | select(.representative == "acled:1") | [(.sources | sort), .independent_sources, .radius_km, .date_start]' all.json)" '[["acled","field","news"],3,1,"2016-05-03"]'
expect_eq "the other ACLED row alone" "$(jq -c '.[] | select(.representative == "acled:2") | .events' all.json)" '["acled:2"]'
expect_eq "four days later alone" "$(jq -c '.[] | select(.representative == "news:b1") | [.events, .corroboration]' all.json)" '[["news:b1"],"single"]'
expect_rc 0 truce incidents --min-sources 2 --format json
expect_eq "two sources or more" "$(jq -c '[.[] | .representative]' "$T/out")" '["acled:1"]'
case "$(jq -r '.[0].corroboration' "$T/out")" in
    corroborated|contested) ;;
    *) fail "corroboration of three sources: $(jq -r '.[0].corroboration' "$T/out")" ;;
esac
expect_rc 0 truce incidents
expect_in "$T/out" "3 incident(s) shown, 3 in all"
expect_in "$T/out" "3 reports (3 sources: acled, news, field)"
expect_rc 1 truce incidents --min-sources 0
echo "3 incidents of 5 reports"
