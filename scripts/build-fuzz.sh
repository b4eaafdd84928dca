#!/bin/sh
# Builds the libFuzzer targets of fuzz/ into build/fuzz/ (clang, ASan +
# UBSan + libFuzzer), replays each target's crash files (fuzz/regressions/),
# then fuzzes each target in turn for $FUZZ_SECONDS seconds (default 30) from
# a copy of its seed corpus with its dictionary. Exits non-zero if a replay
# or a fuzzing run finds a crash, a leak, an UBSan report or a timeout.
# Called by `make fuzz`; docs/fuzzing.md describes the layout.
#
# Usage: scripts/build-fuzz.sh [target...]     (default: every target)
# Environment:
#   FUZZ_SECONDS  seconds per target (default 30; 0 builds and replays only)
#   FUZZ_CC       the compiler (default clang)
#   FUZZ_JOBS     parallel compiles of the library sources (default 2)
#   FUZZ_TIMEOUT  seconds one input may take before it counts as a hang
#                 (default 25)
#   FUZZ_FLAGS    extra libFuzzer flags for the fuzzing runs
#   FUZZ_MERGE    1: afterwards, add to fuzz/corpus/<target>/ the inputs
#                 of the work corpus that reach features the committed
#                 corpus does not (libFuzzer's -merge=1 set cover)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2

ALL_TARGETS="csv acled ucdp gdelt jsonl agreement tzif gazetteer text extract api"
TARGETS=${*:-$ALL_TARGETS}
SECONDS_PER=${FUZZ_SECONDS:-30}
CC=${FUZZ_CC:-clang}
JOBS=${FUZZ_JOBS:-2}
TIMEOUT=${FUZZ_TIMEOUT:-25}
OUT=build/fuzz

for t in $TARGETS; do
    case " $ALL_TARGETS " in
    *" $t "*) ;;
    *) echo "build-fuzz: no target '$t' (targets: $ALL_TARGETS)" >&2
       exit 2 ;;
    esac
done
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "build-fuzz: '$CC' not found (install clang and libclang-rt-14-dev)" >&2
    exit 2
fi

SAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
-fno-omit-frame-pointer"
PKG_CFLAGS=$(scripts/configure.sh --cflags) || exit 2
PKG_LIBS=$(scripts/configure.sh --libs) || exit 2
CFLAGS="-std=c17 -g -O1 $SAN -Iinclude -Isrc $PKG_CFLAGS"
LIBS="$PKG_LIBS -lpthread -lm"

mkdir -p "$OUT/obj"

