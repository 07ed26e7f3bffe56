#!/usr/bin/env bash
# Measures the relevance of lede's ranking against untuned Xapian BM25 and
# Sphinx's bm25 and proximity_bm25 rankers on a judged test collection,
# and prints a markdown section for bench/RESULTS.md on standard output.
#
# One run:
#   1. indexes the collection's corpus with lede-indexer (lede's defaults),
#      and a second time with each title folded into its body (one text
#      field: no field weighting) for the untuned baseline;
#   2. runs every query through lede-trecrun with any-word matching:
#        lede default   lede's ranking on the first index
#        Xapian BM25    Xapian's BM25Weight with its default parameters and
#                       no stopwords, on the second index
#   3. when Sphinx and lede-sphinxrun are there: indexes the same articles
#      with Sphinx's indexer (bench/relevance/sphinx.conf.in: title and body
#      fields, stem_en), once as Sphinx ships (no stopwords) and once with
#      lede's stopword list, starts its searchd on 127.0.0.1 with a free
#      port, and runs the queries as any-word quorums through the bm25 and
#      proximity_bm25 rankers on both;
#   4. evaluates each run with lede-treceval -c (trec_eval's definitions,
#      averaged over every judged query) and prints the table, with the
#      p-value of each difference in nDCG@10 from lede's (a two-sided
#      paired randomization test over the queries).
#
# Environment:
#   LEDE_EVAL     test collections (default: ../shared/eval next to the repo)
#   COLLECTION    the collection under LEDE_EVAL (default cranfield): it holds
#                 corpus.jsonl.gz, queries.tsv (qid<TAB>text), qrels.tsv
#   QRELS         the judgments file in it (default qrels.tsv)
#   LEDE_BIN_DIR  a build directory (default: build/, built in Release mode
#                 when its tools are missing)
#   DEPTH         hits per query (default 100)
#   RUNS_DIR      keep the run files and per-query figures here (default:
#                 removed with the work directory)
#
# Exits 0 with a message when the collection is missing, and runs without
# the Sphinx rows when Sphinx or libmariadb is missing. Progress goes to
# standard error; only the markdown goes to standard output.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
GIVEN_SETTINGS=""
for name in LEDE_EVAL COLLECTION QRELS LEDE_BIN_DIR DEPTH; do
    value=${!name:-}
    value=${value#"$REPO"/}
    [[ -z $value ]] || GIVEN_SETTINGS+=" $name=$value"
done
EVAL_DIR=${LEDE_EVAL:-$REPO/../shared/eval}
COLLECTION=${COLLECTION:-cranfield}
QRELS=${QRELS:-qrels.tsv}
BIN_DIR=${LEDE_BIN_DIR:-$REPO/build}
DEPTH=${DEPTH:-100}
RUNS_DIR=${RUNS_DIR:-}
# How long Sphinx's searchd may take to listen, and to stop.
SPHINX_START_TIMEOUT_SECONDS=30
SPHINX_STOP_TIMEOUT_SECONDS=10
# Random sign flips of the paired randomization test.
PERMUTATIONS=10000
SPHINX_INDEXER=${SPHINX_INDEXER:-indexer}
SPHINX_SEARCHD=${SPHINX_SEARCHD:-searchd}

WORK_DIR=""
SPHINX_CONF=""

# Stops Sphinx's searchd when it runs, and removes the work directory.
cleanup() {
    if [[ -n $SPHINX_CONF && -s $WORK_DIR/sphinx/searchd.pid ]]; then
        "$SPHINX_SEARCHD" --config "$SPHINX_CONF" --stopwait >/dev/null 2>&1 || true
    fi
    if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then
        rm -rf -- "$WORK_DIR"
    fi
}

collection_file() {
    printf '%s\n' "$EVAL_DIR/$COLLECTION/$1"
}

require_collection_or_skip() {
    local f
    for f in corpus.jsonl.gz queries.tsv "$QRELS"; do
        if [[ ! -r $(collection_file "$f") ]]; then
            note "skipped: $(collection_file "$f") not found (set LEDE_EVAL or COLLECTION)"
            exit 0
        fi
    done
    [[ $DEPTH =~ ^[1-9][0-9]*$ && $DEPTH -le 1000 ]] || die "DEPTH must be 1 to 1000, not '$DEPTH'"
}

tool() {
    case $1 in
    lede-indexer) printf '%s\n' "$BIN_DIR/indexer/lede-indexer" ;;
    *) printf '%s\n' "$BIN_DIR/bench/relevance/$1" ;;
    esac
}

