#!/bin/sh
# One incident, many reports (DESIGN section 15): truce_link_events on a
# labelled multi-source set made at test time from UCDP GED Syria
# (../shared, never copied; tests/link/score.c says how): B-cubed precision
# and recall at least 0.95 on the events a reader can tell apart, each
# year; the dense set (every event, also those no rule can tell apart) is
# printed for the record, with no floor.
. "$(dirname "$0")/lib.sh"
UCDP=$SHARED/data/ucdp-ged-syria/ged_syria_2016_2019.csv
[ -f "$UCDP" ] || skip "$UCDP is absent: the linking evaluation skips"
SCORE="$(dirname "$TRUCE_BIN")/link_score"
for y in 2016 2017 2018 2019; do
    "$SCORE" "$UCDP" "$SRC/examples/actors.json" $y 0.95 0.95 > score.txt ||
        { cat score.txt; fail "linking below its floor in $y"; }
    cat score.txt
done
LINK_SCORE_ALL=1 "$SCORE" "$UCDP" "$SRC/examples/actors.json" 2016 || fail "the dense set"
