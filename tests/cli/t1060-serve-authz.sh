#!/bin/sh
# Function-level authorisation (OWASP API5), derived from the route table
# itself (`truce serve --routes`), so a route added later is checked too:
# every route that needs a role answers 401 without a token or with a
# wrong one, 403 to every lesser role and neither to its role and above;
# an open route answers without a token, and with --read-token-required
# every read needs a valid token of any role.
. "$(dirname "$0")/lib.sh"
truce init > /dev/null
truce ingest "$DATA/acled_sample.csv" > /dev/null || fail "ingest"
MON=$(truce users add mon --role monitor)
ANA=$(truce users add ana --role analyst)
ADM=$(truce users add adm --role admin)
ID=$(store_sql 'SELECT id FROM events ORDER BY id LIMIT 1')
truce serve --routes > routes.txt
[ "$(wc -l < routes.txt)" -ge 10 ] || fail "the route table is too short: $(cat routes.txt)"
rank() { case $1 in monitor) echo 1 ;; analyst) echo 2 ;; admin) echo 3 ;; *) echo 0 ;; esac; }
token_of() { case $1 in 1) echo "$MON" ;; 2) echo "$ANA" ;; 3) echo "$ADM" ;; esac; }
# call METHOD PATH [TOKEN]: sets CODE
call() {
    if [ -n "${3:-}" ]; then
        http "$1" "$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' -d '{}'
    else
        http "$1" "$2" -H 'Content-Type: application/json' -d '{}'
    fi
    [ "$1" = GET ] && { if [ -n "${3:-}" ]; then http GET "$2" -H "Authorization: Bearer $3"; else http GET "$2"; fi; }
    return 0
}
check_routes() {
    n=0
    while IFS="$(printf '\t')" read -r route what; do
        method=${route%% *}
        path=$(echo "${route#* }" | sed "s#{id}#$ID#; s#{name}#none#")
        need=$(rank "$(echo "$what" | sed -n 's/.*, role \([a-z]*\)$/\1/p')")
        n=$((n + 1))
        if [ "$need" -eq 0 ]; then
            call "$method" "$path"
            if [ "$1" = open ]; then
                [ "$CODE" != 401 ] && [ "$CODE" != 403 ] || fail "$route is open but answered $CODE without a token"
            else
                expect_eq "$route without a token (reads need one)" "$CODE" 401
                for r in 1 2 3; do
                    call "$method" "$path" "$(token_of $r)"
                    [ "$CODE" != 401 ] && [ "$CODE" != 403 ] || fail "$route answered $CODE to role $r"
                done
            fi
            continue
        fi
        call "$method" "$path"
        expect_eq "$route without a token" "$CODE" 401
        call "$method" "$path" "truce_1_$(printf '%064d' 0)"
        expect_eq "$route with a wrong token" "$CODE" 401
        for r in 1 2 3; do
            call "$method" "$path" "$(token_of $r)"
            if [ "$r" -lt "$need" ]; then
                expect_eq "$route with role $r" "$CODE" 403
            else
                [ "$CODE" != 401 ] && [ "$CODE" != 403 ] || fail "$route answered $CODE to role $r (needs $need)"
            fi
        done
    done < routes.txt
    echo "$1: $n routes checked"
}
serve
check_routes open
kill "$SERVER_PID"; wait "$SERVER_PID" 2> /dev/null
serve --read-token-required
check_routes closed
