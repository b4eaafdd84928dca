#!/bin/sh
# The map's cells (GET /api/cells): for each filter the dashboard offers,
# the counts by verdict and the points are those of /api/events with the
# same filters, event by event; the cells add up; a report filed or an
# ingest while the server runs is in the next answer; count=incidents
# counts one an incident; bad arguments are 400s.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
truce ingest "$SRC/examples/events/spring-2016.jsonl" "$SRC/examples/events/aleppo-apr-jun-2016.jsonl" > /dev/null 2>&1 || fail "ingest"
# two reports of one shelling, from two sources: one incident
{
    printf '{"id": "acled:c1", "source": "acled", "source_id": "c1", "date_start": "2016-05-03", "date_end": "2016-05-03", "lat": 36.200, "lon": 37.160, "radius_km": 1, "category": "remote_violence", "actor1": "Syrian Arab Army", "actor2": "Civilians", "fatalities": 3}\n'
    printf '{"id": "news:c1", "source": "news", "source_id": "c1", "date_start": "2016-05-03", "date_end": "2016-05-03", "lat": 36.210, "lon": 37.150, "radius_km": 25, "category": "remote_violence", "actor1": "Syrian Arab Army", "actor2": "Civilians", "fatalities": 4}\n'
} > reports.jsonl
truce ingest reports.jsonl > /dev/null && truce assess > /dev/null || fail "assess"
MON=$(truce users add mon --role monitor)
serve

