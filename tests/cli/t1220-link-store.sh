#!/bin/sh
# Incidents kept in the store (DESIGN section 15): linking as reports come
# in, ingest after ingest (truce assess links the new and changed ones
# with the part of the store they connect to), ends with the incidents
# that `truce link --all` makes from scratch; a changed report and a
# deleted-and-rerun one move with it; an analyst's split and merge hold
# through `link --all` and through new reports; `explain` names the
# incident and why each report is in it. With ../shared, the same on the
# labelled sets made from UCDP GED Syria (tests/link/score.c), in chunks.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
ev() { printf '{"id": "%s:%s", "source": "%s", "source_id": "%s", "date_start": "%s", "date_end": "%s", "lat": %s, "lon": %s, "radius_km": %s, "category": "remote_violence", "actor1": "%s", "actor2": "Civilians"}\n' "$1" "$2" "$1" "$2" "$3" "$3" "$4" "$5" "$6" "$7"; }
# the incidents as sorted lists of sorted ids
incidents() { truce incidents --format json | jq -c '[.[] | .events | sort] | sort'; }

ev acled 1 2016-05-03 36.200 37.160 1 "Syrian Arab Army" > a.jsonl
ev news b1 2016-05-07 36.200 37.160 5 "" >> a.jsonl
{
    ev news a1 2016-05-03 36.210 37.150 25 ""
    ev field 7 2016-05-03 36.203 37.163 2 ""
    ev acled 2 2016-05-03 36.200 37.160 1 "Syrian Arab Army"
} > b.jsonl
truce ingest a.jsonl > /dev/null && truce assess > /dev/null || fail "first ingest"
expect_rc 0 truce ingest b.jsonl
expect_rc 0 truce assess --format json
expect_eq "linked incrementally" "$(jq -c '[.all, .linked >= 3]' "$T/out")" '[false,true]'
expect_eq "after two ingests" "$(incidents)" '[["acled:1","field:7","news:a1"],["acled:2"],["news:b1"]]'
# the report of four days later, corrected to the day of the shelling
ev news b1 2016-05-03 36.200 37.160 5 "" > c.jsonl
truce ingest c.jsonl > /dev/null && truce assess > /dev/null || fail "the correction"
after=$(incidents)
expect_eq "the corrected report joins" "$after" '[["acled:1","field:7","news:a1","news:b1"],["acled:2"]]'
expect_rc 0 truce link --all --format json
expect_eq "link --all moves nothing" "$(jq -c '[.all, .changed]' "$T/out")" '[true,0]'
expect_eq "link --all: the same incidents" "$(incidents)" "$after"

# explain names the incident and says why each report is in it
expect_rc 0 truce explain news:a1
expect_in "$T/out" "incident incident:acled:1: 4 reports"
expect_in "$T/out" "news:a1 (news): the times overlap"
expect_in "$T/out" "within 1 + 25 + 2 km, both remote_violence, one names no known actor (this report)"
expect_in "$T/out" "acled:1 (acled): the representative"
expect_rc 0 truce explain --format json field:7
expect_eq "explain json" "$(jq -c '[.id, .incident.id, (.incident.reports | length)]' "$T/out")" '["field:7","incident:acled:1",4]'

# an analyst splits the news report off: it stays apart through link
# --all and through a new report beside it; then merges it back
expect_rc 0 truce link --split news:a1
expect_eq "split" "$(incidents)" '[["acled:1","field:7","news:b1"],["acled:2","news:a1"]]'
expect_rc 0 truce link --all
expect_eq "split, link --all" "$(incidents)" '[["acled:1","field:7","news:b1"],["acled:2","news:a1"]]'
ev news z9 2016-05-03 36.201 37.161 3 "" > d.jsonl
truce ingest d.jsonl > /dev/null && truce assess > /dev/null || fail "a new report"
expect_eq "split, a new report" "$(incidents)" '[["acled:1","field:7","news:b1","news:z9"],["acled:2","news:a1"]]'
expect_rc 2 truce link --split acled:9
expect_in "$T/err" "no event 'acled:9'"
expect_rc 0 truce link --merge news:a1 acled:1
expect_eq "merged" "$(incidents)" '[["acled:1","acled:2","field:7","news:a1","news:b1","news:z9"]]'
expect_rc 0 truce link --all
expect_eq "merged, link --all" "$(incidents)" '[["acled:1","acled:2","field:7","news:a1","news:b1","news:z9"]]'
expect_rc 0 truce explain acled:2
expect_in "$T/out" "acled:2 (acled): an analyst's merge; by the rule: "
expect_in "$T/out" "both from acled"
expect_rc 2 truce link --merge news:a1 news:a1
expect_rc 1 truce link --merge news:a1
# the places where a box of longitudes is easily drawn wrong, and a tie
# (two incidents as near and as soon) that an event far away must not
# decide: reports linked one file at a time, then all at once
TRUCE_DB=$(new_store places)
truce init > /dev/null
one() { printf '{"id": "%s", "source": "%s", "source_id": "%s", "time": "%s", "lat": %s, "lon": %s, "radius_km": %s, "category": "battle"}\n' "$1" "${1%%:*}" "${1#*:}" "$2" "$3" "$4" "$5" > one.jsonl
        truce ingest one.jsonl > /dev/null && truce link --format json > link.json || fail "linking $1"; }
