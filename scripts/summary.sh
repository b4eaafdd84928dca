#!/bin/sh
# Adds up the test-summary files of the builds given and prints the closing
# line "N passed, N failed, N skipped". Exits non-zero when any failed.
p=0; f=0; s=0
for file in "$@"; do
    if [ ! -f "$file" ]; then
        echo "truce: no test summary '$file'" >&2
        f=$((f + 1))
        continue
    fi
    read -r a b c < "$file"
    p=$((p + a)); f=$((f + b)); s=$((s + c))
done
echo "all builds: $p passed, $f failed, $s skipped"
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
