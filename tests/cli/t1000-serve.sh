#!/bin/sh
# The HTTP API over real HTTP on an ephemeral port: shapes, paging, auth,
# bad bodies, unknown routes, static paths, the review workflow, the audit.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
truce boundaries load "$SRC/examples/zones/syria.geojson" --name syria > /dev/null
truce ingest "$SRC/examples/events/spring-2016.jsonl" > /dev/null 2>&1
truce assess > /dev/null
MON=$(truce users add mona --role monitor 2>/dev/null)
ANA=$(truce users add ali --role analyst 2>/dev/null)
case "$MON" in truce_1_*) ;; *) fail "token: $MON";; esac
expect_rc 1 truce users add eve --role king
expect_rc 2 truce users add mona --role monitor
mkdir web && echo '<html>dashboard</html>' > web/index.html && echo 'secret' > secret.txt
serve --web "$T/web"

http GET /api/health;         expect_eq "health" "$CODE $(jq -r .status "$T/body")" "200 ok"
http GET /api/agreements;     expect_eq "agreements" "$CODE $(jq '.agreements | length' "$T/body")" "200 5"
http GET /api/agreements/syria-aleppo-2016-05
expect_eq "zones as GeoJSON" "$(jq -r '.zones.type, (.zones.features | length)' "$T/body" | tr '\n' ' ')" "FeatureCollection 2 "
http GET /api/agreements/nope;  expect_eq "unknown agreement" "$CODE $(jq -r .error.code "$T/body")" "404 not_found"
http GET /api/boundaries/syria; expect_eq "boundaries" "$CODE $(jq -r .type "$T/body")" "200 FeatureCollection"

# paging: every event exactly once
n=$(truce events --format jsonl | wc -l); seen=""; cursor=""; pages=0
while :; do
    http GET "/api/events?limit=7${cursor:+&cursor=$cursor}"
    expect_eq "page status" "$CODE" 200
    seen="$seen $(jq -r '.features[].id' "$T/body")"
    cursor=$(jq -r '.next_cursor // empty' "$T/body"); pages=$((pages + 1))
    [ -n "$cursor" ] || break
done
expect_eq "paged events" "$(echo $seen | wc -w)" "$n"
expect_eq "no duplicates" "$(echo $seen | tr ' ' '\n' | sort -u | wc -l)" "$n"
expect_eq "pages" "$pages" "$(( (n + 6) / 7 ))"
http GET "/api/events?verdict=violation&agreement=syria-coh-2016&limit=1000"
want=$(truce events --agreement syria-coh-2016 --verdict violation --format jsonl | wc -l)
expect_eq "agreement filter" "$(jq '.features | length' "$T/body")" "$want"
http GET "/api/events?side=opposition"
want=$(truce events --format jsonl | jq -r 'select([.assessments[] | select(.verdict == "violation") | .sides[]] | index("opposition")) | .id' | sort | tr '\n' ' ')
[ -n "$want" ] || fail "no opposition violations to filter"
expect_eq "side filter" "$(jq -r '.features[].id' "$T/body" | sort | tr '\n' ' ')" "$want"
http GET "/api/events?category=protest&from=2016-03-01&to=2016-03-31&bbox=35,32,43,38"
jq -e '(.features | length) > 0 and ([.features[].properties.category] | all(. == "protest"))' "$T/body" > /dev/null || fail "category filter"
for bad in "bbox=1,2" "from=2016-13-01" "verdict=maybe" "limit=0" "cursor=zz" "category=party"; do
    http GET "/api/events?$bad"; expect_eq "bad $bad" "$CODE $(jq -r .error.code "$T/body")" "400 bad_request"
