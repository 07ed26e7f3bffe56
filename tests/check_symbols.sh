#!/bin/sh
# Checks that the shim's shared library exports exactly the functions that
# include/lede/shim.h declares: nothing missing, and nothing extra (no C++
# symbols, no internal helpers).
#
# usage: check_symbols.sh path/to/liblede_shim.so path/to/include/lede/shim.h
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 LIBRARY HEADER" >&2
    exit 2
fi
lib=$1
header=$2
for f in "$lib" "$header"; do
    if [ ! -r "$f" ]; then
        echo "$0: cannot read $f" >&2
        exit 2
    fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/lede-symbols-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Defined dynamic symbols, without version suffixes ("name@@VER").
# Undefined ones (Xapian, libstdc++, libc) are what the library uses, not
# what it offers, so --defined-only leaves them out.
nm -D --defined-only "$lib" >"$work/nm.out"
awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' "$work/nm.out" | sort -u >"$work/exported"

# Function names declared in the header: strip comments (block comments may
# span lines), then take every shim_ identifier followed by "(".
awk '
{
    line = $0
    out = ""
    while (line != "") {
        if (in_comment) {
            end = index(line, "*/")
            if (end == 0) { line = ""; break }
            line = substr(line, end + 2)
            in_comment = 0
        } else {
            start = index(line, "/*")
            slash = index(line, "//")
            if (slash > 0 && (start == 0 || slash < start)) {
                out = out substr(line, 1, slash - 1)
                line = ""
                break
            }
            if (start == 0) { out = out line; line = ""; break }
            out = out substr(line, 1, start - 1) " "
            line = substr(line, start + 2)
            in_comment = 1
        }
    }
    print out
}' "$header" |
    grep -o 'shim_[A-Za-z0-9_]*[[:space:]]*(' |
    sed 's/[[:space:]]*($//' | sort -u >"$work/declared"

if [ ! -s "$work/declared" ]; then
    echo "$0: found no shim_ functions in $header" >&2
    exit 1
fi

if diff -u "$work/declared" "$work/exported" >"$work/diff"; then
    echo "ok: $(wc -l <"$work/exported") symbols exported, as declared in $(basename "$header")"
    exit 0
fi

echo "FAIL: the symbols exported by $lib differ from the functions in $header"
echo "(lines with - are declared but not exported; lines with + are exported but not declared)"
sed '1,2d' "$work/diff"
exit 1
