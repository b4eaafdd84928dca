#!/bin/sh
# trend and coverage on hand-made events around the worked agreements.
. "$(dirname "$0")/lib.sh"
FIRST=$TRUCE_DB
worked_store
ev() { # ID DATE LAT LON CATEGORY ACTOR1 ACTOR2 [DATE_END]
    printf '{"id":"t:%s","date_start":"%s","date_end":"%s","lat":%s,"lon":%s,"category":"%s","actor1":"%s","actor2":"%s","fatalities":2}\n' \
        "$1" "$2" "${8:-$2}" "$3" "$4" "$5" "$6" "$7"
}
AL="36.2012 37.1612"; DA="33.5102 36.2913"
{
    # the span of the data: two months either side of 27 February
    ev edge1 2016-01-01 $AL protest "Protesters (Syria)" ""
    ev edge2 2016-06-30 $AL protest "Protesters (Syria)" ""
    # before the cessation: six government-opposition battles in Aleppo...
    for d in 01 02 03 04 05 06; do ev b$d 2016-02-$d $AL battle SAA FSA; done
    # ...a battle with IS (violent, but no potential violation)...
    ev bis 2016-02-10 $AL battle SAA ISIS
    # ...and a three-day event, which no daily count takes
    ev blong 2016-02-10 $AL battle SAA FSA 2016-02-12
    # after: two
    ev a1 2016-03-01 $AL battle SAA FSA
    ev a2 2016-03-02 $AL battle SAA FSA
    # Damascus, outside the Aleppo zones: before and after 4 May
    for d in 10 11 12; do ev d$d 2016-04-$d $DA battle SAA FSA; done
    for d in 10 11 12; do ev e$d 2016-05-$d $DA battle SAA FSA; done
} > events.jsonl
truce ingest events.jsonl > /dev/null || fail "ingest"
truce assess > /dev/null || fail "assess"

truce trend --agreement syria-coh-2016 --format json > t.json || fail "trend"
expect_eq "window" "$(jq .window_days t.json)" 30
expect_eq "start" "$(jq -r .start t.json)" "2016-02-26T22:00:00Z"
expect_eq "before count" "$(jq .before.count t.json)" 6
expect_eq "after count" "$(jq .after.count t.json)" 2
expect_eq "before all violent" "$(jq .before.all_violent t.json)" 7
expect_eq "before fatalities" "$(jq .before.fatalities t.json)" 14
expect_eq "rate per day" "$(jq '.before.rate_per_day * 30 | round' t.json)" 6
expect_eq "estimate" "$(jq '.rate_ratio.estimate * 1000 | round' t.json)" 333
jq -e '.rate_ratio.ci_low < .rate_ratio.estimate and .rate_ratio.estimate < .rate_ratio.ci_high' t.json > /dev/null || fail "interval"
expect_eq "no control" "$(jq -c '[.control, .ratio_of_ratios]' t.json)" "[null,null]"
# 60 days of 86,400 s from 27 Feb 00:00 end at 28 Mar 01:00 local: Damascus
# moved its clocks forward on 25 March, so the series has 61 local days
expect_eq "daily days" "$(jq '.daily | length' t.json)" 61
expect_eq "daily sum" "$(jq '[.daily[].potential_violations] | add' t.json)" 8
expect_eq "daily first" "$(jq -r '.daily[0].date' t.json)" "2016-01-28"
expect_eq "daily on 1 March" "$(jq '.daily[] | select(.date == "2016-03-01") | .potential_violations' t.json)" 1

