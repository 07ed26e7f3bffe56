#!/usr/bin/env bash
# Lints the manual pages with `mandoc -T lint` (warnings and worse fail),
# and checks that they describe what the programs have: searchd.conf(5)
# every key of the shipped conf/searchd.conf (beside MAN-DIR), and
# lede(1), lede-indexer(1) and lede-searchd(8) every long option in the
# option tables of cli/options.c, indexer/options.c and searchd/main.c,
# each in an item of its own (".It ... Fl \-NAME"):
# test_man_lint MAN-DIR PAGE...
set -uo pipefail
dir=$1; shift
src="$dir/.."
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

# check_listed WHAT PAGE NAME...: each NAME is an item of PAGE; an empty
# list means the table's format changed and this test no longer reads it.
check_listed() {
    local what=$1 page=$2 pattern label missing=0; shift 2
    if [ $# -eq 0 ]; then
        echo "FAIL found no $what to look for in $page (did the source's table change?)"
        status=1; return
    fi
    for name in "$@"; do
        case $what in
        keys) pattern="^\.It Cm $name( |$)" label="the key $name" ;;
        *) pattern="^\.It .*Fl \\\\-$name( |$)" label="the option --$name" ;;
        esac
        grep -Eq "$pattern" "$dir/$page" || { echo "FAIL $page does not describe $label"; missing=1; }
    done
    if [ $missing = 0 ]; then echo "ok   $page describes all $# $what"; else status=1; fi
}

# "key = value" lines of the shipped configuration.
check_listed keys searchd.conf.5 $(sed -n 's/^\([a-z_]*\) =.*/\1/p' "$src/conf/searchd.conf")
# getopt_long tables: {"name", required_argument, ...}.
getopt_names() { grep -o '{"[a-z-]*", [a-z_]*_argument' "$1" | sed 's/{"\([a-z-]*\)".*/\1/'; }
check_listed options lede-indexer.1 $(getopt_names "$src/indexer/options.c")
check_listed options lede-searchd.8 $(getopt_names "$src/searchd/main.c")
# lede's own table: {"name", takes_value, FOR_..., ...}.
check_listed options lede.1 \
    $(grep -o '{"[a-z-]*", \(true\|false\), FOR' "$src/cli/options.c" | sed 's/{"\([a-z-]*\)".*/\1/')
exit $status
