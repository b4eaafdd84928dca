#!/bin/sh
# Agreements: load, list, extends, and every kind of bad agreement.
. "$(dirname "$0")/lib.sh"
worked_store
truce agreements list --format json > list.json || fail "list"
expect_eq "agreements" "$(jq '.agreements | length' list.json)" 2
expect_eq "inherited sides" \
    "$(jq -r '.agreements[] | select(.id == "syria-aleppo-2016-05") | .sides[1].guarantor' list.json)" \
    "united-states"
expect_eq "inherited excluded" \
    "$(jq -r '.agreements[] | select(.id == "syria-aleppo-2016-05") | .excluded | join(",")' list.json)" \
    "islamic-state,al-nusra"
area=$(jq '.agreements[] | select(.id == "syria-coh-2016") | .area_km2 | floor' list.json)
[ "$area" -gt 180000 ] && [ "$area" -lt 190000 ] || fail "Syria area $area km2"
expect_rc 0 truce agreements list
expect_in "$T/out" "syria-coh-2016"

bad() { # NAME JSON: writes an agreement file
    printf '%s\n' "$2" > "$T/$1.json"
}
zone='"zones":[{"name":"box","geometry":{"type":"Polygon","coordinates":[[[36,35],[37,35],[37,36],[36,36],[36,35]]]}}]'
bad tz '{"id":"x","timezone":"Asia/Nowhere","in_force":[{"from":"2016-01-01"}],'"$zone"'}'
expect_rc 2 truce agreements load "$T/tz.json"
expect_in "$T/err" "unknown time zone 'Asia/Nowhere'"
bad overlap '{"id":"x","timezone":"Asia/Damascus","in_force":[{"from":"2016-01-01","until":"2016-03-01"},{"from":"2016-02-01"}],'"$zone"'}'
expect_rc 2 truce agreements load "$T/overlap.json"
expect_in "$T/err" "in_force intervals overlap"
bad nofile '{"id":"x","timezone":"Asia/Damascus","in_force":[{"from":"2016-01-01"}],"zones":[{"name":"gone","file":"missing.geojson"}]}'
expect_rc 2 truce agreements load "$T/nofile.json"
expect_in "$T/err" "missing.geojson"
expect_in "$T/err" "zone 0 ('gone')"
bad nowhere '{"id":"x","timezone":"Asia/Damascus","in_force":[{"from":"2016-01-01"}],"zones":[{"name":"gov","file":"'"$DATA"'/worked/syria-rough.geojson","where":{"code":"SY99"}}]}'
expect_rc 2 truce agreements load --allow-outside "$DATA/worked" "$T/nowhere.json"
expect_in "$T/err" "matches 'where'"

bad baddate '{"id":"x","timezone":"Asia/Damascus","in_force":[{"from":"2016-13-01"}],'"$zone"'}'
expect_rc 2 truce agreements load "$T/baddate.json"
expect_in "$T/err" "'from' is not a date"
bad badcat '{"id":"x","timezone":"Asia/Damascus","in_force":[{"from":"2016-01-01"}],"prohibited":["shouting"],'"$zone"'}'
expect_rc 2 truce agreements load "$T/badcat.json"
expect_in "$T/err" "prohibited[0] is not a category"
bad orphan '{"id":"x","extends":"nothing-like-it","timezone":"Asia/Damascus","in_force":[{"from":"2016-01-01"}],'"$zone"'}'
expect_rc 2 truce agreements load "$T/orphan.json"
expect_in "$T/err" "extends 'nothing-like-it'"
expect_rc 2 truce agreements load "$T/does-not-exist.json"
printf '{"id": "x", ' > "$T/trunc.json"
expect_rc 2 truce agreements load "$T/trunc.json"
expect_in "$T/err" "trunc.json"
# a self-intersecting ring is repaired with a warning naming the zone...
bowtie='"zones":[{"name":"bowtie","geometry":{"type":"Polygon","coordinates":[[[36,35],[37,36],[37,35],[36,36],[36,35]]]}}]'
bad bowtie '{"id":"bow","timezone":"Asia/Damascus","in_force":[{"from":"2016-01-01"}],'"$bowtie"'}'
expect_rc 0 truce agreements load "$T/bowtie.json"
expect_in "$T/err" "warning"
expect_in "$T/err" "zone 0 ('bowtie')"
expect_in "$T/err" "repaired with MakeValid"
# ...or rejected with --strict
bad bowtie2 '{"id":"bow2","timezone":"Asia/Damascus","in_force":[{"from":"2016-01-01"}],'"$bowtie"'}'
expect_rc 2 truce agreements load --strict "$T/bowtie2.json"
expect_in "$T/err" "invalid geometry"
# nothing of the failed loads reached the store
expect_eq "agreements after failures" "$(truce agreements list --format json | jq '.agreements | length')" 3
# loading the same file again changes nothing
expect_rc 0 truce agreements load "$DATA/worked/agreements.json"
expect_in "$T/out" "unchanged"

# zone files stay in the agreement file's folder unless --allow-outside names
# another; messages never quote what they read
printf 'secret-token-123 and more\n' > "$T/outside.txt"
mkdir -p "$T/ag/sub" && printf 'secret-token-456\n' > "$T/ag/sub/notjson.geojson"
ln -s "$T/outside.txt" "$T/ag/link.geojson"
for f in /etc/passwd /proc/self/environ ../outside.txt ../../../../../../etc/passwd link.geojson \
         "$T/outside.txt"; do
    printf '%s\n' '{"id":"x","timezone":"Asia/Damascus","in_force":[{"from":"2016-01-01"}],"zones":[{"name":"z","file":"'"$f"'"}]}' > "$T/ag/a.json"
    expect_rc 2 truce agreements load "$T/ag/a.json"
    expect_in "$T/err" "lies outside the agreement file's folder"
    grep -q 'secret-token\|root:' "$T/err" && fail "$f: the message quotes the file"
