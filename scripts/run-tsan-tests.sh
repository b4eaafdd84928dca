#!/bin/sh
# The threaded tests under ThreadSanitizer (build/tsan): the HTTP API and
# concurrent reports, reviews and reads, the background linking, and the
# assessing threads of assess --stream. A data race stops the process
# (halt_on_error), so the tests fail. Writes build/tsan/test-summary.txt.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
export TRUCE_SRCDIR="$TOP"
export TRUCE_BIN="$TOP/build/tsan/truce"
export TSAN_OPTIONS="halt_on_error=1 abort_on_error=1"
pass=0; fail=0
echo "== server tests under ThreadSanitizer"
for t in tests/cli/t1000-serve.sh tests/cli/t1010-serve-concurrent.sh \
         tests/cli/t1030-serve-reassess.sh tests/cli/t1240-serve-incidents.sh \
         tests/cli/t0500-events.sh tests/cli/t1260-serve-cells.sh; do
    name=$(basename "$t" .sh)
    if sh "$t" > "build/tsan/$name.log" 2>&1; then
        pass=$((pass + 1)); echo "ok      $name (tsan)"
    else
        fail=$((fail + 1)); echo "FAIL    $name (tsan)"; tail -25 "build/tsan/$name.log"
    fi
done
echo "$pass passed, $fail failed"
echo "$pass $fail 0" > build/tsan/test-summary.txt
[ "$fail" -eq 0 ]