done
http GET /api/events/example:al-dabeet-hospital-2016-05-03
expect_eq "event" "$CODE $(jq -r .verdict "$T/body")" "200 violation"
jq -e '.assessments | map(.explanation | test("Verdict:")) | all' "$T/body" > /dev/null || fail "explanations"
http GET /api/events/nope:1; expect_eq "unknown event" "$CODE" 404
# attribution as decided: side only when one side alone is attributed
http GET "/api/events?limit=1000"
expect_eq "one side" "$(jq -c '.features[] | select(.id == "example:al-dabeet-hospital-2016-05-03") | .properties | [.side, .sides]' "$T/body")" '["opposition",["opposition"]]'
expect_eq "mutual" "$(jq -c '.features[] | select(.id == "example:castello-road-cut-2016-07-17") | .properties | [.side, .sides]' "$T/body")" '[null,["government","opposition"]]'
expect_eq "no violation, no side" "$(jq -c '[.features[] | select(.properties.verdict != "violation") | .properties.sides | length] | max' "$T/body")" 0

# auth
http GET /api/me -H "Authorization: Bearer $ANA"; expect_eq "me" "$(jq -r '"\(.user) \(.role)"' "$T/body")" "ali analyst"
http GET /api/me;                                 expect_eq "me without a token" "$CODE" 401
# the vocabulary: names and words from the library, the review's steps
http GET /api/vocabulary; expect_eq "vocabulary" "$CODE" 200
expect_eq "verdicts in rank order" "$(jq -r '[.verdicts[].name] | join(",")' "$T/body")" "not_covered,not_applicable,permitted,undetermined,violation"
expect_eq "a reason's words" "$(jq -r '.reasons[] | select(.name == "not_in_force") | .words' "$T/body")" "the agreement was not in force then"
expect_eq "a case starts alleged" "$(jq -r '.review.start | join(",")' "$T/body")" "alleged"
expect_eq "steps from alleged" "$(jq -r '.review.states[] | select(.name == "alleged") | .next | join(",")' "$T/body")" "information_requested,assessed"
expect_eq "steps from assessed" "$(jq -r '.review.states[] | select(.name == "assessed") | .next | join(",")' "$T/body")" "alleged"
expect_eq "outcomes" "$(jq -r '[.review.outcomes[].name] | join(",")' "$T/body")" "confirmed_violation,not_a_violation,inconclusive"
expect_eq "categories" "$(jq '.categories | length' "$T/body")" 8
REPORT='{"date_start":"2016-05-06","lat":36.2,"lon":37.16,"category":"remote_violence","directed":true,"actor1":"Military Forces of Syria","actor2":"Civilians","notes":"barrel bomb"}'
http POST /api/reports -d "$REPORT";                                  expect_eq "no token" "$CODE" 401
http POST /api/reports -d "$REPORT" -H "Authorization: Bearer truce_1_00";  expect_eq "bad token" "$CODE" 401
http POST /api/reports -d "$REPORT" -H "Authorization: Basic abc";    expect_eq "not bearer" "$CODE" 401
http POST /api/reports -d "$REPORT" -H "Authorization: Bearer $MON"
expect_eq "report filed" "$CODE" 201
expect_eq "report id" "$(jq -r .id "$T/body")" "field:1"
expect_eq "assessed at once" "$(jq -r .verdict "$T/body")" "violation"
jq -e '[.assessments[] | select(.agreement == "syria-aleppo-2016-05")][0].explanation | test("attributed to government")' "$T/body" > /dev/null || fail "report explanation"
http POST /api/reports -d '{"lat":36.2,"lon":37.16,"category":"battle"}' -H "Authorization: Bearer $MON"
expect_eq "missing time" "$CODE $(jq -r .error.code "$T/body")" "400 bad_request"
case "$(jq -r .error.message "$T/body")" in *time*) ;; *) fail "reason names the field";; esac
http POST /api/reports -d '{"date_start":' -H "Authorization: Bearer $MON";   expect_eq "malformed" "$CODE" 400
http POST /api/reports -d '[1,2]' -H "Authorization: Bearer $MON";            expect_eq "not an object" "$CODE" 400
# a date after tomorrow, a radius past half the Earth: refused, nothing stored
before=$(truce events --format jsonl | wc -l)
FUTURE=$(echo "$REPORT" | jq -c '.date_start = "9999-12-31"')
http POST /api/reports -d "$FUTURE" -H "Authorization: Bearer $MON"
expect_eq "future report" "$CODE $(jq -r .error.code "$T/body")" "400 bad_request"
expect_in "$T/body" "in the future"
SOON=$(echo "$REPORT" | jq -c --arg d "$(date -u -d '+5 days' +%Y-%m-%d)" '.date_start = $d')
http POST /api/reports -d "$SOON" -H "Authorization: Bearer $MON";   expect_eq "five days ahead" "$CODE" 400
HUGE=$(echo "$REPORT" | jq -c '.radius_km = 1e308')
http POST /api/reports -d "$HUGE" -H "Authorization: Bearer $MON"
expect_eq "huge radius" "$CODE $(jq -r .error.code "$T/body")" "400 bad_request"
expect_in "$T/body" "radius_km"
expect_eq "nothing stored" "$(truce events --format jsonl | wc -l)" "$before"
head -c 1100000 /dev/zero | tr '\0' 'a' > big.txt
http POST /api/reports --data-binary @big.txt -H "Authorization: Bearer $MON"
expect_eq "oversized" "$CODE $(jq -r .error.code "$T/body")" "413 too_large"
# a body said to be too large is refused before it is read whole
head -c 16777216 /dev/zero > big16.bin
# (the server answers and closes while curl still sends, so the kernel
# may reset the connection before curl reads the answer: a few tries)
got=""
for _ in 1 2 3 4 5; do
    R=$(curl -s -o "$T/body" -w '%{http_code} %{size_upload}' -H 'Expect:' --data-binary @big16.bin \
        -H "Authorization: Bearer $MON" "${URL}api/reports")
    set -- $R
    [ "$2" -lt 16777216 ] || fail "the server read all of the 16 MiB body before answering ($2 bytes sent)"
    [ "$1" = 413 ] && { got=413; break; }
