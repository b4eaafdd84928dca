#!/bin/sh
# Builds the dashboard into $TRUCE_BUILD/web (default build/web), which
# `truce serve` serves at /. Installs Debian's nodejs (with npm) and
# chromium when missing, installs the front-end libraries from the npm
# registry (npm ci, from web/package-lock.json) when web/node_modules is
# missing or older than the lock file, and copies the page and the
# libraries' dist files. Nothing is loaded from a CDN at run time.
# Idempotent; prints nothing when nothing changed.
# Usage: scripts/build-web.sh [--no-browser]   (--no-browser: skip chromium)
set -e
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TRUCE_BUILD:-build}
case "$BUILD" in /*) OUT="$BUILD/web" ;; *) OUT="$TOP/$BUILD/web" ;; esac
WEB="$TOP/web"
NM="$WEB/node_modules"

# 1. Debian packages: node and npm to fetch the libraries (needed), and
#    chromium for the browser tests (wanted: without it they skip). The
#    machine's own Node.js (with its npm) is kept.
apt_install() {
    echo "truce: installing $*"
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "${APT_UPDATED:-}" ]; then
        $SUDO apt-get update -qq && APT_UPDATED=1
    fi
    $SUDO apt-get install -y -qq "$@" >/dev/null
}
PKGS=""
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
# shellcheck disable=SC2086  # one word a package
[ -z "$PKGS" ] || apt_install $PKGS
if [ "$1" != "--no-browser" ] && [ ! -x /usr/bin/chromium ]; then
    apt_install chromium ||
        echo "truce: could not install chromium: the browser tests will skip" >&2
fi

# 2. The libraries, from the lock file. npm ci replaces node_modules
#    whole; the stamp records the lock file it installed.
STAMP="$NM/.truce-installed"
if [ ! -f "$STAMP" ] ||
   [ -n "$(find "$WEB/package-lock.json" -newer "$STAMP")" ]; then
    echo "truce: npm ci in web/"
    (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$STAMP"
fi

# 3. The copy. cp only when the source differs, so a rerun is silent
#    and leaves the times alone.
changed=0
put() { # put SRC DEST
    if [ ! -f "$2" ] || ! cmp -s "$1" "$2"; then
        mkdir -p "$(dirname "$2")"
        cp "$1" "$2"
        changed=$((changed + 1))
    fi
}
# The page: index.html, style.css and its ES modules (web/*.js, served
# as they are, no bundler). A module no longer in web/ is removed.
for f in "$WEB/index.html" "$WEB/style.css" "$WEB"/*.js; do
    put "$f" "$OUT/$(basename "$f")"
done
for f in "$OUT"/*.js; do
    if [ -f "$f" ] && [ ! -f "$WEB/$(basename "$f")" ]; then
        rm -f "$f"
        changed=$((changed + 1))
    fi
done
V="$OUT/vendor"
put "$NM/leaflet/dist/leaflet.js" "$V/leaflet.js"
put "$NM/leaflet/dist/leaflet.css" "$V/leaflet.css"
for f in "$NM"/leaflet/dist/images/*; do
    put "$f" "$V/images/$(basename "$f")"
done
put "$NM/leaflet.markercluster/dist/leaflet.markercluster.js" \
    "$V/leaflet.markercluster.js"
put "$NM/leaflet.markercluster/dist/MarkerCluster.css" "$V/MarkerCluster.css"
put "$NM/leaflet.markercluster/dist/MarkerCluster.Default.css" \
    "$V/MarkerCluster.Default.css"
put "$NM/uplot/dist/uPlot.iife.min.js" "$V/uPlot.iife.min.js"
put "$NM/uplot/dist/uPlot.min.css" "$V/uPlot.min.css"
# The licences travel with the code they cover.
put "$NM/leaflet/LICENSE" "$V/LICENSE.leaflet"
put "$NM/leaflet.markercluster/MIT-LICENCE.txt" "$V/LICENSE.leaflet.markercluster"
put "$NM/uplot/LICENSE" "$V/LICENSE.uplot"
[ $changed -eq 0 ] || echo "truce: dashboard in ${OUT#"$TOP"/} ($changed files updated)"
