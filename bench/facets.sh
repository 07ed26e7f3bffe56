#!/usr/bin/env bash
# Measures the list facets (tag, place, author) counted by list_spy, on an
# index built before the item slots existed, against the same facets
# counted by Xapian's ValueCountMatchSpy over the item slots, on an index of
# the same corpus built with them. Prints a markdown table on standard
# output: per query, the median took_ms of `lede --db D search --json` with
# and without the three facets, and whether both indexes give the same
# facets (the top 100 values of each, in order).
#
# Usage: bench/facets.sh OLD_DB NEW_DB
# Environment:
#   LEDE     the lede binary (default: build-rel/cli/lede)
#   REPEATS  runs per cell, interleaved old, new, old, ... (default 9)
#   QUERIES  the queries, one per line (default: the list below)
set -euo pipefail

old_db=${1:?usage: bench/facets.sh OLD_DB NEW_DB}
new_db=${2:?usage: bench/facets.sh OLD_DB NEW_DB}
lede=${LEDE:-build-rel/cli/lede}
repeats=${REPEATS:-9}
queries=${QUERIES:-$'said\noil prices\ntrade\nbank rates\nwheat\njapan\ncoffee'}

# took_ms of one search; $3 is "facets" or "none".
took() {
    local db=$1 q=$2 f=()
    [ "$3" = facets ] && f=(--facets tag,place,author)
    # shellcheck disable=SC2086 # the query's words are separate arguments
    "$lede" --db "$db" search --json --exact --limit 1 "${f[@]}" -- $q | jq '.took_ms'
}

# The median of the numbers on standard input.
median() {
    sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }'
}

facets_of() {
    # shellcheck disable=SC2086
    "$lede" --db "$1" search --json --exact --limit 0 --facet-limit 100 \
        --facets tag,place,author -- $2 | jq -c '[.total, .facets]'
}

echo "| query | hits | old, no facets ms | old, facets ms | new, no facets ms | new, facets ms | same facets |"
echo "|---|---:|---:|---:|---:|---:|---|"
while IFS= read -r q; do
    [ -n "$q" ] || continue
    echo "bench/facets.sh: $q" >&2
    declare -A t=()
    for ((i = 0; i < repeats; i++)); do
        for cell in "old none" "old facets" "new none" "new facets"; do
            set -- $cell
            db=$old_db
            [ "$1" = new ] && db=$new_db
            t[$cell]+="$(took "$db" "$q" "$2")"$'\n'
        done
    done
    same=no
    [ "$(facets_of "$old_db" "$q")" = "$(facets_of "$new_db" "$q")" ] && same=yes
    hits=$(facets_of "$new_db" "$q" | jq '.[0]')
    row="| $q | $hits"
    for cell in "old none" "old facets" "new none" "new facets"; do
        row+=" | $(printf '%s' "${t[$cell]}" | median)"
    done
    echo "$row | $same |"
    unset t
done <<<"$queries"
