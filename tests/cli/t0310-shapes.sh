#!/bin/sh
# Every export shape as analysts have it loads by sniffing, with its dates
# right (tests/data/shapes/, hand-written in the shapes of real files):
# ACLED's 2020 API CSV (9-May-20), a 2016 realtime export (old event types,
# ally actors, an unnamed index column), a file re-saved by Excel
# (dd/mm/yyyy hh:mm:ss), ACLED's API JSON (envelope, array, JSON Lines),
# UCDP through Excel (m/d/yyyy h:mm:ss AM in Windows-1252; dd/mm/yyyy hh:mm),
# GDELT 2.0 saved as comma CSV with a header. A file whose dates could be
# read either way is refused, naming --date-order.
. "$(dirname "$0")/lib.sh"
S=$DATA/shapes
truce init > /dev/null
day() { truce explain "$1" --format json | jq -r '"\(.date_start) \(.date_end)"'; }

# stored: read, stored, rejected of each file; at least 95% stored
load() { # load FILE [ARGS...] -> sets STORED
    f=$1; shift
    truce ingest --format json "$@" "$f" > "$T/out" 2> "$T/err" || { cat "$T/out" "$T/err"; fail "ingest $f"; }
    set -- $(jq -r '"\(.read) \(.inserted + .updated + .unchanged) \(.rejected)"' "$T/out")
    [ "$1" -gt 0 ] && [ $(( $2 * 100 )) -ge $(( $1 * 95 )) ] || fail "$f: $2 of $1 stored"
    STORED=$2
}
load "$S/acled-api-2020.csv";      expect_eq "API 2020 rows" "$STORED" 5
expect_eq "9-May-20" "$(day acled:YEM50001)" "2020-05-09 2020-05-09"
expect_eq "29-Feb-20" "$(day acled:YEM50005)" "2020-02-29 2020-02-29"
expect_eq "31-Dec-19, a week" "$(day acled:YEM50003)" "2019-12-28 2020-01-03"
expect_eq "1-Jan-20, a month" "$(day acled:YEM50004)" "2020-01-01 2020-01-31"

load "$S/acled-2016-realtime.csv"; expect_eq "realtime rows" "$STORED" 10
ev() { truce explain "$1" --format json | jq -r "$2"; }
expect_eq "old battle" "$(ev acled:SYR8000 '"\(.category) \(.subcategory)"')" "battle Battle-No change of territory"
expect_eq "old remote violence" "$(ev acled:SYR8003 '"\(.category) \(.directed)"')" "remote_violence true"
expect_eq "riots/protests" "$(ev acled:SYR8004 .category)" "protest"
expect_eq "old VAC" "$(ev acled:SYR8005 '"\(.category) \(.directed)"')" "violence_against_civilians true"
expect_eq "base established" "$(ev acled:SYR8007 .category)" "strategic_development"
expect_eq "transfer of territory" "$(ev acled:SYR8008 .category)" "strategic_development"
expect_eq "ally actor" "$(ev acled:SYR8000 .actor1)" "Military Forces of Syria (2000-); Hezbollah"

load "$S/acled-excel-dmy.csv";     expect_eq "Excel rows" "$STORED" 8
# 05/06/2016 read as 5 June: 20/03/2016 further down decides the order
expect_eq "dd/mm from the file" "$(day acled:XLS9001)" "2016-06-05 2016-06-05"
expect_eq "dd/mm unambiguous" "$(day acled:XLS9003)" "2016-03-20 2016-03-20"

for f in acled-api.json acled-api-array.json acled-api.jsonl; do
    load "$S/$f"; expect_eq "$f rows" "$STORED" 4
done
expect_eq "API JSON" "$(ev acled:API1 '"\(.date_start) \(.category) \(.fatalities)"')" "2016-05-06 remote_violence 2"
expect_eq "API array" "$(ev acled:ARR2 .location)" "Idleb"
expect_eq "API JSON Lines" "$(ev acled:JL3 .category)" "$(ev acled:API3 .category)"

load "$S/ucdp-excel-us.csv";       expect_eq "UCDP US rows" "$STORED" 5
expect_in "$T/err" "warning: 4 records were not UTF-8, read as Windows-1252"
expect_eq "m/d/yyyy AM" "$(day ucdp:9800099)" "2016-08-29 2016-08-29"
expect_eq "cp1252 text" "$(ev ucdp:9800000 .location)" "Aleppo city – café ’s"
load "$S/ucdp-excel-eu.csv";       expect_eq "UCDP EU rows" "$STORED" 5
expect_eq "dd/mm/yyyy hh:mm" "$(day ucdp:9700099)" "2016-08-29 2016-08-29"
expect_eq "same days either way" "$(day ucdp:9700000)" "$(day ucdp:9800000)"

load "$S/gdelt-header.csv";        expect_eq "GDELT rows" "$STORED" 3
expect_eq "GDELT comma CSV" "$(ev gdelt:700000001 '"\(.date_start) \(.category) \(.location)"')" \
    "2016-05-06 remote_violence Aleppo, Halab, Syria"
expect_eq "GDELT same as tab file" "$(ev gdelt:700000001 '[.lat, .lon, .actor1, .actor2] | tostring')" \
    "$(truce ingest "$DATA/gdelt_sample.tsv" > /dev/null 2>&1; ev gdelt:600000001 '[.lat, .lon, .actor1, .actor2] | tostring')"

# dates that could be either: refused whole, naming --date-order; then named
expect_rc 2 truce ingest --format json "$S/acled-ambiguous.csv"
expect_in "$T/err" "--date-order dmy or --date-order mdy"
expect_eq "nothing stored" "$(jq '.inserted + .updated + .unchanged' "$T/out")" 0
expect_rc 0 truce ingest --date-order dmy "$S/acled-ambiguous.csv"
expect_eq "named dmy" "$(day acled:AMB9001)" "2016-06-05 2016-06-05"
expect_rc 0 truce ingest --date-order mdy "$S/acled-ambiguous.csv"
expect_eq "named mdy" "$(day acled:AMB9001)" "2016-05-06 2016-05-06"
expect_rc 1 truce ingest --date-order ymd "$S/acled-ambiguous.csv"
# the stream reads the same
truce assess --stream "$S/acled-ambiguous.csv" --date-order dmy > s.jsonl || fail "stream with --date-order"
expect_eq "stream dmy" "$(jq -r 'select(.id == "acled:AMB9001") | .date_start' s.jsonl)" "2016-06-05"
# a refused date says which forms are read
echo "$(head -1 "$S/acled-api-2020.csv")" > baddate.csv
sed -n 2p "$S/acled-api-2020.csv" | sed 's/9-May-20/May the 9th/' >> baddate.csv
sed -n 3p "$S/acled-api-2020.csv" >> baddate.csv
truce ingest --format json baddate.csv > bd.json
case "$(jq -r '.errors[0].reason' bd.json)" in *"9-May-20"*"14/08/2020"*"Excel"*) ;; *) fail "date forms: $(jq -r '.errors[0].reason' bd.json)";; esac
