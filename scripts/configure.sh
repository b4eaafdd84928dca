#!/bin/sh
# The compiler and linker flags of the libraries truce is built on, found
# after the Debian packages that carry them are installed. The one list of
# pkg-config modules; the Makefile and scripts/build-fuzz.sh both ask here.
#
# Usage: scripts/configure.sh FILE.mk   installs missing packages, then writes
#                                       PKG_CFLAGS and PKG_LIBS for make
#        scripts/configure.sh --cflags  prints the compiler flags
#        scripts/configure.sh --libs    prints the linker flags
# Exits 2, saying which, when a library's flags cannot be found (then no
# file is written, so the next make tries again).
set -eu
MODULES="sqlite3 libpq jansson proj gsl libsodium libmicrohttpd libutf8proc libzip"
HERE=$(dirname "$0")

cflags() {
    # shellcheck disable=SC2086  # one word a module
    pkg-config --cflags $MODULES && geos-config --cflags
}
libs() {
    # shellcheck disable=SC2086
    pkg-config --libs $MODULES && geos-config --clibs
}
# Prints the flags of one kind on one line, or says what is missing.
flags() { # flags cflags|libs
    if ! command -v pkg-config >/dev/null 2>&1 ||
       ! command -v geos-config >/dev/null 2>&1; then
        echo "truce: pkg-config or geos-config is missing: run scripts/install-deps.sh" >&2
        exit 2
    fi
    err=$(mktemp)
    out=$("$1" 2>"$err") || {
        echo "truce: the flags of a library cannot be found:" >&2
        sed 's/^/  /' "$err" >&2
        rm -f "$err"
        exit 2
    }
    rm -f "$err"
    echo "$out" | tr '\n' ' ' | sed 's/ *$//'
}

case "${1:-}" in
--cflags) flags cflags; echo ;;
--libs) flags libs; echo ;;
""|-*) echo "usage: scripts/configure.sh FILE.mk | --cflags | --libs" >&2; exit 1 ;;
*)
    "$HERE/install-deps.sh" --quiet
    c=$(flags cflags)
    l=$(flags libs)
    mkdir -p "$(dirname "$1")"
    {
        echo "# Written by scripts/configure.sh; remade when it or install-deps.sh changes."
        echo "PKG_CFLAGS := $c"
        echo "PKG_LIBS := $l -lpthread -lm"
    } > "$1.tmp"
    mv "$1.tmp" "$1"
    ;;
esac
