#!/usr/bin/env bash
# Measures lede's spelling on Reuters-21578 (issue 12, item 1) and prints a
# markdown section for bench/RESULTS.md on standard output:
#
#   * bench/spelling/correct.txt: correctly spelled queries (plurals,
#     tenses, capitals, names); the share that gets a suggestion or a
#     correction should be 0;
#   * bench/spelling/misspelt.tsv: misspellings of index words, one or two
#     edits away, with the query intended; the share for which the intended
#     query is suggested or searched instead ("corrected") should be at
#     least 80%.
#
# Each query goes through search_execute() with the protocol's defaults
# (match auto, spelling auto) in lede-spellrun. Misses are listed.
#
# Environment:
#   CORPUS        the articles (default: ../shared/corpora/reuters21578/articles.jsonl.gz)
#   LEDE_BIN_DIR  a build directory (default: build/, built when its tools
#                 are missing)
#   DB            an index of CORPUS already built (default: one is built
#                 in a temporary directory and removed)
#
# Exits 0 with a message when the corpus is missing. Progress goes to
# standard error.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
CORPUS=${CORPUS:-$REPO/../shared/corpora/reuters21578/articles.jsonl.gz}
BIN_DIR=${LEDE_BIN_DIR:-$REPO/build}
DB=${DB:-}
# The share of misspellings that must be put right (issue 12).
TARGET_PERCENT=80
WORK_DIR=""

cleanup() {
    if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then rm -rf -- "$WORK_DIR"; fi
}

require_tools() {
    local t missing=""
    for t in indexer/lede-indexer bench/relevance/lede-spellrun; do
        [[ -x $BIN_DIR/$t ]] || missing+=" ${t##*/}"
    done
    [[ -n $missing ]] || return 0
    [[ -z ${LEDE_BIN_DIR:-} ]] || die "$BIN_DIR lacks$missing (build it first)"
    note "building $BIN_DIR for$missing"
    BUILD_DIR=$BIN_DIR "$REPO/scripts/build.sh" >&2
}

# The lines of a query file without its comments; column $2 of a TSV.
queries() {
    grep -v '^#' "$1" | grep . | cut -f "$2"
}

# percent N OF
percent() {
    awk -v n="$1" -v d="$2" 'BEGIN { printf "%.1f", d ? 100 * n / d : 0 }'
}

main() {
    [[ -r $CORPUS ]] || { note "skipped: $CORPUS not found (set CORPUS)"; exit 0; }
    require_tools
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lede-spelling.XXXXXX")
    trap cleanup EXIT
    local db=$DB spell=$BIN_DIR/bench/relevance/lede-spellrun w=$WORK_DIR
    if [[ -z $db ]]; then
        db=$w/index
        note "indexing $CORPUS"
        "$BIN_DIR/indexer/lede-indexer" --db "$db" --no-progress "$CORPUS" >"$w/index.log" 2>&1 ||
            (($? == 1)) || { cat "$w/index.log" >&2; die "lede-indexer failed"; }
    fi
    queries "$REPO/bench/spelling/correct.txt" 1 >"$w/correct.txt"
    queries "$REPO/bench/spelling/misspelt.tsv" 1 >"$w/misspelt.txt"
    queries "$REPO/bench/spelling/misspelt.tsv" 2 >"$w/intended.txt"
    note "running $(wc -l <"$w/correct.txt") correct and $(wc -l <"$w/misspelt.txt") misspelt queries"
    "$spell" --db "$db" "$w/correct.txt" >"$w/correct.out"
    "$spell" --db "$db" "$w/misspelt.txt" >"$w/misspelt.out"
    "$spell" --db "$db" --spelling off "$w/misspelt.txt" >"$w/as-typed.out"
    report "$w"
}

report() {
    local w=$1 n_ok flagged n_bad fixed in_index
    n_ok=$(wc -l <"$w/correct.txt")
    flagged=$(awk -F'\t' '$2 != "none"' "$w/correct.out" | wc -l)
    n_bad=$(wc -l <"$w/misspelt.txt")
    paste "$w/misspelt.out" "$w/intended.txt" >"$w/judged.tsv"
    fixed=$(awk -F'\t' 'tolower($3) == tolower($5)' "$w/judged.tsv" | wc -l)
    in_index=$(awk -F'\t' '$4 > 0 && $1 !~ / /' "$w/as-typed.out" | wc -l)
    printf '## Spelling on Reuters-21578 (issue 12)\n\n'
    printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf -- '- lede %s, Xapian %s\n' "$(lede_commit)" "$(xapian_version)"
    printf -- '- command: %s\n\n' "$(as_code "bench/spelling.sh")"
    printf '| query set | queries | wanted | result |\n|---|---|---|---|\n'
    printf '| correctly spelled (bench/spelling/correct.txt) | %s | no suggestion | **%s given one (%s%%)** |\n' \
        "$n_ok" "$flagged" "$(percent "$flagged" "$n_ok")"
    printf '| misspelt, 1-2 edits (bench/spelling/misspelt.tsv) | %s | the intended query suggested or searched | **%s (%s%%; target %s%%)** |\n\n' \
        "$n_bad" "$fixed" "$(percent "$fixed" "$n_bad")" "$TARGET_PERCENT"
    printf 'One-word misspellings of the list found in the index as typed, lower-cased or stemmed (never corrected): %s.\n\n' "$in_index"
    if ((flagged > 0)); then
        printf 'Correct queries given a suggestion:\n\n'
        awk -F'\t' '$2 != "none" { printf "- `%s` -> `%s` (%s)\n", $1, $3, $2 }' "$w/correct.out"
        printf '\n'
    fi
    printf 'Misspellings not put right:\n\n'
    awk -F'\t' 'tolower($3) != tolower($5) {
        printf "- `%s` (meant `%s`): %s\n", $1, $5, $2 == "none" ? "nothing" : $2 " `" $3 "`" }' \
        "$w/judged.tsv"
}

main "$@"
