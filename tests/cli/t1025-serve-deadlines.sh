#!/bin/sh
# A server that stays up: deadlines a trickle of bytes does not move. One
# connection sends its request a byte at a time, five bytes a second,
# never finishing: its headers, its body, or the next request's headers
# after a first answer (tests/http/trickle.c). MHD's own timeout starts
# again with every byte, so without deadlines of the server's own each
# stayed open as long as the client liked.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
serve --header-timeout 2 --body-timeout 3
PORT=$(echo "$URL" | sed 's#.*:\([0-9]*\)/$#\1#')
TRICKLE="$(dirname "$TRUCE_BIN")/http_trickle"
for mode in headers body keepalive; do
    "$TRICKLE" "$PORT" $mode 8 > trickle.out || { cat trickle.out; fail "$mode: a trickling connection outlived its deadline"; }
    cat trickle.out
    # ended by the deadline (2 or 3 s), not at once and not by MHD's 30 s
    secs=$(sed 's/.* after \([0-9.]*\) s$/\1/' trickle.out)
    awk -v s="$secs" 'BEGIN { exit !(s >= 1.5 && s <= 5) }' || fail "$mode: ended after $secs s, not at the deadline"
done
http GET /api/health
expect_eq "the server still answers" "$CODE" 200
# the options are checked
expect_rc 1 truce serve --header-timeout 0
expect_in "$T/err" "--header-timeout must be 1 to 3600"
expect_rc 1 truce serve --body-timeout x
expect_in "$T/err" "--body-timeout must be 1 to 3600"
