#!/usr/bin/env bash
# Lints the manual pages with `mandoc -T lint` (warnings and worse fail):
# test_man_lint MAN-DIR PAGE...
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
exit $status
