#!/bin/sh
# check-news-labels.sh - consistency check of the news evaluation set
# (tests/data/news, see its README.md).  POSIX sh + jq.
#
# Checks, for every cases/*.json:
#   - it parses, and its text exists (cases/NNN-slug.txt, or "text_file"
#     relative to the repository top; a text_file outside the repository,
#     such as ../shared/..., is skipped with a note when absent);
#   - every "evidence", "evidence_more" and "not_extracted" string is a
#     verbatim substring of the text;
#   - field values are in the documented vocabularies; dates are real
#     calendar dates; times are HH:MM; date_start <= date_end <= published;
#   - every incident place and agreement area is a gazetteer.csv name, and
#     an incident's lat/lon equal that entry's coordinates;
#   - fatalities_low <= fatalities <= fatalities_high where given.
# A negative is a case that yields no incident (or no agreement) and lists,
# in not_extracted, words of that kind that must not become one.
# Prints one line per problem and a summary; exits 1 when a problem was found.

set -u

top=$(cd "$(dirname "$0")/.." && pwd)
dir="$top/tests/data/news"
cases="$dir/cases"
gaz="$dir/gazetteer.csv"

command -v jq >/dev/null 2>&1 || { echo "check-news-labels: jq not found" >&2; exit 2; }
[ -f "$gaz" ] || { echo "check-news-labels: no $gaz" >&2; exit 2; }

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# gazetteer.csv -> {"name": [lat, lon], ...}; a small CSV reader for
# double-quoted fields (the alternatenames field holds commas).
awk '
function field(line,   i, c, q, out, n) {
	n = 0; out = ""; q = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (q) {
			if (c == "\"") {
				if (substr(line, i + 1, 1) == "\"") { out = out c; i++ }
				else q = 0
			} else out = out c
		} else if (c == "\"") q = 1
		else if (c == ",") { F[++n] = out; out = "" }
		else out = out c
	}
	F[++n] = out
	return n
}
NR == 1 {
	n = field($0)
	for (i = 1; i <= n; i++) col[F[i]] = i
	if (!("name" in col) || !("latitude" in col) || !("longitude" in col)) {
		print "gazetteer.csv: header lacks name, latitude or longitude" > "/dev/stderr"
		exit 2
	}
	next
}
NF {
	n = field($0)
	if (n != 10) printf "gazetteer.csv:%d: %d fields, expected 10\n", NR, n > "/dev/stderr"
	printf "%s\t%s\t%s\n", F[col["name"]], F[col["latitude"]], F[col["longitude"]]
}' "$gaz" >"$tmp/gaz.tsv" || exit 2

jq -R -s '
	split("\n") | map(select(length > 0) | split("\t"))
	| reduce .[] as $r ({}; .[$r[0]] = [($r[1] | tonumber), ($r[2] | tonumber)])
' "$tmp/gaz.tsv" >"$tmp/gaz.json" || { echo "check-news-labels: cannot read gazetteer.csv" >&2; exit 2; }

dup=$(cut -f1 "$tmp/gaz.tsv" | sort | uniq -d)
[ -z "$dup" ] || echo "gazetteer.csv: duplicate names: $dup"

errors=0
[ -z "$dup" ] || errors=$((errors + 1))
ncase=0; ninc=0; nagr=0; nneg=0; skipped=0

