#!/bin/sh
# A server that stays up: 1,500 slow connections from one client address,
# each trickling its headers and never finishing them, leave another
# client answered within 100 ms (tests/http/slow_clients.c); the per-IP
# limit turns the rest of the flood away.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
serve
PORT=$(echo "$URL" | sed 's#.*:\([0-9]*\)/$#\1#')
"$(dirname "$TRUCE_BIN")/http_slow" "$PORT" 1500 5 100 > slow.out || { cat slow.out; cat "$T/serve.err"; fail "other clients were not answered in time"; }
cat slow.out
# once the slow client has gone, its address is served again (the server
# may take a moment to see 1,500 sockets close)
for _ in $(seq 1 50); do
    http GET /api/health
    [ "$CODE" = 200 ] && break
    sleep 0.1
done
expect_eq "the server is still up" "$CODE" 200
