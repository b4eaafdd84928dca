#!/bin/sh
# Unknown actors as a workflow, on a country the dictionary does not know
# (Yemen, ACLED's 2020 API export): every verdict undetermined for want of
# actors; `actors unmatched` lists the names with counts, sources and inter
# codes; `actors suggest` drafts a dictionary; loading it, with the
# agreement's sides naming the suggested ids, turns actor_unknown into
# verdicts.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
expect_rc 0 truce agreements load "$DATA/yemen/agreement.json"
# members the dictionary lacks are said once, at the load, not at every command
expect_in "$T/err" "member 'houthi-movement' is not in the actor dictionary"
truce ingest "$DATA/shapes/acled-api-2020.csv" > /dev/null 2>&1 || fail "ingest"
expect_rc 0 truce assess
expect_eq "no warning at assess" "$(cat "$T/err")" ""
expect_rc 0 truce summary
expect_eq "no warning at summary" "$(cat "$T/err")" ""
reason() { truce explain "$1" --format json | jq -r '.assessments[0] | "\(.verdict) \(.reason)"'; }
expect_eq "before: battle" "$(reason acled:YEM50001)" "undetermined actor_unknown"
expect_eq "before: shelling" "$(reason acled:YEM50002)" "undetermined actor_unknown"

truce actors unmatched --format json > u.json || fail "unmatched"
expect_eq "Houthi Movement" "$(jq -c '.actors[] | select(.name == "Houthi Movement") | [.count, .sources, .inter]' u.json)" '[2,["acled"],["2"]]'
expect_eq "government" "$(jq -c '.actors[] | select(.name == "Military Forces of Yemen (2012-) Hadi faction") | [.count, .inter]' u.json)" '[1,["1"]]'
expect_eq "most events first" "$(jq -r '.actors[0].count' u.json)" 2
jq -e '[.actors[].name] | index("Civilians (Yemen)") | not' u.json > /dev/null || fail "civilians are built in"
truce actors unmatched --format csv > u.csv
expect_eq "csv header" "$(head -1 u.csv)" "name,count,sources,inter"
expect_eq "csv rows" "$(tail -n +2 u.csv | wc -l)" "$(jq '.actors | length' u.json)"
expect_rc 0 truce actors unmatched
expect_in "$T/out" "Houthi Movement"

expect_rc 0 truce actors suggest --output draft.json
expect_in "$T/out" "draft dictionary 'draft.json'"
kind() { jq -r --arg id "$1" '.actors[] | select(.id == $id) | .kind' draft.json; }
expect_eq "kind from inter 1" "$(kind military-forces-of-yemen-hadi-faction)" state
expect_eq "kind from inter 2" "$(kind houthi-movement)" rebel
expect_eq "kind from inter 6" "$(kind protesters)" civilians
expect_eq "generic stays unknown" "$(kind unidentified-armed-group)" unknown
expect_eq "the dictionary kept" "$(jq '[.actors[] | select(.suggested | not)] | length' draft.json)" 68
expect_rc 1 truce actors suggest

truce actors load draft.json > /dev/null || fail "load the draft"
truce assess > /dev/null || fail "assess again"
verdict() { truce explain "$1" --format json | jq -r '.assessments[0] | "\(.verdict) \(.reason) \(.sides | join("+"))"'; }
expect_eq "after: battle, both bound" "$(verdict acled:YEM50001)" "violation breach government+houthis"
expect_eq "after: shelling by the Houthis" "$(verdict acled:YEM50002)" "violation breach houthis"
expect_eq "nothing left unmatched" "$(truce actors unmatched --format json | jq '[.actors[] | select(.name | test("Houthi"))] | length')" 0