done
printf '%s\n' '{"id":"x","timezone":"Asia/Damascus","in_force":[{"from":"2016-01-01"}],"zones":[{"name":"z","file":"sub/notjson.geojson"}]}' > "$T/ag/a.json"
expect_rc 2 truce agreements load "$T/ag/a.json"
expect_in "$T/err" "is not JSON (line 1, column"
grep -q 'secret-token' "$T/err" && fail "the message quotes the zone file"
cp "$DATA/worked/syria-rough.geojson" "$T/ag/sub/rough.geojson"
printf '%s\n' '{"id":"x","timezone":"Asia/Damascus","in_force":[{"from":"2016-01-01"}],"zones":[{"name":"z","file":"../rough-elsewhere.geojson","where":{"code":"SY"}}]}' > "$T/ag/sub/a.json"
cp "$DATA/worked/syria-rough.geojson" "$T/ag/rough-elsewhere.geojson"
expect_rc 2 truce agreements load "$T/ag/sub/a.json"
expect_rc 0 truce agreements load --allow-outside "$T/ag" "$T/ag/sub/a.json"

# agreements that contradict themselves are refused, naming both places
F='"timezone":"Asia/Damascus","in_force":[{"from":"2016-01-01"}]'
S='"sides":[{"id":"a","members":["syrian-government"]},{"id":"b","members":["free-syrian-army"]}]'
bad self '{"id":"self","extends":"self",'"$F"','"$zone"'}'
expect_rc 2 truce agreements load "$T/self.json";     expect_in "$T/err" "extends 'self', itself"
bad orphan '{"id":"orphan","extends":"nowhere",'"$F"','"$zone"','"$S"',"excluded":[],"prohibited":["battle"]}'
expect_rc 2 truce agreements load "$T/orphan.json";   expect_in "$T/err" "extends 'nowhere', which is not loaded"
bad twice '[{"id":"dup",'"$F"','"$zone"'},{"id":"dup",'"$F"','"$zone"'}]'
expect_rc 2 truce agreements load "$T/twice.json";    expect_in "$T/err" "agreements 0 and 1 both have the id 'dup'"
bad named '{"id":"named","name":["a","b"],'"$F"','"$zone"'}'
expect_rc 2 truce agreements load "$T/named.json";    expect_in "$T/err" "field 'name' is not a string"
bad twosides '{"id":"twosides",'"$F"','"$zone"',"sides":[{"id":"a","members":["syrian-government"]},{"id":"b","members":["ndf","syrian-government"]}]}'
expect_rc 2 truce agreements load "$T/twosides.json"
expect_in "$T/err" "actor 'syrian-government' is bound twice at one time: side 'a' (sides[0].members[0]) and side 'b' (sides[1].members[1])"
bad sideexcl '{"id":"sideexcl",'"$F"','"$zone"','"$S"',"excluded":["free-syrian-army"]}'
expect_rc 2 truce agreements load "$T/sideexcl.json"
expect_in "$T/err" "actor 'free-syrian-army' is a member of side 'b' (sides[1].members[0]) and excluded (excluded[0])"
# one actor in two sides at different times is a change of sides, not a contradiction
bad switch '{"id":"switch",'"$F"','"$zone"',"sides":[{"id":"a","members":[{"actor":"nour-al-din-al-zenki","until":"2017-01-28"}]},{"id":"b","members":[{"actor":"nour-al-din-al-zenki","from":"2017-01-28"}]}]}'
expect_rc 0 truce agreements load "$T/switch.json"
# a zone around the whole world has the whole world's area
bad world '{"id":"world","timezone":"UTC","in_force":[{"from":"2016-01-01"}],"zones":[{"name":"w","geometry":{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}}]}'
expect_rc 0 truce agreements load "$T/world.json"
expect_in "$T/out" "world                            local      1 zone, 510065622 km2"

# a dictionary that would leave most side members unknown is said at its load
echo '{"actors": []}' > "$T/empty-actors.json"
expect_rc 0 truce actors load "$T/empty-actors.json"
expect_in "$T/err" "warning: the dictionary knows 0 of the"
expect_rc 0 truce actors load "$DATA/worked/actors.json"
grep -q "the dictionary knows" "$T/err" && fail "a full dictionary warned"
# a side with two guarantors: both answer, both named
export TRUCE_DB="$T/two-guarantors.db"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2017.json" > /dev/null || fail "2017 agreements"
echo '{"id":"g:1","date_start":"2017-06-01","lat":35.93,"lon":36.63,"category":"remote_violence","actor1":"Military Forces of Syria (2000-)","actor2":"Civilians (Syria)"}' > g.jsonl
truce ingest g.jsonl > /dev/null 2>&1 && truce assess > /dev/null || fail "ingest"
truce explain g:1 > g.txt
expect_in g.txt "bound to side 'government' (guarantors: russia and iran)"
expect_eq "both must answer" "$(truce explain g:1 --format json | jq -c '.assessments[] | select(.agreement == "syria-astana-idlib-2017-05") | .guarantors')" '["russia","iran"]'
exit 0
