#!/bin/sh
# Incidents through the API (DESIGN section 15): a field report filed to
# a running server is linked in the background with the ACLED row and the
# news report of the same shelling; GET /api/events/{id} names the
# incident and why each report is in it; an analyst splits it and merges
# it back (a monitor may not), each kept in the audit trail; count= on the
# analytics.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
{
    printf '{"id": "acled:1", "source": "acled", "source_id": "1", "date_start": "2016-05-03", "date_end": "2016-05-03", "lat": 36.200, "lon": 37.160, "radius_km": 1, "category": "remote_violence", "actor1": "Syrian Arab Army", "actor2": "Civilians", "fatalities": 3}\n'
    printf '{"id": "news:a1", "source": "news", "source_id": "a1", "date_start": "2016-05-03", "date_end": "2016-05-03", "lat": 36.210, "lon": 37.150, "radius_km": 25, "category": "remote_violence", "actor1": "Syrian Arab Army", "actor2": "Civilians", "fatalities": 4}\n'
} > reports.jsonl
truce boundaries load "$SRC/examples/zones/syria.geojson" --name syria > /dev/null 2>&1 || fail "boundaries"
truce ingest reports.jsonl > /dev/null && truce assess > /dev/null || fail "ingest"
MON=$(truce users add mon --role monitor)
ANA=$(truce users add ana --role analyst)
serve
http POST /api/reports -H "Authorization: Bearer $MON" -H 'Content-Type: application/json' \
    --data '{"date_start": "2016-05-03", "date_end": "2016-05-03", "lat": 36.203, "lon": 37.163, "radius_km": 2, "category": "armed_violence", "actor1": "Syrian Arab Army"}'
expect_eq "field report" "$CODE" 201
FIELD=$(jq -r .id "$T/body")
# the background linking takes it into the shelling's incident
for _ in $(seq 1 100); do
    http GET "/api/events/$FIELD"
    [ "$(jq -r '.incident.id // empty' "$T/body")" = "incident:acled:1" ] && break
    sleep 0.1
done
expect_eq "linked in the background" "$(jq -c '[.incident.id, .incident.representative, (.incident.reports | length), .incident.corroboration]' "$T/body")" '["incident:acled:1","acled:1",3,"corroborated"]'
expect_in "$T/body" "\"why\":\"the times overlap, "
http GET /api/events/news:a1
expect_eq "the news report's incident" "$(jq -c '[.incident.id, .incident.reports_by_source]' "$T/body")" '["incident:acled:1",{"acled":1,"news":1,"field":1}]'

# split and merge: analysts only, audited
http POST /api/incidents/split -H "Authorization: Bearer $MON" --data '{"event": "news:a1"}'
expect_eq "a monitor may not split" "$CODE" 403
http POST /api/incidents/split -H "Authorization: Bearer $ANA" --data '{"evnt": "news:a1"}'
expect_eq "a split without an event" "$CODE" 400
http POST /api/incidents/cut -H "Authorization: Bearer $ANA" --data '{"event": "news:a1"}'
expect_eq "no such action" "$CODE" 404
http POST /api/incidents/split -H "Authorization: Bearer $ANA" --data '{"event": "news:zz"}'
expect_eq "no such event" "$CODE" 404
http POST /api/incidents/split -H "Authorization: Bearer $ANA" --data '{"event": "news:a1"}'
expect_eq "split" "$CODE" 200
expect_eq "split off" "$(jq -c '[.id, .incident.id, (.incident.reports | length)]' "$T/body")" '["news:a1","incident:news:a1",1]'
http POST /api/incidents/split -H "Authorization: Bearer $ANA" --data '{"event": "news:a1"}'
expect_eq "split of a report alone" "$CODE" 400
http GET /api/events/acled:1
expect_eq "the rest stays" "$(jq -c '.incident.reports | map(.id) | sort' "$T/body")" "$(printf '["acled:1","%s"]' "$FIELD")"
http POST /api/incidents/merge -H "Authorization: Bearer $ANA" --data '{"events": ["news:a1", "acled:1"]}'
expect_eq "merge" "$CODE" 200
expect_eq "merged back" "$(jq -c '[.incident.id, (.incident.reports | length)]' "$T/body")" '["incident:acled:1",3]'
expect_eq "audited" "$(jq -c '[.history[] | .action] | map(select(startswith("link-")))' "$T/body")" '["link-split","link-merge"]'
http POST /api/incidents/merge -H "Authorization: Bearer $ANA" --data '{"events": ["news:a1"]}'
expect_eq "a merge of one" "$CODE" 400

# what the analytics count
http GET "/api/coverage?date=2016-05-10&country=syria&count=events"
expect_eq "coverage count=events" "$(jq -c '[.counted, .events_total]' "$T/body")" '["events",3]'
http GET "/api/coverage?date=2016-05-10&country=syria"
expect_eq "coverage, several sources: one incident" "$(jq -c '[.counted, .events_total]' "$T/body")" '["incidents",1]'
http GET "/api/events?count=events"
expect_eq "every report a point" "$(jq '.features | length' "$T/body")" 3
http GET "/api/events"
expect_eq "one point an incident" "$(jq -c '[.counted, (.features | length), .features[0].properties.reports]' "$T/body")" '["incidents",1,3]'
http GET "/api/report?agreement=syria-coh-2016&date=2016-05-03&count=reports"
expect_eq "a count of no kind" "$CODE" 400
echo "a field report linked by the server; split and merge through the API"