# the Aleppo extension, with Syria as the country: Damascus is the control
truce trend --agreement syria-aleppo-2016-05 --country "$DATA/worked/syria-rough.geojson" --format json > a.json || fail "trend aleppo"
expect_eq "control before" "$(jq .control.before.count a.json)" 3
expect_eq "control after" "$(jq .control.after.count a.json)" 3
expect_eq "control ratio" "$(jq .control.rate_ratio.estimate a.json)" 1
# windows past the end of the data are shortened, and the output says so
truce trend --agreement syria-coh-2016 --window 90 --format json > s.json || fail "trend 90"
expect_eq "shortened" "$(jq .window_days s.json)" 57
case "$(jq -r .note s.json)" in *"shortened from 90 to 57 days"*) ;; *) fail "note: $(jq -r .note s.json)";; esac
# text form and errors
expect_rc 0 truce trend --agreement syria-coh-2016
expect_in "$T/out" "rate ratio after/before"
expect_rc 2 truce trend --agreement nope
expect_rc 2 truce trend --agreement syria-coh-2016 --zone Atlantis
expect_rc 1 truce trend --agreement syria-coh-2016 --window 0
expect_rc 0 truce trend --agreement syria-aleppo-2016-05 --zone "Aleppo city"

# the report: 7 days to 2 March under the cessation
truce report --agreement syria-coh-2016 --date 2016-03-02 --days 7 --format json > r.json || fail "report"
expect_eq "report period" "$(jq -r '"\(.period.from) \(.period.to) \(.previous.from) \(.previous.to)"' r.json)" \
    "2016-02-25 2016-03-02 2016-02-18 2016-02-24"
expect_eq "violations" "$(jq .violations.total r.json)" 2
expect_eq "previous: before the cessation" "$(jq .violations.previous r.json)" 0
expect_eq "by zone" "$(jq -c '[.violations.by_zone[] | [.zone, .count]]' r.json)" '[["Syria",2]]'
expect_eq "by side: both bound" "$(jq -c '[.violations.by_side[] | [.side, .count]]' r.json)" '[["mutual: government and opposition",2]]'
expect_eq "previous period before the start" "$(jq -r .previous.before_start r.json)" all
expect_eq "by guarantor" "$(jq -c '[.violations.by_guarantor[] | .guarantor] | sort' r.json)" '["russia","united-states"]'
expect_eq "scorecard days" "$(jq '.scorecard | length' r.json)" 7
expect_eq "scorecard 1 March" "$(jq -c '.scorecard[] | select(.date == "2016-03-01") | .counts' r.json)" '{"mutual":1}'
expect_eq "notable" "$(jq '.notable | length' r.json)" 2
case "$(jq -r '.notable[0].explanation' r.json)" in *"Verdict: violation"*) ;; *) fail "notable explanation";; esac
expect_eq "trend inside" "$(jq .trend.after.count r.json)" 2
truce report --agreement syria-coh-2016 --date 2016-03-02 --days 7 > r.md || fail "md"
expect_in r.md "# Monitoring report: Cessation of hostilities in Syria"
expect_in r.md "## Guarantor scorecard"
expect_in r.md "Rate ratio after/before 0.33"
expect_in r.md "previous period 2016-02-18 to 2016-02-24 (before the agreement took effect: no violations then to compare, only potential ones)"
truce report --agreement syria-coh-2016 --date 2016-03-02 --days 4 --format json > r4.json
expect_eq "previous period partly before" "$(jq -r '"\(.previous.from) \(.previous.before_start)"' r4.json)" "2016-02-24 part"
truce report --agreement syria-coh-2016 --date 2016-03-10 --days 5 --format json > r5.json
expect_eq "previous period after the start" "$(jq -r .previous.before_start r5.json)" none
expect_rc 0 truce report --agreement syria-coh-2016 --date 2016-03-02 --days 7 --format html --output r.html
expect_in r.html "<svg"
expect_in r.html "in force from 02-27 00:00"
if grep -qE '(src|href)="?(https?:)?//' r.html; then fail "the HTML report refers to outside assets"; fi
expect_rc 1 truce report --agreement syria-coh-2016 --date 2016-03-02 --format pdf
expect_rc 2 truce report --agreement nope --date 2016-03-02
expect_rc 1 truce report --agreement syria-coh-2016

