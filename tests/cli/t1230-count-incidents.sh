#!/bin/sh
# Counting incidents, not reports (DESIGN section 15): with one source
# loaded, trend, coverage and report give the figures of every event, as
# they always did; with several, an incident reported by ACLED, the news
# and a monitor counts once (`--count events` gives the old figure), and
# the report lists it once with its sources.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
truce boundaries load "$SRC/examples/zones/syria.geojson" --name syria > /dev/null 2>&1 ||
    fail "boundaries"
truce ingest "$SRC/examples/events/spring-2016.jsonl" > /dev/null
truce assess > /dev/null
A=syria-aleppo-2016-05
figures() { # trend after-count, coverage share events, report total, for --count $1
    t=$(truce trend --agreement $A --window 30 --count "$1" --format json | jq -c '[.counted, .before.count, .after.count, .after.fatalities]')
    c=$(truce coverage --date 2016-05-20 --country syria --count "$1" --format json | jq -c '[.counted, .events_total, .events_inside]')
    r=$(truce report --agreement $A --date 2016-05-20 --days 14 --count "$1" --format json | jq -c '[.counted, .violations.total, (.notable | length)]')
    echo "$t $c $r"
}
one_auto=$(figures auto)
one_events=$(figures events)
expect_eq "one source: counting events" "$(echo "$one_auto" | jq -sc '[.[][0]] | unique')" '["events"]'
expect_eq "one source: auto is every event" "$one_auto" "$one_events"

# three more reports of one shelling in Aleppo, after the regime of calm began
ev() { printf '{"id": "%s:%s", "source": "%s", "source_id": "%s", "date_start": "2016-05-15", "date_end": "2016-05-15", "lat": %s, "lon": %s, "radius_km": %s, "category": "remote_violence", "actor1": "%s", "actor2": "Civilians", "fatalities": %s}\n' "$1" "$2" "$1" "$2" "$3" "$4" "$5" "$6" "$7"; }
{
    ev acled 77 36.2000 37.1500 1 "Military Forces of Syria (2000-)" 4
    ev news q1 36.2100 37.1600 25 "Syrian government forces" 6
    ev field 88 36.2030 37.1530 2 "Syrian Arab Army" 5
} > shelling.jsonl
truce ingest shelling.jsonl > /dev/null && truce assess > /dev/null || fail "the three reports"
expect_rc 0 truce incidents --min-sources 3 --format json
expect_eq "one incident of three sources" "$(jq -c '[.[] | [.representative, (.events | length), .fatalities, .fatalities_low, .fatalities_high]]' "$T/out")" '[["acled:77",3,4,4,6]]'
several_auto=$(figures auto)
several_events=$(figures events)
set -- $one_events
one_t=$1 one_c=$2 one_r=$3
set -- $several_events
ev_t=$1 ev_c=$2 ev_r=$3
set -- $several_auto
inc_t=$1 inc_c=$2 inc_r=$3
expect_eq "several sources: counting incidents" "$(echo "$inc_t" | jq -r '.[0]')" incidents
# every report: three more violations after the start; incidents: one
expect_eq "trend, every report" "$(echo "$ev_t" | jq '.[2]')" "$(($(echo "$one_t" | jq '.[2]') + 3))"
expect_eq "trend, incidents" "$(echo "$inc_t" | jq '.[2]')" "$(($(echo "$one_t" | jq '.[2]') + 1))"
expect_eq "trend, the incident's toll is its representative's" "$(echo "$inc_t" | jq '.[3]')" "$(($(echo "$one_t" | jq '.[3]') + 4))"
expect_eq "trend, before the start" "$(echo "$inc_t" | jq '.[1]')" "$(echo "$one_t" | jq '.[1]')"
expect_eq "coverage, every report" "$(echo "$ev_c" | jq '.[1]')" "$(($(echo "$one_c" | jq '.[1]') + 3))"
expect_eq "coverage, incidents" "$(echo "$inc_c" | jq '.[1]')" "$(($(echo "$one_c" | jq '.[1]') + 1))"
expect_eq "report, every report" "$(echo "$ev_r" | jq '.[1]')" "$(($(echo "$one_r" | jq '.[1]') + 3))"
expect_eq "report, incidents" "$(echo "$inc_r" | jq '.[1]')" "$(($(echo "$one_r" | jq '.[1]') + 1))"
expect_rc 0 truce report --agreement $A --date 2016-05-20 --days 14 --format json
expect_eq "the report lists it once, with its sources" "$(jq -c '[.notable[] | select(.id == "acled:77") | [.reports, .sources]]' "$T/out")" '[[3,"3 sources: acled, news, field"]]'
expect_eq "and not its other reports" "$(jq -c '[.notable[] | select(.id == "news:q1" or .id == "field:88")] | length' "$T/out")" 0
expect_rc 0 truce report --agreement $A --date 2016-05-20 --days 14 --format md
expect_in "$T/out" "Reported 3 times (3 sources: acled, news, field)."
expect_rc 0 truce trend --agreement $A --window 30
expect_in "$T/out" "counting incidents: reports of one occurrence count once"
expect_rc 1 truce trend --agreement $A --count reports
echo "one source: $one_auto; several: $several_auto"
