#!/bin/sh
# make fresh-check: the README's two commands on a Debian 12 machine that
# has nothing. Makes a root with mmdebstrap (--variant=apt: apt and what it
# needs, then make and git), from this machine's own apt sources; copies
# this machine's local certificate authorities in; clones the repository's
# HEAD into /root/truce there (../shared beside it, read-only, when it is
# here); then, in that root (chroot, /proc and /dev mounted):
#   1. `make demo` until the dashboard answers on its port, then stops it;
#   2. `make check`.
# Afterwards every process started in the root is stopped, everything is
# unmounted and the root removed (FRESH_KEEP=1 keeps it). Exits 0 only when
# both steps passed; a root that cannot be made (the package registry does
# not answer) is a failure, never a skip. docs/fresh-check.md has more.
#
# Environment: FRESH_ROOT (the folder; default a new one under /var/tmp),
# FRESH_KEEP=1, FRESH_SUITE (default bookworm), FRESH_DEMO_WAIT (seconds
# make demo may take to serve, default 1800).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
SUITE=${FRESH_SUITE:-bookworm}
WAIT=${FRESH_DEMO_WAIT:-1800}
say() { echo "fresh-check: $*"; }
fail() { say "FAILED: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || fail "must run as root (mmdebstrap and chroot)"
if ! command -v mmdebstrap >/dev/null 2>&1; then
    say "installing mmdebstrap"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq mmdebstrap >/dev/null; } ||
        fail "mmdebstrap cannot be installed (does the package registry answer?)"
fi
command -v curl >/dev/null 2>&1 || fail "curl is missing on this machine"

ROOT=${FRESH_ROOT:-$(mktemp -d /var/tmp/truce-fresh.XXXXXX)}
mkdir -p "$ROOT"
[ -z "$(ls -A "$ROOT")" ] || fail "'$ROOT' is not empty"
WORK=$(mktemp -d)
DEMO_PID=""

# Every process whose root is the fresh root, stopped; then the mounts.
cleanup() {
    [ -z "$DEMO_PID" ] || kill -TERM "-$DEMO_PID" 2>/dev/null
    for sig in TERM KILL; do
        for p in /proc/[0-9]*; do
            [ "$(readlink "$p/root" 2>/dev/null)" = "$ROOT" ] &&
                kill -"$sig" "${p#/proc/}" 2>/dev/null
        done
        sleep 1
    done
    for m in root/shared dev proc; do
        mountpoint -q "$ROOT/$m" 2>/dev/null &&
            { umount -R "$ROOT/$m" 2>/dev/null || umount -R -l "$ROOT/$m"; }
    done
    if [ "${FRESH_KEEP:-0}" = 1 ]; then
        say "kept the root in $ROOT"
    elif ! grep -q " $ROOT/" /proc/mounts; then
        rm -rf "$ROOT"
    else
        say "$ROOT still has mounts; not removed" >&2
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

# ------------------------------------------------------------------ root
# This machine's apt sources, as files, and the apt options a mirror here
# needs (a proxy, an old snapshot's expired Release files).
set --
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
         /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && grep -q '^[^#[:space:]]' "$f" && set -- "$@" "$f"
done
[ $# -gt 0 ] || fail "this machine has no apt sources"
apt-config dump | grep -E '^Acquire::(https?::Proxy|Check-Valid-Until|Check-Date) ' \
    > "$WORK/apt.conf" || true
say "making a $SUITE root in $ROOT (sources: $*)"
if ! mmdebstrap --quiet --variant=apt --include=make,git \
        --aptopt="$WORK/apt.conf" "$SUITE" "$ROOT" "$@" > "$WORK/mmdebstrap.log" 2>&1; then
    sed 's/^/  /' "$WORK/mmdebstrap.log" | tail -20 >&2
    fail "the root could not be made (does the package registry answer?)"
fi
[ -s "$ROOT/etc/resolv.conf" ] || cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# The local certificate authorities: the project's installs add Debian's
# ca-certificates, whose update-ca-certificates takes these in as well.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    mkdir -p "$ROOT/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
fi
mount -t proc proc "$ROOT/proc" || fail "cannot mount /proc in the root"
mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev" ||
    fail "cannot mount /dev in the root"

git clone -q "$TOP" "$ROOT/root/truce" || fail "cannot clone $TOP"
say "cloned $(git -C "$TOP" rev-parse --short HEAD) ($(git -C "$TOP" log -1 --format=%s | cut -c1-60))"
if [ -d "$TOP/../shared" ]; then
    mkdir -p "$ROOT/root/shared"
    mount --bind -o ro "$TOP/../shared" "$ROOT/root/shared" ||
        fail "cannot mount ../shared in the root"
fi

# A new user's plain environment, with only this machine's network
# settings carried in; in_root runs a command in the clone with it.
ENV_ARGS="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
ENV_ARGS="$ENV_ARGS HOME=/root LANG=C.UTF-8 TERM=dumb"
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY \
         NODE_EXTRA_CA_CERTS CI; do
    eval "val=\${$v:-}"
    # shellcheck disable=SC2154  # set by the eval
    [ -z "$val" ] || ENV_ARGS="$ENV_ARGS $v=$val"
done
in_root() {
    # shellcheck disable=SC2086  # one word an assignment
    chroot "$ROOT" /usr/bin/env -i $ENV_ARGS /bin/sh -c "cd /root/truce && $1"
}

# ------------------------------------------------------------------ demo
port=18080
while curl -s -o /dev/null "http://127.0.0.1:$port/"; [ $? -ne 7 ]; do
    port=$((port + 1))
done
say "1. make demo (DEMO_PORT=$port), until the dashboard answers"
start=$(date +%s)
# In a session of its own, so that stopping it stops make, the installs
# and truce serve alike.
setsid sh -c "$(command -v chroot) '$ROOT' /usr/bin/env -i $ENV_ARGS \
    /bin/sh -c 'cd /root/truce && DEMO_PORT=$port make demo'" \
    > "$WORK/demo.log" 2>&1 &
DEMO_PID=$!
served=0
while kill -0 "$DEMO_PID" 2>/dev/null; do
    if curl -s "http://127.0.0.1:$port/" 2>/dev/null | grep -q 'id="map"'; then
        served=1
        break
    fi
    [ $(($(date +%s) - start)) -lt "$WAIT" ] || break
    sleep 2
done
sed 's/^/  | /' "$WORK/demo.log"
[ $served = 1 ] ||
    fail "make demo did not serve the dashboard (after $(($(date +%s) - start)) s)"
say "the dashboard answered on port $port after $(($(date +%s) - start)) s"
# The whole session (dash's kill takes "-PGID", not "-- -PGID").
kill -TERM "-$DEMO_PID" 2>/dev/null
for _ in $(seq 1 20); do
    kill -0 "$DEMO_PID" 2>/dev/null || break
    sleep 0.5
done
kill -KILL "-$DEMO_PID" 2>/dev/null
wait "$DEMO_PID" 2>/dev/null
curl -s -o /dev/null "http://127.0.0.1:$port/"
[ $? -eq 7 ] || fail "the demo's server still answers on port $port after being stopped"
DEMO_PID=""

# ----------------------------------------------------------------- check
say "2. make check"
start=$(date +%s)
{ in_root "make check" 2>&1; echo $? > "$WORK/check.rc"; } | sed 's/^/  | /'
rc=$(cat "$WORK/check.rc")
[ "$rc" = 0 ] || fail "make check exited $rc in the fresh root"
say "make demo served and make check passed on a fresh $SUITE root ($(($(date +%s) - start)) s for make check)"
