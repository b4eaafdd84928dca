#!/bin/sh
# A throwaway PostgreSQL 15 cluster for the tests: made in a folder of its
# own, listening on 127.0.0.1 only, on a free port, with trust
# authentication and a database called truce. Run as the postgres user
# when the caller is root (PostgreSQL refuses to run as root).
#
# Usage: scripts/pg-cluster.sh start DIR   makes DIR (it must not exist or
#                                          be empty), starts the cluster
#                                          there and prints its URL,
#                                          postgresql://postgres@127.0.0.1:PORT/truce
#                                          (also kept in DIR/url)
#        scripts/pg-cluster.sh stop DIR    stops it and removes DIR
#        scripts/pg-cluster.sh url DIR     prints the URL again
#        scripts/pg-cluster.sh replica DIR FROM
#                                          makes DIR a streaming replica
#                                          (a hot standby) of the cluster
#                                          in FROM (pg_basebackup -R),
#                                          starts it on a free port and
#                                          prints its URL; stop DIR stops
#                                          it as any other
# Exits 77 (the tests' "skipped") when PostgreSQL 15 is not installed, 2
# when the cluster cannot be made or started, 1 on a usage error. DIR's
# parent folders must be open to the postgres user (a folder under /tmp
# made with mktemp -d is). TRUCE_PGBIN names another folder of PostgreSQL
# programs (default /usr/lib/postgresql/15/bin). The cluster runs with
# fsync off: it is thrown away, never recovered.
set -eu
PGBIN=${TRUCE_PGBIN:-/usr/lib/postgresql/15/bin}

say() { echo "pg-cluster: $*" >&2; }
die() { say "$*"; exit 2; }

# as_pg COMMAND...: runs it as the cluster's owner.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# A port nobody listens on now, from a range away from the usual ones;
# the server's own bind is the real test (start retries on a clash).
pick_port() {
    used=$(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
        awk 'NR > 1 && $4 == "0A" { split($2, a, ":"); print a[2] }')
    seed=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + (seed % 30000)))
        hex=$(printf '%04X' "$port")
        if ! echo "$used" | grep -qx "$hex"; then
            echo "$port"
            return 0
        fi
        seed=$((seed + 7919))
    done
    echo "$port"
}

# need_pg: exits 77 when PostgreSQL 15 cannot run here.
need_pg() {
    [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] || {
        echo "PostgreSQL 15 is not installed ($PGBIN/initdb is missing;" \
             "apt-get install postgresql-15)"
        exit 77
    }
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        echo "there is no postgres user to run PostgreSQL as"
        exit 77
    fi
}

# make_dirs DIR: DIR (empty or new) and DIR/data for the cluster's owner;
# sets dir (absolute) and data.
make_dirs() {
    dir=$1
    if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
        die "'$dir' is not empty"
    fi
    mkdir -p "$dir" || die "cannot make '$dir'"
    dir=$(cd "$dir" && pwd)
    data=$dir/data
    mkdir -p "$data"
    chmod 755 "$dir"
    chmod 700 "$data"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$data"
        runuser -u postgres -- test -w "$data" ||
            die "the postgres user cannot reach '$dir' (a parent folder is" \
                "closed to it): use a folder under /tmp"
    fi
}

start() {
    need_pg
    make_dirs "$1"
    as_pg "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 \
        --locale=C >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    launch
    "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres truce >&2 ||
        { stop "$dir"; die "cannot make the database 'truce'"; }
    url="postgresql://postgres@127.0.0.1:$port/truce"
    echo "$url" > "$dir/url"
    echo "$url"
}

# replica DIR FROM: a copy of FROM's cluster taken while it runs
# (pg_basebackup, the WAL streamed with it), set up to follow it
# (-R: primary_conninfo and standby.signal), started as a hot standby.
replica() {
    need_pg
    from=$(cd "$2" 2>/dev/null && pwd) && [ -f "$from/url" ] ||
        die "no cluster in '$2'"
    pport=$(sed -E 's|.*:([0-9]+)/.*|\1|' "$from/url")
    make_dirs "$1"
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres \
        -D "$data" -R -X stream -c fast >"$dir/basebackup.log" 2>&1 ||
        { cat "$dir/basebackup.log" >&2; die "pg_basebackup failed"; }
    # the primary's log came with the copy
    : > "$data/server.log"
    launch
    url="postgresql://postgres@127.0.0.1:$port/truce"
    echo "$url" > "$dir/url"
    echo "$url"
}

# launch: starts the cluster in $data on a free port (in $port).
launch() {
    tries=0
    while :; do
        port=$(pick_port)
        # The log lives in the data folder, which its owner can write.
        if as_pg "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$data' -c fsync=off" \
            start >/dev/null 2>&1; then
            break
        fi
        tries=$((tries + 1))
        if [ $tries -ge 5 ]; then
            cat "$data/server.log" >&2 2>/dev/null || true
            die "the server did not start"
        fi
    done
}

stop() {
    dir=$1
    [ -d "$dir" ] || return 0
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop \
            >/dev/null 2>&1 ||
            as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop \
                >/dev/null 2>&1 || say "the server in '$dir' did not stop"
    fi
    rm -rf "$dir"
}

usage="usage: scripts/pg-cluster.sh start|stop|url DIR | replica DIR FROM"
case "${1:-}" in
start|stop|url) [ $# -eq 2 ] || { echo "$usage" >&2; exit 1; } ;;
replica) [ $# -eq 3 ] || { echo "$usage" >&2; exit 1; } ;;
*) echo "$usage" >&2; exit 1 ;;
esac
case "$1" in
start) start "$2" ;;
replica) replica "$2" "$3" ;;
stop) stop "$2" ;;
url) cat "$2/url" 2>/dev/null || die "no cluster in '$2'" ;;
esac