printf '{"id": "ucdp:far", "source": "ucdp", "source_id": "far", "date_start": "2016-05-01", "date_end": "2016-05-10", "lat": 10, "lon": 10, "radius_km": 0, "category": "battle"}\n' > far.jsonl
truce ingest far.jsonl > /dev/null && truce link > /dev/null
one news:p1 2016-05-05T12:00Z 89.99 0 1
one news:p2 2016-05-05T12:00Z 89.99 3 1
one news:m1 2016-05-05T12:00Z 36.0 179.999 1
one news:m2 2016-05-05T12:00Z 36.0 -179.999 1
one news:n2 2016-05-04T14:00Z 36.25 37.171875 1
one acled:1 2016-05-05T12:00Z 36.25 37.1171875 1
one acled:2 2016-05-05T12:00Z 36.25 37.1328125 1
one news:n3 2016-05-06T10:00Z 36.25 37.125 1
expect_eq "the last one linked with its part alone" "$(jq .all link.json)" false
step=$(incidents)
expect_eq "near a pole, across the antimeridian, a tie" "$step" '[["acled:1","news:n3"],["acled:2","news:n2"],["news:m1","news:m2"],["news:p1","news:p2"],["ucdp:far"]]'
truce link --all > /dev/null
expect_eq "the same with link --all" "$(incidents)" "$step"
echo "incremental linking equals link --all; splits and merges hold"

UCDP=$SHARED/data/ucdp-ged-syria/ged_syria_2016_2019.csv
[ -f "$UCDP" ] || { echo "$UCDP is absent: the UCDP part skips"; exit 0; }
SCORE="$(dirname "$TRUCE_BIN")/link_score"
for set in apart dense; do
    TRUCE_DB=$(new_store "$set")
    truce init > /dev/null && truce actors load "$SRC/examples/actors.json" > /dev/null
    if [ $set = dense ]; then
        LINK_SCORE_ALL=1 LINK_SCORE_JSONL=set.jsonl "$SCORE" "$UCDP" "$SRC/examples/actors.json" 2016 > score.txt
    else
        LINK_SCORE_JSONL=set.jsonl "$SCORE" "$UCDP" "$SRC/examples/actors.json" 2016 > score.txt
    fi || fail "making the $set set"
    n=$(wc -l < set.jsonl)
    # most of it at once, then in small chunks, each linked as it comes
    head -n $((n - 100)) set.jsonl > big.jsonl
    rm -f small.*
    tail -n 100 set.jsonl | split -l 25 - small.
    truce ingest big.jsonl > /dev/null && truce link > /dev/null || fail "$set: the bulk"
    for f in small.*; do
        truce ingest "$f" > /dev/null && truce link --format json > "link-$f.json" || fail "$set: $f"
        # the set of events a reader can tell apart is linked part by part;
        # the dense one chains day after day, and its parts grow past the
        # bound: every event is linked (docs/incidents.md)
        want=false
        [ $set = dense ] && want=true
        expect_eq "$set: $f linked whole" "$(jq .all "link-$f.json")" $want
    done
    chunked=$(incidents)
    truce link --all --format json > all.json || fail "$set: link --all"
    expect_eq "$set: link --all moves nothing" "$(jq -c .changed all.json)" 0
    expect_eq "$set: the same incidents" "$(incidents)" "$chunked"
    # and as many as linking them in memory finds: exactly on the set a
    # reader can tell apart; on the dense one within 0.1% (JSON Lines keep
    # ten digits of a coordinate, and in a place of many exact ties the
    # last digit can decide one)
    found=$(sed -n 's/.*, \([0-9]*\) found:.*/\1/p' score.txt)
    got=$(echo "$chunked" | jq length)
    if [ $set = apart ]; then
        expect_eq "$set: as many as in memory" "$got" "$found"
    else
        [ $(( (got - found) * (got - found) * 1000000 )) -le $((found * found)) ] ||
            fail "$set: $got incidents, $found in memory"
    fi
    echo "$set: $n reports, $got incidents ($found in memory), linked in 5 steps as by link --all"
done
