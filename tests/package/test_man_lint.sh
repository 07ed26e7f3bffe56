#!/usr/bin/env bash
# Lints the manual pages with `mandoc -T lint` (warnings and worse fail),
# and checks that searchd.conf(5) describes every key of the shipped
# conf/searchd.conf (beside MAN-DIR) and lede-indexer(1) every long option
# of lede-indexer --help's source: test_man_lint MAN-DIR PAGE...
set -uo pipefail
dir=$1; shift
if ! command -v mandoc >/dev/null; then
    echo "skip: mandoc is not installed (scripts/setup.sh installs it)"
    exit 77
fi
status=0
for page in "$@"; do
    if out=$(mandoc -T lint -W warning "$dir/$page" 2>&1) && [ -z "$out" ]; then
        echo "ok   $page"
    else
        echo "FAIL $page"; echo "$out"; status=1
    fi
done
conf="$dir/../conf/searchd.conf"
for key in $(sed -n 's/^\([a-z_]*\) =.*/\1/p' "$conf"); do
    grep -q "^\.It Cm $key\b" "$dir/searchd.conf.5" || { echo "FAIL searchd.conf.5 does not describe $key"; status=1; }
done
for opt in $(grep -o '{"[a-z-]*", [a-z_]*_argument' "$dir/../indexer/options.c" | sed 's/{"\([a-z-]*\)".*/\1/'); do
    grep -q "Fl -$opt\b\|Fl \\-$opt\b\|-$opt" "$dir/lede-indexer.1" || { echo "FAIL lede-indexer.1 does not describe --$opt"; status=1; }
done
exit $status
