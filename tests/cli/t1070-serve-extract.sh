#!/bin/sh
# Reading the news over HTTP: POST /api/extract (analyst) returns truce
# extract's document for an article posted as JSON, with byte spans that
# are the sentences' bytes; its errors name the field; POST
# /api/extract/incidents stores one incident (edited) as an unverified
# event of source news, assessed at once, with the analyst in its history.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null || fail "actors"
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null || fail "agreements"
cat > gz.csv <<'CSV'
geonameid,name,latitude,longitude,countrycode,population,timezone
1,Aleppo,36.20124,37.16117,SY,1602264,Asia/Damascus
2,Maarat al-Numan,35.6436,36.6703,SY,58008,Asia/Damascus
CSV
truce gazetteer load gz.csv > /dev/null || fail "gazetteer"
ANA=$(truce users add ana --role analyst 2> /dev/null)
MON=$(truce users add mon --role monitor 2> /dev/null)
serve

# A wire-style article of our own; the dash and the accent make byte
# offsets differ from character offsets.
cat > article.txt <<'TXT'
BEIRUT — Government warplanes struck a hospital in Maarat al-Numan on Monday, killing at least 12 people, activists said.
Rebels shelled the west of Aleppo on Saturday, killing three civilians, state media reported — the café district was hit.
TXT
jq -Rs '{text: ., date: "2016-02-17", tz: "Asia/Damascus", source: "wire"}' article.txt > body.json
AUTH="Authorization: Bearer $ANA"

http POST /api/extract -d @body.json;                       expect_eq "no token" "$CODE" 401
http POST /api/extract -d @body.json -H "Authorization: Bearer $MON"
expect_eq "a monitor" "$CODE $(jq -r .error.code "$T/body")" "403 forbidden"
http POST /api/extract -d @body.json -H "$AUTH"
expect_eq "an analyst reads it" "$CODE" 200
cp "$T/body" doc.json
expect_eq "the document" "$(jq -r '[.published, .timezone, .source] | join(" ")' doc.json)" "2016-02-17 Asia/Damascus wire"
n=$(jq '.incidents | length' doc.json)
[ "$n" -ge 2 ] || { cat doc.json; fail "two incidents expected, got $n"; }
jq -e '.incidents | all(.category != null and (.span | length) == 2 and (.id | startswith("news:wire:")))' doc.json > /dev/null ||
    fail "incidents with a category, a span and an id"
expect_eq "the first" "$(jq -c '.incidents[0] | [.category, .place.name, .date_start, .fatalities]' doc.json)" '["remote_violence","Maarat al-Numan","2016-02-15",12]'
# each span is [start, end) in bytes of the text, and its bytes are the sentence
i=0
while [ $i -lt "$n" ]; do
    s=$(jq -r ".incidents[$i].span[0]" doc.json); e=$(jq -r ".incidents[$i].span[1]" doc.json)
    expect_eq "span $i is the sentence's bytes" "$(tail -c +$((s + 1)) article.txt | head -c $((e - s)))" "$(jq -r ".incidents[$i].sentence" doc.json)"
    i=$((i + 1))
done

# errors name the field
for bad in '{"date":"2016-02-17"}:text' '{"text":"x"}:date' '{"text":"x","date":"2016-02-30"}:date' \
           '{"text":"x","date":"17/02/2016"}:date' '{"text":"x","date":"2016-02-17","tz":"Mars/Olympus"}:tz' \
           '{"text":"x","date":"2016-02-17","source":"a b"}:source' '{"text":1,"date":"2016-02-17"}:text'; do
    b=${bad%:*}; f=${bad##*:}
    http POST /api/extract -d "$b" -H "$AUTH"
    expect_eq "$b" "$CODE $(jq -r .error.code "$T/body")" "400 bad_request"
    jq -e --arg f "$f" '.error.message | contains("field '"'"'" + $f + "'"'"'")' "$T/body" > /dev/null ||
        fail "$b: the message does not name '$f': $(cat "$T/body")"
done
printf '{"text":"bad \377 bytes","date":"2016-02-17"}' > bad.json
http POST /api/extract --data-binary @bad.json -H "$AUTH"
expect_eq "not UTF-8" "$CODE" 400
expect_in "$T/body" "UTF-8"
http POST /api/extract -d '[1]' -H "$AUTH";               expect_eq "not an object" "$CODE" 400
head -c 1100000 /dev/zero | tr '\0' a | jq -Rs '{text: ., date: "2016-02-17"}' > big.json
http POST /api/extract --data-binary @big.json -H "$AUTH"
expect_eq "over the body limit" "$CODE $(jq -r .error.code "$T/body")" "413 too_large"

# storing one incident, edited
jq -c '.incidents[1] | .fatalities = 4 | .place.name = "west Aleppo" | .category = "remote_violence"' doc.json > inc.json
ID=$(jq -r .id inc.json)
http POST /api/extract/incidents -d @inc.json
expect_eq "storing needs a token" "$CODE" 401
http POST /api/extract/incidents -d @inc.json -H "Authorization: Bearer $MON"
expect_eq "storing needs an analyst" "$CODE" 403
http POST /api/extract/incidents -d @inc.json -H "$AUTH"
expect_eq "stored" "$CODE $(jq -r .id "$T/body")" "201 $ID"
http GET "/api/events/$ID"
expect_eq "an event of source news" "$CODE $(jq -r .source "$T/body")" "200 news"
expect_eq "as edited" "$(jq -c '[.fatalities, .location, .category]' "$T/body")" '[4,"west Aleppo","remote_violence"]'
jq -e '.notes | startswith("unverified, read from the news: Rebels shelled")' "$T/body" > /dev/null ||
    fail "marked unverified, with the sentence: $(jq .notes "$T/body")"
jq -e '.verdict != null and (.assessments | length) > 0' "$T/body" > /dev/null || fail "assessed at once"
expect_eq "who stored it" "$(jq -r '.history[] | select(.action == "news") | .user' "$T/body")" "ana"
http GET /api/health
expect_eq "nothing left pending" "$(jq .pending "$T/body")" 0
# again: the same event, updated; a bad incident names its field
http POST /api/extract/incidents -d @inc.json -H "$AUTH"
expect_eq "stored again" "$CODE" 200
jq -c '.place = null' inc.json > noplace.json
http POST /api/extract/incidents -d @noplace.json -H "$AUTH"
expect_eq "no place" "$CODE" 400
expect_in "$T/body" "field 'place'"
jq -c '.category = "party"' inc.json > badcat.json
http POST /api/extract/incidents -d @badcat.json -H "$AUTH"
expect_eq "a bad category" "$CODE" 400
expect_in "$T/body" "field 'category'"
jq -c '.id = "field:1"' inc.json > notnews.json
http POST /api/extract/incidents -d @notnews.json -H "$AUTH"
expect_eq "not a news id" "$CODE" 400
expect_in "$T/body" "field 'id'"

# a place loaded while the server runs is found in the next article
printf '3,Saraqib,35.8644,36.8006,SY,32000,Asia/Damascus\n' >> gz.csv
truce gazetteer load gz.csv > /dev/null || fail "gazetteer again"
jq -n '{text: "Air strikes hit Saraqib on Monday, killing five people.", date: "2016-02-17"}' > saraqib.json
http POST /api/extract -d @saraqib.json -H "$AUTH"
expect_eq "the new place" "$(jq -r '.incidents[0].place.name' "$T/body")" "Saraqib"