done
expect_eq "16 MiB body" "$got" 413
rm -f big16.bin
# a path that is not UTF-8 is a bad request, not a failure
CODE=$(curl -s -o "$T/body" -w '%{http_code}' --path-as-is "${URL}api/events/ab%FFcd")
expect_eq "path not UTF-8" "$CODE $(jq -r .error.code "$T/body")" "400 bad_request"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' "${URL}api/events?category=%FF")
expect_eq "argument not UTF-8" "$CODE $(jq -r .error.code "$T/body")" "400 bad_request"

# the review workflow
R=/api/events/field:1/review
http POST $R -d '{"state":"alleged","note":"x"}' -H "Authorization: Bearer $MON"
expect_eq "monitor may not review" "$CODE $(jq -r .error.code "$T/body")" "403 forbidden"
http POST $R -d '{"state":"assessed","note":"x"}' -H "Authorization: Bearer $ANA"
expect_eq "outcome needed" "$CODE" 400
http POST $R -d '{"state":"responded","note":"too early"}' -H "Authorization: Bearer $ANA"
expect_eq "out of order" "$CODE $(jq -r .error.code "$T/body")" "409 conflict"
http POST $R -d '{"state":"alleged","note":"barrel bomb on Bustan al-Qasr"}' -H "Authorization: Bearer $ANA"
expect_eq "alleged" "$CODE $(jq -r .review.state "$T/body")" "200 alleged"
http POST $R -d '{"state":"information_requested","note":"asked"}' -H "Authorization: Bearer $ANA"
expect_eq "guarantor needed" "$CODE" 400
http POST $R -d '{"state":"information_requested","note":"asked Russia","guarantor":"russia"}' -H "Authorization: Bearer $ANA"
expect_eq "requested" "$CODE $(jq -r .review.guarantor "$T/body")" "200 russia"
http POST $R -d '{"state":"responded","note":"denied"}' -H "Authorization: Bearer $ANA"
expect_eq "responded" "$CODE" 200
http POST $R -d '{"state":"assessed","note":"confirmed by two sources","outcome":"confirmed_violation"}' -H "Authorization: Bearer $ANA"
expect_eq "assessed" "$CODE $(jq -r .review.outcome "$T/body")" "200 confirmed_violation"
expect_eq "computed verdict kept beside it" "$(jq -r .verdict "$T/body")" "violation"
expect_eq "history" "$(jq '.history | length' "$T/body")" 5
http GET "/api/events?limit=10000"
expect_eq "review state on the map" "$(jq -r '.features[] | select(.id == "field:1") | .properties.review' "$T/body")" "assessed:confirmed_violation"
http POST /api/events/nope:1/review -d '{"state":"alleged","note":"x"}' -H "Authorization: Bearer $ANA"
expect_eq "review of nothing" "$CODE" 404
http GET "/api/audit?limit=2"
expect_eq "audit page" "$CODE $(jq '.entries | length' "$T/body")" "200 2"
c=$(jq -r .next_cursor "$T/body")
http GET "/api/audit?limit=10&cursor=$c"
expect_eq "audit rest" "$(jq '.entries | length' "$T/body")" 3
expect_eq "audit entry" "$(jq -c '.entries[-1] | [.user, .action, .before.state, .after.state]' "$T/body")" '["ali","review","responded","assessed"]'

