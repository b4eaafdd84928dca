#!/bin/sh
# The README's examples work as pasted and print what the README says. Every
# fenced block of README.md whose first line starts with "$ " is a session:
# the blocks run in order in one shell (so an `export` carries on), in a
# folder where examples/, tests/ and build/ are this checkout's. A command
# must exit 0; the lines after it, up to the next "$ " or the block's end,
# are its output, compared with whitespace runs (line breaks too) as one
# space, and a line "..." standing for any text. A command followed by no
# lines has its output left unshown, and unchecked.
. "$(dirname "$0")/lib.sh"
unset TRUCE_DB
ln -s "$SRC/examples" "$SRC/tests" . || fail "links"
ln -s "$(dirname "$TRUCE_BIN")" build || fail "build link"
mkdir cases

# Each command into cases/N.cmd, its shown output into cases/N.want.
awk -v dir=cases '
    /^```/ { state = state ? 0 : 1; first = 1; next }
    state == 0 || state == 2 { next }
    first { first = 0; if ($0 !~ /^\$ /) { state = 2; next } }
    /^\$ / {
        n++
        printf "%s\n", substr($0, 3) > (dir "/" n ".cmd")
        printf "" > (dir "/" n ".want")
        next
    }
    { print >> (dir "/" n ".want") }
' "$SRC/README.md"
n=$(ls cases/*.cmd 2>/dev/null | wc -l)
[ "$n" -ge 10 ] || fail "only $n commands found in README.md"

# One shell runs them all; each command's output into cases/N.out and its
# exit code into cases/N.rc.
i=1
: > tour.sh
while [ $i -le "$n" ]; do
    printf '{ %s\n} > cases/%d.out 2>&1; echo $? > cases/%d.rc\n' \
        "$(cat cases/$i.cmd)" $i $i >> tour.sh
    i=$((i + 1))
done
sh tour.sh

# matches WANT_FILE GOT_FILE: the got text is the wanted one, "..." lines
# standing for anything.
squash() { tr -s ' \t\n' '   ' < "$1" | sed 's/^ //; s/ $//'; }
matches() {
    rest=$(squash "$2")
    anchored=1
    # The wanted text as parts between "..." lines, one part a line of $parts.
    parts=$(awk '$0 == "..." { print ""; next } { printf "%s ", $0 } END { print "" }' "$1" |
            tr -s ' \t' '  ' | sed 's/^ //; s/ $//')
    [ "$(tail -c 4 "$1" | tr -d '\n')" = "..." ] && open_end=1 || open_end=0
    while IFS= read -r part; do
        if [ -z "$part" ]; then anchored=0; continue; fi
        if [ $anchored = 1 ]; then
            case "$rest" in "$part"*) rest=${rest#"$part"} ;; *) return 1 ;; esac
        else
            case "$rest" in *"$part"*) rest=${rest#*"$part"} ;; *) return 1 ;; esac
        fi
        anchored=0
    done <<EOF
$parts
EOF
    rest=$(echo "$rest" | sed 's/^ //')
    [ $open_end = 1 ] || [ -z "$rest" ]
}

i=1; checked=0
while [ $i -le "$n" ]; do
    cmd=$(cat cases/$i.cmd)
    if [ "$(cat cases/$i.rc)" != 0 ]; then
        cat cases/$i.out
        fail "README command '$cmd' exited $(cat cases/$i.rc)"
    fi
    if [ -s cases/$i.want ]; then
        matches cases/$i.want cases/$i.out || {
            echo "--- README says:"; cat cases/$i.want
            echo "--- it prints:"; cat cases/$i.out
            fail "README command '$cmd' prints something else"
        }
        checked=$((checked + 1))
    fi
    i=$((i + 1))
done
echo "$n README commands ran, $checked outputs compared"
[ $checked -ge 8 ] || fail "only $checked outputs compared"