# ------------------------------------------------------------------ build
# The library sources once (libFuzzer's main is only linked into the
# targets), then one binary per target.
echo "== build ($CC, $OUT)"
objs=""
pids=""
fail=0
n=0
for src in src/*.c; do
    obj="$OUT/obj/$(basename "$src" .c).o"
    objs="$objs $obj"
    if [ ! -f "$obj" ] ||
       [ -n "$(find "$src" -newer "$obj" 2>/dev/null;
               find include src -name '*.h' -newer "$obj" 2>/dev/null)" ]; then
        echo "  CC      $src"
        # shellcheck disable=SC2086
        $CC $CFLAGS -c "$src" -o "$obj" &
        pids="$pids $!"
        n=$((n + 1))
        if [ "$n" -ge "$JOBS" ]; then
            for p in $pids; do wait "$p" || fail=1; done
            pids=""
            n=0
        fi
    fi
done
for p in $pids; do wait "$p" || fail=1; done
if [ "$fail" -ne 0 ]; then
    echo "build-fuzz: the library did not compile" >&2
    exit 1
fi
# The api target drives the server's API (server/api.c, and http.c for
# its replies) without sockets.
server_objs=""
for src in server/*.c; do
    obj="$OUT/obj/server_$(basename "$src" .c).o"
    server_objs="$server_objs $obj"
    if [ ! -f "$obj" ] ||
       [ -n "$(find "$src" server/*.h include -newer "$obj" 2>/dev/null)" ]; then
        echo "  CC      $src"
        # shellcheck disable=SC2086
        $CC $CFLAGS -c "$src" -o "$obj" || exit 1
    fi
done
for t in $TARGETS; do
    extra=""
    [ "$t" = api ] && extra=$server_objs
    echo "  LINK    $OUT/fuzz_$t"
    # shellcheck disable=SC2086
    if ! $CC $CFLAGS "fuzz/fuzz_$t.c" $objs $extra -o "$OUT/fuzz_$t" $LIBS; then
        echo "build-fuzz: fuzz_$t did not build" >&2
        exit 1
    fi
done

# The fuzzers read nothing from stdin; zone files named by a fuzzed
# agreement are opened relative to the repository top.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

# ------------------------------------------------------------- regressions
status=0
echo "== replay fuzz/regressions"
for t in $TARGETS; do
    files=$(find "fuzz/regressions/$t" -type f ! -name '.*' ! -name '*.md' \
            2>/dev/null | sort)
    if [ -z "$files" ]; then
        echo "  $t: no regression files"
        continue
    fi
    count=$(echo "$files" | wc -l)
    # Files (not directories) as arguments: libFuzzer runs each once.
    # shellcheck disable=SC2086
    if "$OUT/fuzz_$t" -rss_limit_mb=2048 -timeout="$TIMEOUT" $files \
         > "$OUT/replay-$t.log" 2>&1 < /dev/null; then
        echo "  $t: $count file(s) ok"
    else
        echo "  $t: FAILED (see $OUT/replay-$t.log)"
        grep -E 'ERROR|SUMMARY|runtime error|Running:' "$OUT/replay-$t.log" |
            tail -8 | sed 's/^/    /'
        status=1
    fi
done

# ----------------------------------------------------------------- fuzzing
if [ "$SECONDS_PER" -gt 0 ]; then
    echo "== fuzz, ${SECONDS_PER}s per target (one at a time)"
    for t in $TARGETS; do
        corpus="$OUT/corpus-$t"
        arts="$OUT/artifacts-$t/"
        mkdir -p "$corpus" "$arts"
        # The work corpus grows across runs; the seeds in the repository
        # stay as they are.
        cp fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null
        log="$OUT/fuzz-$t.log"
        # shellcheck disable=SC2086
        "$OUT/fuzz_$t" "$corpus" -dict="fuzz/$t.dict" \
            -max_total_time="$SECONDS_PER" -rss_limit_mb=2048 \
            -timeout="$TIMEOUT" -artifact_prefix="$arts" \
            -print_final_stats=1 ${FUZZ_FLAGS:-} > "$log" 2>&1 < /dev/null
        rc=$?
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        last=$(grep -E '^#[0-9]+' "$log" | tail -1)
        cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
        ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
        corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\/[^ ]*\).*/\1/p')
        if [ "$rc" -eq 0 ]; then
            echo "  $t: ok, ${runs:-?} runs, ${speed:-?} exec/s, cov ${cov:-?}," \
                 "ft ${ft:-?}, corpus ${corp:-?}"
        else
            echo "  $t: FAILED (exit $rc), see $log; reproducers in $arts"
            grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" |
                tail -8 | sed 's/^/    /'
            status=1
        fi
    done
fi
# ------------------------------------------------------------------ merge
# The committed corpus only grows by inputs that add coverage; nothing in
# it is removed, so seeds and earlier campaigns' inputs stay.
if [ "${FUZZ_MERGE:-0}" = 1 ] && [ "$status" -eq 0 ]; then
    echo "== merge work corpora into fuzz/corpus"
    for t in $TARGETS; do
        corpus="$OUT/corpus-$t"
        log="$OUT/merge-$t.log"
        if [ ! -d "$corpus" ]; then
            echo "  $t: no work corpus ($corpus)"
            continue
        fi
        before=$(find "fuzz/corpus/$t" -type f | wc -l)
        if "$OUT/fuzz_$t" -merge=1 -rss_limit_mb=2048 -timeout="$TIMEOUT" \
             "fuzz/corpus/$t" "$corpus" \
             > "$log" 2>&1 < /dev/null; then
            after=$(find "fuzz/corpus/$t" -type f | wc -l)
            echo "  $t: $before -> $after files"
        else
            echo "  $t: merge FAILED, see $log"
            status=1
        fi
    done
fi

if [ "$status" -ne 0 ]; then
    echo "build-fuzz: failures; save each reproducer in" \
         "fuzz/regressions/<target>/ with a descriptive name"
fi
exit "$status"
