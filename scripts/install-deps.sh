#!/bin/sh
# Installs the Debian packages truce needs, when some are missing.
# Usage: scripts/install-deps.sh [--quiet]
set -e
PKGS="build-essential pkg-config clang libclang-rt-14-dev libgeos-dev \
libproj-dev libsqlite3-dev sqlite3 libpq-dev postgresql-15 libjansson-dev \
libmicrohttpd-dev libgsl-dev libsodium-dev libutf8proc-dev libzip-dev \
libcurl4-openssl-dev tzdata jq curl ca-certificates wrk zip"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
if [ -z "$missing" ]; then
    [ "$1" = "--quiet" ] || echo "truce: all packages present"
    exit 0
fi
echo "truce: installing$missing"
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $missing >/dev/null