# coverage: the cessation covers the country
truce boundaries load "$DATA/worked/syria-rough.geojson" --name syria --id-property code > /dev/null || fail "boundaries"
truce coverage --date 2016-05-05 --country syria --format json > c.json || fail "coverage"
expect_eq "classification" "$(jq -r .classification c.json)" "nationwide"
expect_eq "agreements in force" "$(jq -r '[.agreements[].id] | join(",")' c.json)" "syria-aleppo-2016-05,syria-coh-2016"
jq -e '.share > 0.999 and .share <= 1.000001' c.json > /dev/null || fail "share $(jq .share c.json)"
expect_eq "event share" "$(jq .event_share c.json)" 1
expect_eq "events in 30 days" "$(jq .events_total c.json)" 3
expect_eq "before the cessation" "$(truce coverage --date 2016-02-01 --country syria --format json | jq -r .classification)" "none"
# only local truces: a patchwork, or partial when one is in force
box() { printf '{"type":"Polygon","coordinates":[[[%s,%s],[%s,%s],[%s,%s],[%s,%s],[%s,%s]]]}' $1 $2 $3 $2 $3 $4 $1 $4 $1 $2; }
cat > local.json <<X
[{"id":"local-aleppo","kind":"local","timezone":"Asia/Damascus","in_force":[{"from":"2016-05-04T00:01"}],
  "zones":[{"name":"Aleppo","geometry":$(box 37.05 36.13 37.25 36.28)}]},
 {"id":"local-damascus","kind":"local","timezone":"Asia/Damascus","in_force":[{"from":"2016-05-01","until":"2016-05-08"}],
  "zones":[{"name":"Damascus","geometry":$(box 36.2 33.4 36.4 33.6)}]}]
X
export TRUCE_DB="$(new_store local)"
truce init > /dev/null
truce agreements load local.json > /dev/null || fail "local agreements"
truce boundaries load "$DATA/worked/syria-rough.geojson" --name syria > /dev/null
expect_eq "patchwork" "$(truce coverage --date 2016-05-05 --country syria --format json | jq -r .classification)" "patchwork"
expect_eq "partial" "$(truce coverage --date 2016-05-10 --country syria --format json | jq -r .classification)" "partial"
truce coverage --from 2016-04-30 --to 2016-05-10 --country syria --format json > series.json || fail "series"
expect_eq "series" "$(jq -r '[.series[].classification] | unique | join(",")' series.json)" "none,partial,patchwork"
expect_eq "series length" "$(jq '.series | length' series.json)" 11
s=$(truce coverage --date 2016-05-05 --country syria --format json | jq '.share * 1e6 | round')
[ "$s" -gt 0 ] && [ "$s" -lt 10000 ] || fail "local share $s ppm"
expect_rc 2 truce coverage --date 2016-05-05 --country nowhere
expect_in "$T/err" "no boundaries named 'nowhere'"
expect_rc 1 truce coverage --country syria

# text from a field report or a file is text in the Markdown report, not markup
export TRUCE_DB="$FIRST"
printf '%s\n' '{"id":"t:xss","date_start":"2016-03-01","lat":36.2012,"lon":37.1612,"category":"battle","actor1":"SAA","actor2":"FSA","fatalities":3,"location":"<img src=x onerror=alert(1)> | cell"}' > xss.jsonl
truce ingest xss.jsonl > /dev/null 2>&1 && truce assess > /dev/null || fail "xss event"
truce report --agreement syria-coh-2016 --date 2016-03-02 --days 7 > x.md || fail "md"
expect_in x.md "&lt;img src=x onerror=alert(1)&gt; \| cell"
grep -q '<img' x.md && fail "raw HTML in the Markdown report"
truce report --agreement syria-coh-2016 --date 2016-03-02 --days 7 --format html > x.html
grep -q '<img src=x' x.html && fail "raw HTML in the HTML report"
exit 0