# analytics over HTTP
http GET "/api/trend?agreement=syria-aleppo-2016-05&country=syria"; expect_eq "trend" "$CODE $(jq .window_days "$T/body")" "200 30"
http GET "/api/coverage?date=2016-05-05&country=syria"; expect_eq "coverage" "$CODE $(jq -r .classification "$T/body")" "200 nationwide"
http GET "/api/report?agreement=syria-coh-2016&date=2016-04-27&format=html"
expect_eq "report" "$CODE" 200; expect_in "$T/body" "<svg"
http GET "/api/trend";                               expect_eq "trend without agreement" "$CODE" 400

# routes and static files
http GET /api/nothing;           expect_eq "unknown route" "$CODE $(jq -r .error.code "$T/body")" "404 not_found"
http DELETE /api/events;         expect_eq "wrong method" "$CODE" 405
# 404 and 405 come from one route table; every route is in docs/api.md
for m in POST DELETE PUT; do
    http $m /api/health; expect_eq "$m /api/health" "$CODE $(jq -r .error.code "$T/body")" "405 method_not_allowed"
done
expect_in "$T/body" "(allowed: GET)"
http POST /api/events;           expect_eq "POST on the collection" "$CODE" 405
http PUT /api/events/field:1;    expect_eq "PUT on an event" "$CODE" 405
expect_in "$T/body" "allowed: GET, DELETE"
http GET /api/events/field:1/nothing; expect_eq "no such sub-resource" "$CODE" 404
truce serve --routes > routes.txt || fail "serve --routes"
[ "$(wc -l < routes.txt)" -ge 15 ] || fail "only $(wc -l < routes.txt) routes"
while IFS="$(printf '\t')" read -r route what; do
    grep -qF "$route" "$SRC/docs/api.md" || fail "docs/api.md does not name $route ($what)"
