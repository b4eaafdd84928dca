#!/bin/sh
# A damaged store gives a clean error, never a crash: values no truce
# writes put into the columns by hand, and bytes flipped at random in the
# store's pages, then every reading command (and assess, ingest) run on it.
# Each must exit 0 or 2 with nothing from a sanitizer; a failure prints the
# seed that reproduces it. TRUCE_CORRUPT_RUNS sets the number of random
# stores (default 20; the campaign of docs/security.md uses 240),
# TRUCE_CORRUPT_SEED the first seed.
. "$(dirname "$0")/lib.sh"
is_pg && skip "the damaged store is a SQLite file with bytes flipped: SQLite only"
RUNS=${TRUCE_CORRUPT_RUNS:-20}
SEED0=${TRUCE_CORRUPT_SEED:-1}
truce init > /dev/null
truce actors load "$SRC/examples/actors.json" > /dev/null
truce agreements load "$SRC/examples/agreements-syria-2016.json" > /dev/null
truce boundaries load "$SRC/examples/zones/syria.geojson" --name syria > /dev/null
truce ingest "$SRC/examples/events/spring-2016.jsonl" > /dev/null 2>&1
truce assess > /dev/null || fail "assess"
cp "$TRUCE_DB" pristine.db
[ ! -f "$TRUCE_DB-wal" ] || [ ! -s "$TRUCE_DB-wal" ] || fail "the store kept a WAL"
ID=example:al-dabeet-hospital-2016-05-03
head -3 "$SRC/examples/events/aleppo-apr-jun-2016.jsonl" > few.jsonl

# every_command DB LABEL: runs each command on DB; fails on a crash.
every_command() {
    for cmd in "summary" "summary --format json" "events --format csv" \
               "events --format geojson --bbox 35,32,43,38" "explain $ID" \
               "agreements list" "trend --agreement syria-aleppo-2016-05" \
               "report --agreement syria-aleppo-2016-05 --date 2016-05-05 --format json" \
               "coverage --date 2016-05-05 --country syria" \
               "assess --all" "ingest few.jsonl"; do
        # shellcheck disable=SC2086  # the command's words
        "$TRUCE_BIN" --db "$1" $cmd > run.out 2> run.err
        rc=$?
        case $rc in
        0|2) ;;
        *) cat run.err; fail "$2: 'truce $cmd' exited $rc" ;;
        esac
        if grep -q -E 'AddressSanitizer|runtime error|LeakSanitizer' run.err; then
            cat run.err; fail "$2: 'truce $cmd': a sanitizer report"
        fi
        if [ $rc = 2 ] && ! grep -q '^truce: ' run.err; then
            cat run.err; fail "$2: 'truce $cmd' exited 2 without saying why"
        fi
    done
}

# Values no truce writes, column by column.
damage() { # damage LABEL SQL
    cp pristine.db d.db
    sqlite3 d.db "$2" || fail "sqlite3: $2"
    every_command d.db "$1"
}
damage "unknown verdict" "UPDATE events SET verdict = 'violatio' WHERE id = '$ID'"
damage "unknown verdict inside" "UPDATE events SET assessments = replace(assessments, '\"violation\"', '\"violatjon\"')"
damage "unknown reason" "UPDATE events SET assessments = replace(assessments, '\"breach\"', '\"breech\"')"
damage "assessments not JSON" "UPDATE events SET assessments = '[[\"syria-coh-2016\",' WHERE rowid % 3 = 0"
damage "assessment without agreement" "UPDATE events SET assessments = '[[null,\"violation\",\"breach\"]]' WHERE rowid % 2 = 0"
damage "assessments of numbers" "UPDATE events SET assessments = '[1,2,3]', verdicts = '[1]', side = 7"
damage "unknown category" "UPDATE events SET category = 'partying'"
damage "negative schema version" "PRAGMA user_version = -5"
damage "future schema version" "PRAGMA user_version = 99"
damage "older schema version" "PRAGMA user_version = 1"
damage "no events table" "DROP TABLE events"
damage "no agreements" "DELETE FROM docs WHERE kind = 'agreement'"
damage "agreement not JSON" "UPDATE docs SET json = '{\"id\":' WHERE kind = 'agreement'"
damage "actors not JSON" "UPDATE docs SET json = '[' WHERE kind = 'actors'"
# the message for a verdict no truce writes
cp pristine.db d.db
sqlite3 d.db "UPDATE events SET verdict = 'violatio' WHERE id = '$ID'"
expect_rc 2 truce --db d.db summary
expect_in "$T/err" "event '$ID' has an unknown verdict 'violatio'"
expect_rc 0 truce --db d.db assess --all
expect_rc 0 truce --db d.db summary

# Bytes flipped at random: 1 to 8 of them, anywhere in the file.
size=$(wc -c < pristine.db)
seed=$SEED0
while [ $seed -lt $((SEED0 + RUNS)) ]; do
    cp pristine.db r.db
    awk -v seed=$seed -v size="$size" 'BEGIN {
        srand(seed); n = 1 + int(rand() * 8)
        for (i = 0; i < n; i++)
            print int(rand() * size), 1 + int(rand() * 255)
    }' > flips
    while read -r off mask; do
        b=$(od -An -tu1 -j "$off" -N1 r.db | tr -d ' ')
        printf "$(printf '\\%03o' $(( b ^ mask )))" |
            dd of=r.db bs=1 seek="$off" count=1 conv=notrunc 2>/dev/null
    done < flips
    every_command r.db "seed $seed ($(tr '\n' ' ' < flips))"
    seed=$((seed + 1))
done
echo "$RUNS random stores and 15 damaged columns: no crash"