# Builds the default build directory when a tool is missing; a directory
# given in LEDE_BIN_DIR must already hold them.
require_tools() {
    local t missing=""
    for t in lede-indexer lede-trecrun lede-treceval lede-relconv; do
        [[ -x $(tool "$t") ]] || missing+=" $t"
    done
    [[ -n $missing ]] || return 0
    [[ -z ${LEDE_BIN_DIR:-} ]] || die "$BIN_DIR lacks$missing (build it first)"
    note "building $BIN_DIR (Release) for$missing"
    BUILD_DIR=$BIN_DIR BUILD_TYPE=Release "$REPO/scripts/build.sh" -DLEDE_WERROR=OFF >&2
}

# lede-indexer exits 1 when it rejected records (reported on standard
# error) and indexed the rest: a collection may hold empty documents.
index_with_lede() {
    local db=$1 status=0
    shift
    "$(tool lede-indexer)" --db "$db" --no-progress "$@" >"$db.log" 2>&1 || status=$?
    if ((status > 1)); then
        cat "$db.log" >&2
        die "lede-indexer failed ($status)"
    fi
    note "$(grep '^lede-indexer: added' "$db.log" | tail -n 1)"
}

build_lede_indexes() {
    local corpus
    corpus=$(collection_file corpus.jsonl.gz)
    note "indexing $corpus with lede-indexer"
    index_with_lede "$WORK_DIR/lede" "$corpus"
    "$(tool lede-relconv)" --to flat-jsonl "$corpus" >"$WORK_DIR/flat.jsonl" 2>/dev/null || true
    note "indexing it again with titles folded into bodies (untuned baseline)"
    index_with_lede "$WORK_DIR/flat" "$WORK_DIR/flat.jsonl"
}

# lede_run NAME INDEX RANKING
lede_run() {
    note "running the queries: $1"
    "$(tool lede-trecrun)" --db "$WORK_DIR/$2" --queries "$(collection_file queries.tsv)" \
        --ranking "$3" --depth "$DEPTH" --tag "$1" -o "$WORK_DIR/runs/$1.run"
}

# lede_match_run NAME RELAX_BELOW: lede default with the protocol's match
# auto, relaxing to any word below RELAX_BELOW all-words hits.
lede_match_run() {
    note "running the queries: $1"
    "$(tool lede-trecrun)" --db "$WORK_DIR/lede" --queries "$(collection_file queries.tsv)" \
        --match auto --relax-below "$2" --depth "$DEPTH" --tag "$1" -o "$WORK_DIR/runs/$1.run"
}

# lede_title_case_run NAME: lede default with every query word capitalised.
lede_title_case_run() {
    note "running the queries: $1"
    "$(tool lede-trecrun)" --db "$WORK_DIR/lede" --queries "$(collection_file queries.tsv)" \
        --title-case --depth "$DEPTH" --tag "$1" -o "$WORK_DIR/runs/$1.run"
}

# ---- Sphinx -----------------------------------------------------------------

# True when the Sphinx programs and lede-sphinxrun are there; says why not.
sphinx_available() {
    local prog banner
    for prog in "$SPHINX_INDEXER" "$SPHINX_SEARCHD"; do
        banner=$("$prog" --help 2>&1 | head -n 1 || true)
        if [[ $banner != Sphinx\ * ]]; then
            note "Sphinx's $prog not found (apt-get install sphinxsearch): no Sphinx rows"
            return 1
        fi
    done
    if [[ ! -x $(tool lede-sphinxrun) ]]; then
        note "lede-sphinxrun not built (apt-get install libmariadb-dev, rebuild): no Sphinx rows"
        return 1
    fi
}

sphinx_version() {
    "$SPHINX_INDEXER" --help 2>&1 | head -n 1 | awk '{ print $2 }'
}

# A TCP port on 127.0.0.1 that nothing listens on.
free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    die "no free port found"
}