done < routes.txt
# an admin deletes a field report; the audit keeps it
ADM=$(truce users add root --role admin 2>/dev/null)
http POST /api/reports -d "$REPORT" -H "Authorization: Bearer $MON"
DEL=$(jq -r .id "$T/body")
http DELETE "/api/events/$DEL" -H "Authorization: Bearer $ANA";  expect_eq "delete by an analyst" "$CODE" 403
http DELETE "/api/events/$DEL";                                   expect_eq "delete without a token" "$CODE" 401
http DELETE "/api/events/$DEL" -H "Authorization: Bearer $ADM";  expect_eq "delete" "$CODE $(jq -r .deleted "$T/body")" "200 true"
http GET "/api/events/$DEL";                                      expect_eq "deleted" "$CODE" 404
http DELETE "/api/events/$DEL" -H "Authorization: Bearer $ADM";  expect_eq "delete twice" "$CODE" 404
http DELETE /api/events/example:al-dabeet-hospital-2016-05-03 -H "Authorization: Bearer $ADM"
expect_eq "an event from a file" "$CODE" 400
# a report cannot name itself (OWASP API3): id, source and source_id are the server's
http POST /api/reports -H "Authorization: Bearer $MON" -d "$(echo "$REPORT" | jq -c '. + {"id": "ucdp:1", "source": "ucdp", "source_id": "1"}')"
expect_eq "a report naming itself" "$CODE" 201
NAMED=$(jq -r .id "$T/body")
case $NAMED in field:*) ;; *) fail "the report took the id it named: $NAMED" ;; esac
http GET "/api/events/$NAMED"
expect_eq "its source" "$(jq -r '"\(.source) \(.source_id)"' "$T/body")" "field ${NAMED#field:}"
http GET /api/events/ucdp:1; expect_eq "no ucdp:1 was made" "$CODE" 404
http GET "/api/audit?limit=1000"
expect_eq "audit of the delete" "$(jq -r --arg id "$DEL" '.entries[] | select(.event == $id and .action == "delete") | "\(.user) \(.before.id)"' "$T/body")" "root $DEL"
http GET /;                      expect_eq "dashboard" "$CODE $(cat "$T/body")" "200 <html>dashboard</html>"
http GET /nope.js;               expect_eq "no file" "$CODE" 404
CODE=$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "${URL}../secret.txt"); expect_eq "dot-dot" "$CODE" 400
CODE=$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "${URL}%2e%2e/secret.txt"); case "$CODE" in 400|404) ;; *) fail "encoded dot-dot: $CODE";; esac
# a target without its leading '/' is not glued to the folder's name, and no
# symbolic link leads out of the folder
echo 'glued' > "$T/web_secret.txt"
echo 'linked-away' > "$T/away.txt"
ln -s "$T/away.txt" "$T/web/link.txt"
ln -s "$T" "$T/web/up"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' --request-target '_secret.txt' "$URL"); expect_eq "no leading slash" "$CODE" 400
grep -q glued "$T/body" && fail "served a file beside the folder"
http GET /link.txt;       expect_eq "symlink to a file outside" "$CODE" 404
http GET /up/away.txt;    expect_eq "symlinked folder outside" "$CODE" 404
grep -q linked-away "$T/body" && fail "served a file through a link"

# reads behind a token
kill $SERVER_PID; wait $SERVER_PID 2>/dev/null
serve --web "$T/web" --read-token-required
http GET /api/events;                                       expect_eq "closed reads" "$CODE" 401
http GET /api/events -H "Authorization: Bearer $MON";      expect_eq "reads with a token" "$CODE" 200

# every answer carries the security headers, files and API alike
for path in "" api/health api/nothing; do
    curl -s -D "$T/h" -o /dev/null "${URL}$path"
    for hd in "X-Content-Type-Options: nosniff" "X-Frame-Options: SAMEORIGIN" "Referrer-Policy: no-referrer" \
              "Content-Security-Policy: default-src 'self'; script-src 'self'"; do
        grep -qi "^$hd" "$T/h" || { cat "$T/h"; fail "/$path lacks '$hd'"; }
    done
done

# tokens: one canonical form; revoked and rotated at once, while serving
ID=$(echo "$MON" | cut -d_ -f2); SECRET=$(echo "$MON" | cut -d_ -f3)
UPPER=$(echo "$SECRET" | tr a-f A-F)
for bad in "truce_+${ID}_$SECRET" "truce_0${ID}_$SECRET" "truce_ ${ID}_$SECRET" "truce_${ID}_$UPPER" \
           "truce_${ID}_${SECRET}0" "truce_${ID}_$(echo "$SECRET" | cut -c2-)" "truce_99999999999999999999_$SECRET"; do
    CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $bad" "${URL}api/me")
    expect_eq "spelling $bad" "$CODE" 401
