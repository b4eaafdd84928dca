#!/bin/sh
# The soak in short form (bench/soak.sh for 20 s; the campaign runs it for
# 600): wrk at 64 connections on the map while field reports and reviews
# are filed, no error, nothing lost, memory flat.
. "$(dirname "$0")/lib.sh"
command -v wrk > /dev/null || skip "skipped: wrk is not installed (scripts/install-deps.sh installs it)"
TRUCE_BIN="$TRUCE_BIN" sh "$SRC/bench/soak.sh" 20 64 > soak.out 2>&1 || { cat soak.out; fail "the short soak"; }
cat soak.out
expect_in soak.out "soak: held"