A=syria-aleppo-2016-05
# what the dashboard shows of /api/events: with an agreement and no
# verdict asked, only the events it applies to; the colour under it
SHOWN='def colour: if $a != "" then (.properties.verdicts[$a] // "not_applicable") else (.properties.verdict // "not_covered") end;
  [.features[] | select($a == "" or $v != "" or ((.properties.verdicts[$a] // "not_applicable") != "not_applicable"))]'
check() { # FILTERS AGREEMENT VERDICT
    http GET "/api/events?limit=10000&$1"
    expect_eq "events $1" "$CODE" 200
    want=$(jq -c --arg a "$2" --arg v "$3" "$SHOWN"' | {total: length, by: (group_by(colour) | map({key: (.[0] | colour), value: length}) | from_entries)}' "$T/body")
    want_ids=$(jq -c --arg a "$2" --arg v "$3" "$SHOWN"' | map(.id) | sort' "$T/body")
    for z in 5 8 11 14; do
        http GET "/api/cells?zoom=$z&few=0&points=0&$1"
        expect_eq "cells $1 zoom $z" "$CODE" 200
        got=$(jq -c '{total, by: (.by_verdict | with_entries(select(.value > 0)))}' "$T/body")
        expect_eq "counts of $1 at zoom $z" "$got" "$want"
        expect_eq "the cells add up ($1, zoom $z)" "$(jq '[.cells[].n] | add // 0' "$T/body")" "$(jq .total "$T/body")"
        expect_eq "no points asked" "$(jq '.features | length' "$T/body")" 0
        # cells of up to 3 events as points: the same total
        http GET "/api/cells?zoom=$z&few=3&points=0&$1"
        expect_eq "cells and points add up ($1, zoom $z)" "$(jq '([.cells[].n] | add // 0) + (.features | length)' "$T/body")" "$(jq .total "$T/body")"
        expect_eq "only cells of more than 3" "$(jq '[.cells[] | select(.n <= 3)] | length' "$T/body")" 0
    done
    http GET "/api/cells?zoom=8&points=10000&$1"
    expect_eq "every point of $1" "$(jq -c '[.features[].id] | sort' "$T/body")" "$want_ids"
    expect_eq "points only" "$(jq '.cells | length' "$T/body")" 0
}
check "" "" ""
check "agreement=$A" "$A" ""
check "agreement=$A&verdict=violation" "$A" "violation"
check "agreement=$A&verdict=not_applicable" "$A" "not_applicable"
check "verdict=undetermined" "" ""
check "from=2016-05-01&to=2016-05-31" "" ""
check "bbox=37.05,36.13,37.25,36.28&from=2016-04-20&to=2016-06-10" "" ""
check "category=remote_violence&agreement=$A" "$A" ""
check "side=government" "" ""
check "count=incidents" "" ""
check "count=incidents&bbox=36.9,36.0,37.4,36.4" "" ""

# the date slider's days: the span and the counts the page made from
# every event before
http GET "/api/events?limit=10000&count=events"
want=$(jq -c '[.features[].properties] | {first: (map(.date[0:10]) | min), last: (map((.date_end // .date)[0:10]) | max), all: length, violations: (map(select(.verdict == "violation")) | length)}' "$T/body")
http GET "/api/cells?points=0&days=1&count=events&from=2016-05-01"
expect_eq "the slider's days (without the dates asked)" "$(jq -c '.days | {first, last, all: ([.counts[][0]] | add), violations: ([.counts[][1]] | add)}' "$T/body")" "$want"
expect_eq "a day a step" "$(jq -c '[.days.step, (.days.counts | length)]' "$T/body")" "[1,$(( ($(date -ud "$(jq -r .days.last "$T/body")" +%s) - $(date -ud "$(jq -r .days.first "$T/body")" +%s)) / 86400 + 1 ))]"
http GET "/api/cells?points=0&days=1&category=protest&agreement=nowhere"
expect_eq "no days" "$(jq -c .days "$T/body")" null

# incidents counted once: their points' reports add up to the events
http GET "/api/cells?count=events&points=10000"
n_events=$(jq .total "$T/body")
http GET "/api/cells?count=incidents&points=10000"
expect_eq "counted incidents" "$(jq -r .counted "$T/body")" "incidents"
expect_eq "each report once" "$(jq '[.features[] | .properties.reports // 1] | add' "$T/body")" "$n_events"
[ "$(jq .total "$T/body")" -lt "$n_events" ] || fail "no incident of several reports"
expect_eq "the shelling's incident" "$(jq -c '[.features[] | select(.id == "acled:c1") | .properties.reports >= 2]' "$T/body")" '[true]'

# a field report, and an ingest, while the server runs: in the next answer
http GET "/api/cells?points=0"
before=$(jq .total "$T/body")
v0=$(jq .version "$T/body")
http POST /api/reports -H "Authorization: Bearer $MON" -H 'Content-Type: application/json' \
    --data '{"date_start": "2016-05-09", "date_end": "2016-05-09", "lat": 35.0, "lon": 38.0, "radius_km": 2, "category": "armed_violence", "actor1": "Syrian Arab Army"}'
expect_eq "field report" "$CODE" 201
http GET "/api/cells?points=0"
expect_eq "the report counted" "$(jq .total "$T/body")" "$((before + 1))"
expect_eq "not stale" "$(jq .stale "$T/body")" false
[ "$(jq .version "$T/body")" -gt "$v0" ] || fail "the events' version did not move"
printf '{"id": "acled:c2", "source": "acled", "source_id": "c2", "date_start": "2016-05-10", "date_end": "2016-05-10", "lat": 35.5, "lon": 38.5, "radius_km": 1, "category": "battle", "actor1": "Syrian Arab Army", "actor2": "Jaysh al-Islam"}\n' > more.jsonl
truce ingest more.jsonl > /dev/null || fail "ingest while serving"
http GET "/api/cells?points=10000&bbox=38.4,35.4,38.6,35.6"
expect_eq "the ingested event" "$(jq -c '[.features[].id]' "$T/body")" '["acled:c2"]'

# the latest, the last first: what the dashboard lists beside cells
http GET "/api/events?limit=10000&count=events&verdict=violation"
want=$(jq -c '[.features[] | (.properties.time // .properties.date)] | sort | reverse | .[0:5]' "$T/body")
http GET "/api/cells?count=events&verdict=violation&latest=5&points=0&few=0"
expect_eq "the latest violations" "$(jq -c '[.latest[] | .properties.time // .properties.date]' "$T/body")" "$want"
expect_eq "of them all" "$(jq -c '[.total, (.latest | length), (.latest | map(.properties.verdict) | unique)]' "$T/body")" "[$(jq '.total' "$T/body"),5,[\"violation\"]]"

# arguments
for bad in "latest=101" "days=2" "zoom=23" "zoom=x" "few=17" "points=10001" "bbox=1,2,3" "verdict=maybe" "category=war" "count=some" "from=2016-13-01"; do
    http GET "/api/cells?$bad"
    expect_eq "GET /api/cells?$bad" "$CODE" 400
    expect_in "$T/body" '"error"'
done
http POST /api/cells --data '{}'
expect_eq "POST /api/cells" "$CODE" 405
echo ok