for j in "$cases"/*.json; do
	[ -e "$j" ] || { echo "no cases in $cases"; exit 1; }
	base=${j%.json}
	name=$(basename "$base")
	ncase=$((ncase + 1))
	if ! jq -e 'type == "object"' "$j" >/dev/null 2>&1; then
		echo "$name.json: does not parse as a JSON object"
		errors=$((errors + 1)); continue
	fi
	tf=$(jq -r '.text_file // empty' "$j")
	if [ -n "$tf" ]; then
		[ ! -e "$base.txt" ] || { echo "$name: has both text_file and $name.txt"; errors=$((errors + 1)); }
		text="$top/$tf"
		if [ ! -f "$text" ]; then
			echo "note: $name: $tf absent, evidence not checked"
			skipped=$((skipped + 1))
			text=/dev/null
		fi
	else
		text="$base.txt"
		[ -f "$text" ] || { echo "$name: no $name.txt and no text_file"; errors=$((errors + 1)); continue; }
	fi
	out=$(jq -r --rawfile text "$text" --slurpfile gaz "$tmp/gaz.json" --arg notext "$([ "$text" = /dev/null ] && echo 1)" '
		def isdate: type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
			and ((. + "T00:00:00Z" | fromdateiso8601 | todate[0:10]) == .);
		def istime: type == "string" and test("^([01][0-9]|2[0-3]):[0-5][0-9]$");
		def islocal: type == "string" and (
			isdate or (test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")
			           and (.[0:10] | isdate) and (.[11:] | istime)));
		def num_or_null: . == null or (type == "number" and . >= 0 and floor == .);
		def has_text($s): $notext == "1" or ($text | index($s)) != null;
		$gaz[0] as $g | . as $c |
		( ["published", "timezone", "tests", "incidents", "agreements"][]
		  | . as $key | select(($c | has($key)) | not) | "missing key \($key)" ),
		( if (.published | isdate) then empty else "published is not a date" end ),
		( if (.timezone | IN("Asia/Damascus", "Asia/Aden", "Europe/Kiev")) then empty else "timezone \(.timezone)" end ),
		( if (.incidents | type) == "array" and (.agreements | type) == "array" then empty
		  else "incidents and agreements must be arrays" end ),
		( (.not_extracted // [])[] | if (has("evidence") and has("why") and (.kind | IN("incident", "agreement"))) then
		    (if has_text(.evidence) then empty else "not_extracted evidence not in text: \(.evidence)" end)
		  else "not_extracted entry needs evidence, why and kind (incident|agreement)" end ),
		( (.incidents // []) | to_entries[] | .key as $k | .value as $i | "incident \($k + 1): " as $p |
		  ( ["category", "subcategory", "place", "lat", "lon", "place_kind", "date_start", "date_end",
		     "time", "directed", "perpetrator_kind", "perpetrator", "actor1", "actor2", "fatalities",
		     "fatalities_low", "fatalities_high", "protected_site", "hedged", "attribution", "evidence"][]
		    | . as $key | select(($i | has($key)) | not) | $p + "missing key \($key)" ),
		  ( if ($i.category | IN("battle", "remote_violence", "violence_against_civilians", "protest",
		        "riot", "strategic_development", "armed_violence")) then empty
		    else $p + "category \($i.category)" end ),
		  ( if ($i.place_kind | IN("town", "district", "governorate", "country", "relative")) then empty
		    else $p + "place_kind \($i.place_kind)" end ),
		  ( if ($i.perpetrator_kind | IN("state", "rebel", "extremist", "militia", "external",
		        "civilians", "unknown")) then empty
		    else $p + "perpetrator_kind \($i.perpetrator_kind)" end ),
		  ( if ($g | has($i.place // "")) then
		      (if [$i.lat, $i.lon] == $g[$i.place] then empty
		       else $p + "\($i.place) at \($i.lat),\($i.lon) but gazetteer.csv has \($g[$i.place] | map(tostring) | join(","))" end)
		    else $p + "place \($i.place) not in gazetteer.csv" end ),
		  ( if ($i.date_start | isdate) and ($i.date_end | isdate) then
		      (if $i.date_start > $i.date_end then $p + "date_start after date_end"
		       elif $i.date_end > $c.published then $p + "date_end \($i.date_end) after published \($c.published)"
		       else empty end)
		    else $p + "date_start/date_end not dates" end ),
		  ( if $i.time == null or ($i.time | istime) then empty else $p + "time \($i.time)" end ),
		  ( if ([$i.fatalities, $i.fatalities_low, $i.fatalities_high] | all(num_or_null)) then
		      ( if $i.fatalities != null and $i.fatalities_low != null and $i.fatalities_low > $i.fatalities
		          then $p + "fatalities_low > fatalities" else empty end,
		        if $i.fatalities != null and $i.fatalities_high != null and $i.fatalities_high < $i.fatalities
		          then $p + "fatalities_high < fatalities" else empty end )
		    else $p + "fatalities must be null or whole numbers" end ),
		  ( if ([$i.directed, $i.protected_site, $i.hedged] | all(type == "boolean")) then empty
		    else $p + "directed, protected_site and hedged must be booleans" end ),
		  ( if ($i.evidence | type) == "string" and has_text($i.evidence) then empty
		    else $p + "evidence not in text: \($i.evidence)" end ),
		  ( ($i.evidence_more // [])[] | select(has_text(.) | not) | $p + "evidence_more not in text: \(.)" ) ),
		( (.agreements // []) | to_entries[] | .key as $k | .value as $a | "agreement \($k + 1): " as $p |
		  ( ["action", "brokers", "area", "area_kind", "nationwide", "effective", "timezone", "until",
		     "duration_hours", "excluded", "guarantors", "evidence"][]
		    | . as $key | select(($a | has($key)) | not) | $p + "missing key \($key)" ),
		  ( if ($a.action | IN("announced", "in_effect", "extended", "violated", "collapsed")) then empty
		    else $p + "action \($a.action)" end ),
		  ( if $a.area == null or ($g | has($a.area)) then empty else $p + "area \($a.area) not in gazetteer.csv" end ),
		  ( if ($a.area == null) == ($a.area_kind == null) then empty else $p + "area and area_kind must be set together" end ),
		  ( if $a.area_kind == null or ($a.area_kind | IN("town", "district", "governorate", "country", "relative"))
		    then empty else $p + "area_kind \($a.area_kind)" end ),
		  ( if $a.nationwide == null or ($a.nationwide | type) == "boolean" then empty else $p + "nationwide" end ),
		  ( if $a.effective == null or ($a.effective | islocal) then empty else $p + "effective \($a.effective)" end ),
		  ( if $a.until == null or ($a.until | islocal) then empty else $p + "until \($a.until)" end ),
		  ( if $a.timezone == $c.timezone then empty else $p + "timezone differs from the article" end ),
		  ( if $a.duration_hours == null or (($a.duration_hours | type) == "number" and $a.duration_hours > 0)
		    then empty else $p + "duration_hours" end ),
		  ( if ([$a.brokers, $a.excluded] | all(type == "array")) and ($a.guarantors | type) == "array"
		       and ($a.guarantors | all(has("side") and has("guarantor"))) then empty
		    else $p + "brokers, excluded, guarantors malformed" end ),
		  ( if ($a.evidence | type) == "string" and has_text($a.evidence) then empty
		    else $p + "evidence not in text: \($a.evidence)" end ),
		  ( ($a.evidence_more // [])[] | select(has_text(.) | not) | $p + "evidence_more not in text: \(.)" ) )
	' "$j" 2>&1)
	if [ -n "$out" ]; then
		printf '%s\n' "$out" | sed "s|^|$name: |"
		errors=$((errors + $(printf '%s\n' "$out" | wc -l)))
	fi
	ni=$(jq '.incidents | length' "$j"); na=$(jq '.agreements | length' "$j")
	ninc=$((ninc + ni)); nagr=$((nagr + na))
	# a negative: a kind the case yields none of, with words that look like one
	nneg=$((nneg + $(jq '. as $c | [(.not_extracted // [])[].kind] | unique
		| map(select(($c[. + "s"] | length) == 0)) | if length > 0 then 1 else 0 end' "$j")))
done

for t in "$cases"/*.txt; do
	[ -e "$t" ] || continue
	[ -f "${t%.txt}.json" ] || { echo "$(basename "$t"): no labels"; errors=$((errors + 1)); }
done

note=""; [ "$skipped" -eq 0 ] || note=" ($skipped texts absent)"
echo "$ncase cases, $ninc incidents, $nagr agreements, $nneg negatives; $errors problems$note"
[ "$errors" -eq 0 ]
