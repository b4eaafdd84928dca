#!/bin/sh
# truce whatif (DESIGN section 12): every stored event assessed under a
# draft read over the stored agreements, nothing stored. The draft starts
# the 27 February cessation on 1 June instead: whatif's verdicts are those
# that loading the draft and re-assessing gives, event by event; the store
# is left as it was; --from/--to select the events.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
truce ingest "$SRC/examples/events/spring-2016.jsonl" "$SRC/examples/events/aleppo-apr-jun-2016.jsonl" > /dev/null
truce assess > /dev/null
cp -r "$SRC/examples/zones" zones
jq '[.[] | select(.id == "syria-coh-2016") | .in_force = [{"from": "2016-06-01T00:00", "until": "2016-12-30T00:00"}]]' \
    "$SRC/examples/agreements-syria-2016.json" > draft.json
truce events --format jsonl | jq -c '[.id, .verdict]' | sort > before.txt
expect_rc 0 truce whatif draft.json --format json
cp "$T/out" whatif.json
n=$(wc -l < before.txt)
expect_eq "every stored event" "$(jq .events whatif.json)" "$n"
expect_eq "overall counts add up" "$(jq '.overall | add' whatif.json)" "$n"
expect_eq "each agreement's counts add up" "$(jq -c '[.by_agreement[] | .counts | add] | unique' whatif.json)" "[$n]"
[ "$(jq .changed_count whatif.json)" -gt 0 ] || fail "the later start changes nothing"
expect_eq "the store is left as it was" "$(truce events --format jsonl | jq -c '[.id, .verdict]' | sort)" "$(cat before.txt)"
# against the real thing: the draft loaded and everything re-assessed
REAL=$(copy_store "$TRUCE_DB" real)
truce --db "$REAL" agreements load draft.json > /dev/null 2>&1 || fail "loading the draft"
truce --db "$REAL" assess > /dev/null
truce --db "$REAL" events --format jsonl | jq -c '[.id, .verdict]' | sort > after.txt
# the events whose verdict moved, as the re-assessment says and as whatif does
b=$(jq -sc 'map({(.[0]): .[1]}) | add' before.txt)
a=$(jq -sc 'map({(.[0]): .[1]}) | add' after.txt)
moved=$(jq -nc --argjson b "$b" --argjson a "$a" '[$b | keys[] as $k | select($b[$k] != $a[$k]) | {id: $k, before: $b[$k], after: $a[$k]}]')
expect_eq "the events that change" "$(jq -c .changed whatif.json)" "$moved"
expect_eq "how many" "$(jq .changed_count whatif.json)" "$(echo "$moved" | jq length)"
over=$(jq -nc --argjson a "$a" '[$a[]] | group_by(.) | map({(.[0]): length}) | add')
expect_eq "overall verdicts" "$(jq -c '.overall | with_entries(select(.value > 0)) | to_entries | sort_by(.key) | from_entries' whatif.json)" "$(echo "$over" | jq -c 'to_entries | sort_by(.key) | from_entries')"
expect_rc 0 truce whatif draft.json --from 2016-05-01 --to 2016-05-31 --format json
expect_eq "--from/--to" "$(jq .events "$T/out")" "$(truce events --from 2016-05-01 --to 2016-05-31 --format jsonl | wc -l)"
expect_rc 0 truce whatif draft.json
expect_in "$T/out" "event(s) would change their overall verdict:"
# the compact events the fast path reads are kept in the store; a kept
# block that is damaged, stale or of another layout is made again, never
# trusted (the answer stays the same)
if is_pg; then
    store_sql() { psql -X -q -t -A "${TRUCE_DB%%\?*}" -c "$1"; }
    damages="UPDATE caches SET data = substring(data from 1 for 100)
UPDATE caches SET data = overlay(data placing '\\xff'::bytea from 65)
UPDATE caches SET data = overlay(data placing '\\x7f7f7f7f'::bytea from 121)
UPDATE caches SET version = version - 1
DELETE FROM caches"
else
    store_sql() { sqlite3 "$TRUCE_DB" "$1"; }
    damages="UPDATE caches SET data = substr(data, 1, 100)
UPDATE caches SET data = zeroblob(length(data))
UPDATE caches SET data = randomblob(length(data))
UPDATE caches SET data = substr(data, 1, 64) || x'ff' || substr(data, 66)
UPDATE caches SET data = substr(data, 1, 120) || x'7f7f7f7f' || substr(data, 125)
UPDATE caches SET data = 12345
UPDATE caches SET version = version - 1
DELETE FROM caches"
fi
expect_eq "assess keeps the compact events" "$(store_sql "SELECT count(*) FROM caches WHERE name = 'compact-events'")" 1
# (a loop of this shell, not of a pipe's: a failure ends the test)
while IFS= read -r damage; do
    store_sql "$damage" > /dev/null
    expect_rc 0 truce whatif draft.json --format json
    expect_eq "whatif after: $damage" "$(cat "$T/out")" "$(cat whatif.json)"
done <<DAMAGES
$damages
DAMAGES
# a block that cannot be read does not fail an assessment either: made again
store_sql "UPDATE caches SET data = substring(data from 1 for 10)" > /dev/null 2>&1 ||
    store_sql "UPDATE caches SET data = substr(data, 1, 10)" > /dev/null
expect_rc 0 truce assess
expect_eq "kept again by assess" "$(store_sql "SELECT count(*) FROM caches WHERE name = 'compact-events'")" 1
expect_rc 0 truce whatif draft.json --format json
expect_eq "whatif after assess made it again" "$(cat "$T/out")" "$(cat whatif.json)"
expect_rc 2 truce whatif no-such-draft.json
expect_rc 1 truce whatif

# the same through the API, for analysts, with the zones inline
ANA=$(truce users add ana --role analyst 2> /dev/null)
MON=$(truce users add mon --role monitor 2> /dev/null)
jq --slurpfile z zones/syria.geojson '[.[] | .zones = [{"name": "Syria", "geometry": ($z[0].features[0].geometry // $z[0].geometry // $z[0])}]]' draft.json > inline.json
serve
http POST /api/whatif -H "Authorization: Bearer $MON" --data-binary @inline.json
expect_eq "a monitor may not" "$CODE" 403
http POST /api/whatif -H "Authorization: Bearer $ANA" --data-binary @inline.json
expect_eq "whatif through the API" "$CODE" 200
expect_eq "the same answer" "$(jq -c '[.events, .changed_count, .overall]' "$T/body")" "$(jq -c '[.events, .changed_count, .overall]' whatif.json)"
http POST /api/whatif -H "Authorization: Bearer $ANA" --data-binary @draft.json
expect_eq "a draft naming a zone file" "$CODE" 400
expect_in "$T/body" "zones from files are read only from an agreement file"
# and it says nothing of which files the server has
for f in /etc/passwd /etc/no-such-file-here; do
    jq --arg f "$f" '[.[] | .zones = [{"name": "x", "file": $f}]]' draft.json > probe.json
    http POST /api/whatif -H "Authorization: Bearer $ANA" --data-binary @probe.json
    sed "s|$f|FILE|" "$T/body" > "probe-$(basename "$f").txt"
done
expect_eq "a file that exists and one that does not" "$(cat probe-passwd.txt)" "$(cat probe-no-such-file-here.txt)"
http POST "/api/whatif?from=2016-05-01&to=2016-05-31" -H "Authorization: Bearer $ANA" --data '{"id": '
expect_eq "a draft that does not parse" "$CODE" 400
echo "whatif: $(jq .changed_count whatif.json) of $n events would change, as a re-assessment says"