done
http GET /api/me -H "Authorization: Bearer $MON"; expect_eq "canonical token" "$CODE" 200
truce users list --format json > users.json
expect_eq "users" "$(jq -c '[.users[] | [.name, .role, .active]]' users.json)" '[["mona","monitor",true],["ali","analyst",true],["root","admin",true]]'
jq -e '[.. | strings | select(test("^[0-9a-f]{64}$"))] | length == 0' users.json > /dev/null || fail "users list shows a hash"
expect_rc 0 truce users revoke mona
http GET /api/me -H "Authorization: Bearer $MON"; expect_eq "revoked" "$CODE" 401
expect_eq "listed as revoked" "$(truce users list --format json | jq -r '.users[] | select(.name == "mona") | .active')" false
expect_rc 0 truce users list
expect_in "$T/out" "(revoked)"
NEW=$(truce users rotate mona 2>/dev/null)
case "$NEW" in truce_${ID}_*) ;; *) fail "rotated token: $NEW";; esac
http GET /api/me -H "Authorization: Bearer $NEW"; expect_eq "rotated" "$CODE $(jq -r .user "$T/body")" "200 mona"
http GET /api/me -H "Authorization: Bearer $MON"; expect_eq "old token after rotate" "$CODE" 401
expect_rc 2 truce users revoke nobody
expect_in "$T/err" "no user 'nobody'"
MON=$NEW

# the Host must be one the server answers for (DNS rebinding); an access
# log of JSON lines without secrets; wrong tokens are slowed per address
kill $SERVER_PID; wait $SERVER_PID 2>/dev/null
serve --web "$T/web" --allow-host truce.example --log "$T/access.log"
PORT=$(echo "$URL" | sed 's#.*:\([0-9]*\)/$#\1#')
for h in "localhost:$PORT" "127.0.0.1:$PORT" "truce.example:$PORT" "truce.example"; do
    CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $h" "${URL}api/health")
    expect_eq "host $h" "$CODE" 200
done
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Host: evil.example:$PORT" "${URL}api/health")
expect_eq "foreign host" "$CODE $(jq -r .error.code "$T/body")" "403 forbidden"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: evil.example" "$URL")
expect_eq "foreign host, the page" "$CODE" 403
for i in $(seq 1 10); do
    curl -s -o /dev/null -H "Authorization: Bearer truce_1_$(printf '%064d' "$i")" "${URL}api/me"
done
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $ANA" "${URL}api/me")
expect_eq "after 10 wrong tokens, even a good one waits" "$CODE $(jq -r .error.code "$T/body")" "429 too_many_requests"
CODE=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.2 -H "Authorization: Bearer $ANA" "${URL}api/me")
expect_eq "another address is not slowed" "$CODE" 200
CODE=$(curl -s -o /dev/null -w '%{http_code}' "${URL}api/health")
expect_eq "reads without a token are not slowed" "$CODE" 200
expect_eq "log lines" "$(jq -c 'select(.path == "/api/me" and .auth == "failed") | .status' "$T/access.log" | sort | uniq -c | tr -s ' ' | sed 's/^ //' | tr '\n' ' ')" "10 401 1 429 "
expect_eq "the user of a good token" "$(jq -r 'select(.path == "/api/me" and .status == 200) | "\(.client) \(.user)"' "$T/access.log")" "127.0.0.2 ali"
expect_eq "a foreign host logged" "$(jq -r 'select(.status == 403) | .path' "$T/access.log" | sort -u | tr '\n' ' ')" "/ /api/health "
grep -q "$(echo "$ANA" | cut -d_ -f3)" "$T/access.log" && fail "the access log holds a token"
jq -e 'has("time") and has("ms") and has("bytes") and has("method")' "$T/access.log" > /dev/null || fail "log fields"

# without the dashboard's files, / says how to build them (HTML, not JSON)
kill $SERVER_PID; wait $SERVER_PID 2>/dev/null
mkdir "$T/empty-web"
serve --web "$T/empty-web"
CODE=$(curl -s -o "$T/body" -w '%{http_code} %{content_type}' "$URL")
expect_eq "no dashboard" "$CODE" "404 text/html; charset=utf-8"
expect_in "$T/body" "The dashboard is not built"
expect_in "$T/body" "<code>make</code>"
expect_in "$T/body" "$T/empty-web"
http GET /nope.js; expect_eq "other files still JSON 404" "$CODE $(jq -r .error.code "$T/body")" "404 not_found"
http GET /api/health; expect_eq "the API without a dashboard" "$CODE" 200