# $1 escaped for the replacement side of sed's s|...|...|.
sed_escape() {
    local v=${1//\\/\\\\}
    v=${v//&/\\&}
    printf '%s\n' "${v//|/\\|}"
}

# lede's stopword list, one word a line, from its one definition.
write_stopwords() {
    sed -n '/STOPWORDS\[\] = {/,/};/p' "$REPO/shim/stopwords.cc" | grep -o '"[a-z]*"' |
        tr -d '"' >"$1"
    [[ -s $1 ]] || die "no stopword list found in shim/stopwords.cc"
}

write_sphinx_conf() {
    local dir=$WORK_DIR/sphinx
    mkdir -p "$dir"
    SPHINX_CONF=$dir/sphinx.conf
    write_stopwords "$dir/stopwords.txt"
    sed -e "s|@DIR@|$(sed_escape "$dir")|g" \
        -e "s|@STOPWORDS@|$(sed_escape "$dir/stopwords.txt")|g" \
        -e "s|@RELCONV@|$(sed_escape "$(tool lede-relconv)")|g" \
        -e "s|@CORPUS@|$(sed_escape "$(collection_file corpus.jsonl.gz)")|g" \
        -e "s|@PORT@|$1|g" "$REPO/bench/relevance/sphinx.conf.in" >"$SPHINX_CONF"
}

# Waits until searchd answers on port $1.
wait_for_sphinx() {
    local i
    for ((i = 0; i < SPHINX_START_TIMEOUT_SECONDS * 10; i++)); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    cat "$WORK_DIR/sphinx/searchd.log" >&2 2>/dev/null || true
    die "Sphinx's searchd did not listen on port $1 within $SPHINX_START_TIMEOUT_SECONDS s"
}

sphinx_runs() {
    local port index ranker name
    port=$(free_port)
    write_sphinx_conf "$port"
    note "indexing with Sphinx's indexer"
    "$SPHINX_INDEXER" --config "$SPHINX_CONF" --all >"$WORK_DIR/sphinx/indexer.log" 2>&1 ||
        { cat "$WORK_DIR/sphinx/indexer.log" >&2; die "Sphinx's indexer failed"; }
    note "starting Sphinx's searchd on 127.0.0.1:$port"
    "$SPHINX_SEARCHD" --config "$SPHINX_CONF" >"$WORK_DIR/sphinx/start.log" 2>&1 ||
        { cat "$WORK_DIR/sphinx/start.log" >&2; die "Sphinx's searchd did not start"; }
    wait_for_sphinx "$port"
    for index in corpus corpus_stop; do
        for ranker in bm25 proximity_bm25; do
            name=sphinx-$ranker${index#corpus}
            note "running the queries: $name"
            "$(tool lede-sphinxrun)" --port "$port" --index "$index" --ranker "$ranker" \
                --queries "$(collection_file queries.tsv)" --depth "$DEPTH" --tag "$name" \
                -o "$WORK_DIR/runs/$name.run"
        done
    done
    "$SPHINX_SEARCHD" --config "$SPHINX_CONF" --stopwait >/dev/null 2>&1 || true
}

# ---- Report -----------------------------------------------------------------

# evaluate NAME: the mean figures of run NAME as "ndcg map p10 recall";
# the per-query figures go to NAME.eval.
evaluate() {
    local run=$WORK_DIR/runs/$1.run qrels
    qrels=$(collection_file "$QRELS")
    "$(tool lede-treceval)" -q -c "$qrels" "$run" >"$WORK_DIR/runs/$1.eval"
    awk '$2 == "all" { v[$1] = $3 }
        END { printf "%s %s %s %s\n", v["ndcg_cut_10"], v["map"], v["P_10"], v["recall_100"] }' \
        "$WORK_DIR/runs/$1.eval"
}

# paired_p A B: the two-sided p-value of the difference in mean nDCG@10
# between runs A and B (their .eval files), by a paired randomization
# test: the share of random sign flips of the per-query differences whose
# sum is at least as far from 0 as the observed one. Fixed seed.
paired_p() {
    awk -v perms="$PERMUTATIONS" '
        $1 == "ndcg_cut_10" && $2 != "all" { if (FILENAME == ARGV[1]) a[$2] = $3; else b[$2] = $3 }
        END {
            for (q in a) { d[++n] = a[q] - b[q]; obs += d[n] }
            obs = obs < 0 ? -obs : obs
            srand(1)
            for (p = 0; p < perms; p++) {
                s = 0
                for (i = 1; i <= n; i++) s += rand() < 0.5 ? d[i] : -d[i]
                if ((s < 0 ? -s : s) >= obs - 1e-12) hits++
            }
            printf "%.4f\n", (hits + 1) / (perms + 1)
        }' "$WORK_DIR/runs/$1.eval" "$WORK_DIR/runs/$2.eval"
}

# row LABEL NAME BASE_NDCG: one table row, with nDCG@10 relative to lede's.
row() {
    local f p="" ratio
    read -r -a f <<<"$(evaluate "$2")"
    [[ $2 == lede-default ]] || p=$(paired_p lede-default "$2")
    ratio=$(awk -v a="$3" -v b="${f[0]}" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2fx", a / b }')
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "${f[0]}" "${f[1]}" "${f[2]}" "${f[3]}" \
        "$ratio" "${p:--}"
}

print_header() {
    local queries judged
    queries=$(grep -c . "$(collection_file queries.tsv)")
    judged=$(awk '{ print $1 }' "$(collection_file "$QRELS")" | sort -u | wc -l)
    printf '## Relevance: %s\n\n' "$COLLECTION"
    printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf -- '- machine: %s cores, %s\n' "$(nproc)" "$(cpu_model)"
    printf -- '- lede %s, Xapian %s' "$(lede_commit)" "$(xapian_version)"
    if [[ $SPHINX_DONE == 1 ]]; then printf ', Sphinx %s' "$(sphinx_version)"; fi
    printf '\n- collection: %s queries, %s judged (%s), %s hits per query, any-word matching\n' \
        "$queries" "$judged" "$QRELS" "$DEPTH"
    printf -- '- command: %s\n\n' "$(as_code "${GIVEN_SETTINGS# }${GIVEN_SETTINGS:+ }bench/relevance.sh")"
}

print_table() {
    local base
    read -r -a base <<<"$(evaluate lede-default)"
    printf '| ranking | nDCG@10 | MAP | P@10 | R@100 | lede nDCG@10 / this | p |\n'
    printf '|---|---|---|---|---|---|---|\n'
    row "lede default" lede-default "${base[0]}"
    row "Xapian BM25, untuned" xapian-bm25 "${base[0]}"
    row "lede default, match auto, relaxed when none match (before issue 12)" lede-auto-1 "${base[0]}"
    row "lede default, match auto, relaxed below 10 (relax_below, issue 12)" lede-auto-10 "${base[0]}"
    row "lede default, queries in Title Case" lede-title-case "${base[0]}"
    if [[ $SPHINX_DONE == 1 ]]; then
        row "Sphinx bm25" sphinx-bm25 "${base[0]}"
        row "Sphinx proximity_bm25" sphinx-proximity_bm25 "${base[0]}"
        row "Sphinx bm25, lede's stopwords" sphinx-bm25_stop "${base[0]}"
        row "Sphinx proximity_bm25, lede's stopwords" sphinx-proximity_bm25_stop "${base[0]}"
    fi
    printf '\nMeans over every judged query (trec_eval -c), from lede-treceval. p: two-sided\n'
    printf 'paired randomization test of the nDCG@10 difference from lede default (%s sign\n' \
        "$PERMUTATIONS"
    printf 'flips). Untuned Xapian BM25: BM25Weight() (k1=1, b=0.5), no stopwords, the title\n'
    printf 'folded into the body (no field weights). Sphinx: title and body fields of equal\n'
    printf 'weight, stem_en; the query as a quorum "w1 ... wn"/1 (any word). match auto:\n'
    printf 'every word, and any word (the articles with every word first) when fewer\n'
    printf 'than the number given have every word (the protocol'"'"'s default).\n'
}

keep_runs() {
    [[ -n $RUNS_DIR ]] || return 0
    mkdir -p "$RUNS_DIR"
    cp "$WORK_DIR"/runs/*.run "$WORK_DIR"/runs/*.eval "$RUNS_DIR"/
    note "run files and per-query figures are in $RUNS_DIR"
}

main() {
    require_collection_or_skip
    require_tools
    mkdir -p "$REPO/var"
    WORK_DIR=$(mktemp -d "$REPO/var/relevance.XXXXXX")
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    mkdir -p "$WORK_DIR/runs"
    build_lede_indexes
    lede_run lede-default lede default
    lede_run xapian-bm25 flat xapian-bm25
    lede_match_run lede-auto-1 1
    lede_match_run lede-auto-10 10
    lede_title_case_run lede-title-case
    SPHINX_DONE=0
    if sphinx_available; then
        sphinx_runs
        SPHINX_DONE=1
    fi
    print_header
    print_table
    keep_runs
}

main "$@"
