#!/usr/bin/env bash
# What reading articles from raw text pages costs over reading the same
# articles as JSON Lines: page extraction, the pass that learns site
# furniture, and reading one file per article. Prints a markdown section
# for bench/RESULTS.md on standard output.
#
#   lede-pages write  turns a corpus into one scraped-looking page per
#                     article (site header, menu, headline, byline, date,
#                     text, share and related lines) and writes the articles
#                     whose page yields one as JSON Lines beside them
#   pages             lede-indexer --db D DIR            (the pages)
#   JSON Lines        lede-indexer --db D DIR.jsonl      (the same articles)
#   extraction only   lede-pages time DIR: extract_text() alone, files read
#                     before the clock starts
#
# Runs alternate (pages, JSON Lines, pages, ...) on fresh indexes, so that a
# shared machine's noise falls on both; CPU seconds are reported because
# they move less than wall time.
#
# Environment:
#   LEDE_CORPUS   the corpus (default: ../shared/corpora/reuters21578)
#   LEDE_BUILD    a Release build directory (default: build-rel, built with
#                 scripts/build.sh when missing)
#   REPEATS       runs of each (default 3)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
CORPUS=${LEDE_CORPUS:-$REPO/../shared/corpora/reuters21578/articles.jsonl.gz}
BUILD=${LEDE_BUILD:-$REPO/build-rel}
REPEATS=${REPEATS:-3}
GNU_TIME=/usr/bin/time

[[ -r $CORPUS ]] || die "no corpus at $CORPUS (set LEDE_CORPUS)"
[[ -x $GNU_TIME ]] || die "needs GNU time ($GNU_TIME: apt-get install time)"
if [[ ! -x $BUILD/indexer/lede-indexer || ! -x $BUILD/bench/lede-pages ]]; then
    note "building $BUILD (Release)"
    BUILD_DIR=$BUILD BUILD_TYPE=Release "$REPO/scripts/build.sh" >&2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lede-overhead.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/pages"
note "writing pages from $CORPUS"
"$BUILD/bench/lede-pages" write "$CORPUS" "$WORK/pages" >&2

# Runs lede-indexer on $1 into a fresh index; prints "user+sys wall".
index_cpu() {
    rm -rf "$WORK/db"
    "$GNU_TIME" -f '%U %S %e' -o "$WORK/time" "$BUILD/indexer/lede-indexer" \
        --db "$WORK/db" --no-progress -q "$1" >/dev/null 2>"$WORK/err" || true
    awk '{ printf "%.2f %.2f\n", $1 + $2, $3 }' "$WORK/time"
}

: >"$WORK/pages.cpu"
: >"$WORK/jsonl.cpu"
for ((i = 1; i <= REPEATS; i++)); do
    note "run $i of $REPEATS: pages"
    index_cpu "$WORK/pages" >>"$WORK/pages.cpu"
    note "run $i of $REPEATS: JSON Lines"
    index_cpu "$WORK/pages.jsonl" >>"$WORK/jsonl.cpu"
done
extract=$("$BUILD/bench/lede-pages" time "$WORK/pages")

pages_cpu=$(cut -d' ' -f1 "$WORK/pages.cpu" | median)
jsonl_cpu=$(cut -d' ' -f1 "$WORK/jsonl.cpu" | median)
pages_wall=$(cut -d' ' -f2 "$WORK/pages.cpu" | median)
jsonl_wall=$(cut -d' ' -f2 "$WORK/jsonl.cpu" | median)
articles=$(wc -l <"$WORK/pages.jsonl")
extract_cpu=$(awk '{ for (i = 1; i < NF; i++) if ($i == "cpu_s") print $(i + 1) }' <<<"$extract")

cat <<EOT
### Raw text pages against JSON Lines ($(date -u +%Y-%m-%d), commit $(lede_commit))

$(cpu_model), $(nproc) cores; corpus $(basename "$(dirname "$CORPUS")"): $articles articles whose page
yields one; median of $REPEATS alternating runs, fresh index each.
Command: $(as_code "REPEATS=$REPEATS bench/extract/overhead.sh")

| input | CPU s | wall s |
|---|--:|--:|
| pages (extraction, furniture pass, a file each) | $pages_cpu | $pages_wall |
| the same articles as JSON Lines | $jsonl_cpu | $jsonl_wall |
| pages / JSON Lines | $(ratio "$pages_cpu" "$jsonl_cpu") | $(ratio "$pages_wall" "$jsonl_wall") |

extract_text() alone over the pages: $extract_cpu CPU s ($extract).
EOT
