#!/usr/bin/env bash
# Measures lede-indexer's full build against a single-writer baseline and
# against Sphinx's indexer, and prints a markdown section for
# bench/RESULTS.md on standard output.
#
# The configurations are run in the same session, interleaved, each on a
# fresh index, so that machine noise falls on all alike:
#   lede default            lede-indexer --db D --no-progress INPUT...
#   single-writer baseline  the same with --threads 1 and one shard for the
#                           whole corpus: what a plain Xapian loop does.
#   Sphinx indexer          lede-sphinxconv turns INPUT... into a tsvpipe file
#                           (timed on its own), then Sphinx 2.2's indexer
#                           --all builds the index of bench/sphinx/sphinx.conf.in.
#
# Environment:
#   LEDE_CORPORA  corpora directory (default: ../shared/corpora next to the repo)
#   LEDE_INDEXER  the lede-indexer binary (default: build/indexer/lede-indexer,
#                 built with scripts/build.sh in Release mode when missing)
#   LEDE_SPHINXCONV  lede-sphinxconv (default: bench/lede-sphinxconv in the
#                 build directory of LEDE_INDEXER)
#   SPHINX_INDEXER   Sphinx's indexer (default: indexer on PATH); the script
#                 exits 0 with a message when it is missing
#   REPEATS       runs per configuration and workload (default 3)
#
# Progress goes to standard error; only the markdown goes to standard output.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
CORPORA=${LEDE_CORPORA:-$REPO/../shared/corpora}
INDEXER=${LEDE_INDEXER:-$REPO/build/indexer/lede-indexer}
# lede-sphinxconv sits in the same build directory as lede-indexer.
SPHINXCONV=${LEDE_SPHINXCONV:-$(dirname "$(dirname "$INDEXER")")/bench/lede-sphinxconv}
REPEATS=${REPEATS:-3}
GNU_TIME=/usr/bin/time
# One shard for the whole corpus: the largest value --shard-docs accepts,
# far above the size of any corpus measured here.
BASELINE_SHARD_DOCS=10000000

# Configurations 0-2 are run; 3 and 4 are the two parts of a Sphinx run
# seen apart: 3 the conversion alone, 4 conversion and indexer together.
CONFIG_NAMES=("lede default" "single-writer baseline" "Sphinx indexer"
    "Sphinx input conversion (lede-sphinxconv)" "Sphinx conversion + indexer")
RUN_CONFIGS=(0 1 2)
SPHINX=2
CONVERSION=3
SPHINX_TOTAL=4
WORKLOAD_NAMES=("reuters21578" "all three corpora")
WORK_DIR=""

remove_work_dir() {
    if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then
        rm -rf -- "$WORK_DIR"
    fi
}

# Exits 0 with a message when the corpora are not there: the benchmark is
# optional on machines without them.
require_corpora_or_skip() {
    local name
    for name in reuters21578 20newsgroups bbc; do
        if [[ ! -r $CORPORA/$name/articles.jsonl.gz ]]; then
            note "skipped: $CORPORA/$name/articles.jsonl.gz not found (set LEDE_CORPORA)"
            exit 0
        fi
    done
}

require_tools() {
    [[ -x $GNU_TIME ]] || die "GNU time is missing; install it with: apt-get install -y time"
    [[ $REPEATS =~ ^[1-9][0-9]*$ ]] || die "REPEATS must be a positive whole number, not '$REPEATS'"
}

build_indexer_if_missing() {
    if [[ -x $INDEXER && -x $SPHINXCONV ]]; then
        return
    fi
    [[ -z ${LEDE_INDEXER:-} ]] || die "$INDEXER or $SPHINXCONV is not an executable (build it, or set LEDE_SPHINXCONV)"
    note "building lede-indexer and lede-sphinxconv (Release) with scripts/build.sh"
    # Warnings must not stop a benchmark build; the normal builds keep -Werror.
    BUILD_TYPE=Release "$REPO/scripts/build.sh" -DLEDE_WERROR=OFF >&2
    [[ -x $INDEXER && -x $SPHINXCONV ]] || die "scripts/build.sh did not produce $INDEXER and $SPHINXCONV"
}

# Prints the input files of workload number $1, one per line.
workload_inputs() {
    case $1 in
    0) printf '%s\n' "$CORPORA/reuters21578/articles.jsonl.gz" ;;
    1) printf '%s\n' "$CORPORA"/{reuters21578,20newsgroups,bbc}/articles.jsonl.gz ;;
    *) die "no workload $1" ;;
    esac
}

# Prints the extra options of configuration number $1, one per line.
config_options() {
    case $1 in
    0) ;;
    1) printf '%s\n' --threads 1 --shard-docs "$BASELINE_SHARD_DOCS" ;;
    *) die "no configuration $1" ;;
    esac
}

# Uncompressed size of workload $1's input text, in bytes.
workload_text_bytes() {
    local -a inputs
    mapfile -t inputs < <(workload_inputs "$1")
    zcat -- "${inputs[@]}" | wc -c
}

# On-disk size, in bytes, of the generation that D/XAPIANDB points at
# (the stub holds "auto gen-NNNNNN").
live_generation_bytes() {
    local db=$1 kind gen
    read -r kind gen <"$db/XAPIANDB" || die "$db/XAPIANDB is unreadable"
    [[ $kind == auto && $gen == gen-* ]] || die "$db/XAPIANDB: unexpected stub '$kind $gen'"
    du -sb -- "$db/$gen" | cut -f1
}

# The N in "added N" from lede-indexer's summary line.
added_count() {
    sed -n 's/^lede-indexer: added \([0-9][0-9]*\),.*/\1/p' "$1" | tail -n 1
}

# Runs a command under GNU time, its output in $1.{stdout,stderr,time};
# prints "wall_s peak_rss_kb cpu_s exit_status" (cpu_s: user + system).
timed() {
    local base=$1 status=0 wall rss user sys
    shift
    "$GNU_TIME" -f '%e %M %U %S' -o "$base.time" "$@" >"$base.stdout" 2>"$base.stderr" ||
        status=$?
    # GNU time puts "Command exited with non-zero status N" before its own line.
    read -r wall rss user sys < <(tail -n 1 -- "$base.time")
    printf '%s %s %s %s\n' "$wall" "$rss" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
        "$status"
}

# Appends "workload config wall_s docs rss_kb index_bytes cpu_s" to $1.
record_run() {
    local results=$1
    shift
    printf '%s %s %s %s %s %s %s\n' "$@" >>"$results"
}

# Runs the Sphinx configuration on workload $1 once: the conversion into a
# tsvpipe file, then Sphinx's indexer into a fresh index directory. Appends
# one line each for the conversion, the indexer and both to the file $2.
measure_sphinx_run() {
    local workload=$1 results=$2 run_dir status wall rss cpu docs size
    local conv_wall conv_rss conv_cpu conv_docs
    local -a inputs
    mapfile -t inputs < <(workload_inputs "$workload")
    run_dir=$(mktemp -d "$WORK_DIR/run.XXXXXX")
    mkdir "$run_dir/index"
    read -r conv_wall conv_rss conv_cpu status < <(timed "$run_dir/conv" "$SPHINXCONV" \
        -o "$run_dir/articles.tsv" "${inputs[@]}")
    # Status 1 means some records were rejected, as lede-indexer rejects them.
    ((status <= 1)) || die "lede-sphinxconv failed with status $status: $(cat -- "$run_dir/conv.stderr")"
    conv_docs=$(sed -n 's/^lede-sphinxconv: wrote \([0-9][0-9]*\),.*/\1/p' "$run_dir/conv.stderr")
    sphinx_write_conf "$run_dir/sphinx.conf" "$run_dir/articles.tsv" "$run_dir/index" "$run_dir" 9306
    read -r wall rss cpu status < <(timed "$run_dir/indexer" "$SPHINX_INDEXER_BIN" \
        --config "$run_dir/sphinx.conf" --all)
    docs=$(sphinx_indexed_docs "$run_dir/indexer.stdout")
    if ((status != 0)) || [[ -z $docs ]]; then
        cat -- "$run_dir/indexer.stdout" "$run_dir/indexer.stderr" >&2
        die "Sphinx indexer failed with status $status (${WORKLOAD_NAMES[workload]})"
    fi
    size=$(du -sb -- "$run_dir/index" | cut -f1)
    record_run "$results" "$workload" "$CONVERSION" "$conv_wall" "$conv_docs" "$conv_rss" 0 "$conv_cpu"
    record_run "$results" "$workload" "$SPHINX" "$wall" "$docs" "$rss" "$size" "$cpu"
    record_run "$results" "$workload" "$SPHINX_TOTAL" \
        "$(awk -v a="$conv_wall" -v b="$wall" 'BEGIN { print a + b }')" "$docs" \
        "$((rss > conv_rss ? rss : conv_rss))" "$size" \
        "$(awk -v a="$conv_cpu" -v b="$cpu" 'BEGIN { print a + b }')"
    note "  conversion: ${conv_docs} docs in ${conv_wall} s (CPU ${conv_cpu} s), peak RSS ${conv_rss} KB"
    note "  Sphinx indexer: ${docs} docs in ${wall} s (CPU ${cpu} s), peak RSS ${rss} KB, index ${size} B"
    rm -rf -- "$run_dir"
}

# Runs configuration $1 on workload $2 once into a fresh index and appends
# its line (record_run) to the file $3.
measure_one_run() {
    local config=$1 workload=$2 results=$3
    if ((config == SPHINX)); then
        measure_sphinx_run "$workload" "$results"
        return
    fi
    local run_dir db status wall rss cpu docs size
    local -a inputs options
    mapfile -t inputs < <(workload_inputs "$workload")
    mapfile -t options < <(config_options "$config")
    run_dir=$(mktemp -d "$WORK_DIR/run.XXXXXX")
    db=$run_dir/db
    read -r wall rss cpu status < <(timed "$run_dir/indexer" "$INDEXER" --db "$db" --no-progress \
        "${options[@]}" "${inputs[@]}")
    # Status 1 means some records were rejected; the rest were indexed.
    if ((status > 1)); then
        cat -- "$run_dir/indexer.stderr" >&2
        die "lede-indexer failed with status $status (${CONFIG_NAMES[config]}, ${WORKLOAD_NAMES[workload]})"
    fi
    docs=$(added_count "$run_dir/indexer.stdout")
    [[ -n $docs ]] || die "no 'added N' in lede-indexer's output: $(cat -- "$run_dir/indexer.stdout")"
    size=$(live_generation_bytes "$db")
    record_run "$results" "$workload" "$config" "$wall" "$docs" "$rss" "$size" "$cpu"
    note "  ${CONFIG_NAMES[config]}: ${docs} docs in ${wall} s (CPU ${cpu} s), peak RSS ${rss} KB, index ${size} B, status $status"
    rm -rf -- "$run_dir"
}

# Runs every workload REPEATS times, alternating the configurations
# (A B A B ...) so that both see the same background load.
measure_all_runs() {
    local results=$1 repeat workload config
    for ((repeat = 1; repeat <= REPEATS; repeat++)); do
        for workload in "${!WORKLOAD_NAMES[@]}"; do
            note "repeat $repeat/$REPEATS, ${WORKLOAD_NAMES[workload]}"
            for config in "${RUN_CONFIGS[@]}"; do
                measure_one_run "$config" "$workload" "$results"
            done
        done
    done
}

# Prints one metric per run of configuration $2 on workload $3 from the
# results file $1. Metric: wall, cpu, docs, docs_per_s, mb_per_s, index_mb,
# rss_mb.
# $4 is the workload's uncompressed input size in bytes.
metric_per_run() {
    local results=$1 config=$2 workload=$3 text_bytes=$4 metric=$5
    awk -v c="$config" -v w="$workload" -v bytes="$text_bytes" -v m="$metric" '
        $1 == w && $2 == c {
            wall = $3; docs = $4; rss_kb = $5; size = $6; cpu = $7
            if (m == "wall") print wall
            else if (m == "cpu") print cpu
            else if (m == "docs") print docs
            else if (m == "docs_per_s") print docs / wall
            else if (m == "mb_per_s") print bytes / 1e6 / wall
            else if (m == "index_mb") print size / 1e6
            else if (m == "rss_mb") print rss_kb * 1024 / 1e6
        }' "$results"
}

median_metric() {
    metric_per_run "$@" | median
}

# "min–max" of a metric over the runs, to show the spread behind a median.
metric_range() {
    metric_per_run "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 }
        END { printf "%.0f–%.0f", lo, hi }'
}

# The command line that reproduces this run, with the settings that differ
# from the defaults.
invocation() {
    local words="REPEATS=$REPEATS" name value
    for name in LEDE_INDEXER LEDE_SPHINXCONV LEDE_CORPORA SPHINX_INDEXER; do
        value=${!name:-}
        [[ -z $value ]] || words+=" $name=${value#"$REPO"/}"
    done
    printf '%s bench/index.sh\n' "$words"
}

print_machine_facts() {
    local load_before=$1
    printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf -- '- machine: %s cores (nproc), %s, %s MB RAM\n' "$(nproc)" "$(cpu_model)" \
        "$(awk '/^MemTotal/ { printf "%.0f", $2 / 1024 }' /proc/meminfo)"
    printf -- '- load average (1 min) before / after: %s / %s\n' "$load_before" \
        "$(cut -d' ' -f1 /proc/loadavg)"
    printf -- '- Xapian %s; lede commit %s; binary %s\n' "$(xapian_version)" "$(lede_commit)" \
        "${INDEXER#"$REPO"/}"
    printf -- '- peer: %s\n' "$(sphinx_banner "$SPHINX_INDEXER_BIN")"
    printf -- '- command: %s; %s runs per cell, interleaved, medians shown\n' \
        "$(as_code "$(invocation)")" "$REPEATS"
    printf -- '- %s: %s\n' "${CONFIG_NAMES[0]}" \
        "$(as_code "lede-indexer --db D --no-progress INPUT...")"
    printf -- '- %s: %s\n' "${CONFIG_NAMES[1]}" \
        "$(as_code "lede-indexer --db D --no-progress $(config_options 1 | paste -sd' ') INPUT...")"
    printf -- '- %s: %s, then %s with %s (stem_en, min_word_len 1, title and body full-text, title also stored, date timestamp, source, category and article id string attributes, mem_limit 128M)\n' \
        "${CONFIG_NAMES[SPHINX]}" "$(as_code "lede-sphinxconv -o F.tsv INPUT...")" \
        "$(as_code "indexer --config C --all")" "$(as_code "bench/sphinx/sphinx.conf.in")"
}

# Medians of one configuration on one workload, into the arrays of
# print_workload_rows (bash's dynamic scope).
medians_of() {
    local results=$1 config=$2 workload=$3 text_bytes=$4
    docs_s[config]=$(median_metric "$results" "$config" "$workload" "$text_bytes" docs_per_s)
    mb_s[config]=$(median_metric "$results" "$config" "$workload" "$text_bytes" mb_per_s)
    index_mb[config]=$(median_metric "$results" "$config" "$workload" "$text_bytes" index_mb)
    rss_mb[config]=$(median_metric "$results" "$config" "$workload" "$text_bytes" rss_mb)
    cpu_s[config]=$(median_metric "$results" "$config" "$workload" "$text_bytes" cpu)
}

# The "lede / $2" row: configuration 0 against configuration $1.
print_ratio_row() {
    local peer=$1 label=$2 size rss
    size=$(ratio "${index_mb[0]}" "${index_mb[peer]}")
    rss=$(ratio "${rss_mb[0]}" "${rss_mb[peer]}")
    printf '| | **lede / %s** | | | %s | **%s** | %s | %s | %s |\n' "$label" \
        "$(ratio "${cpu_s[0]}" "${cpu_s[peer]}")" "$(ratio "${docs_s[0]}" "${docs_s[peer]}")" \
        "$(ratio "${mb_s[0]}" "${mb_s[peer]}")" "$size" "$rss"
}

# One table row per configuration, then the ratio rows, for workload $2.
print_workload_rows() {
    local results=$1 workload=$2 text_bytes config size
    local -a docs_s mb_s index_mb rss_mb cpu_s
    text_bytes=$(workload_text_bytes "$workload")
    for config in "${!CONFIG_NAMES[@]}"; do
        medians_of "$results" "$config" "$workload" "$text_bytes"
        ((config != SPHINX_TOTAL)) || continue
        size=$(printf '%.1f' "${index_mb[config]}")
        ((config != CONVERSION)) || size="–"
        printf '| %s (%.1f MB text) | %s | %s | %.1f | %.1f | %.0f (%s) | %.2f | %s | %.0f |\n' \
            "${WORKLOAD_NAMES[workload]}" "$(awk -v b="$text_bytes" 'BEGIN { print b / 1e6 }')" \
            "${CONFIG_NAMES[config]}" "$(median_metric "$results" "$config" "$workload" "$text_bytes" docs)" \
            "$(median_metric "$results" "$config" "$workload" "$text_bytes" wall)" "${cpu_s[config]}" \
            "${docs_s[config]}" "$(metric_range "$results" "$config" "$workload" "$text_bytes" docs_per_s)" \
            "${mb_s[config]}" "$size" "${rss_mb[config]}"
    done
    print_ratio_row 1 baseline
    print_ratio_row "$SPHINX" "Sphinx indexer"
    print_ratio_row "$SPHINX_TOTAL" "Sphinx conversion + indexer"
}

print_report() {
    local results=$1 load_before=$2 workload
    printf '## Indexing: lede default vs single-writer baseline and Sphinx\n\n'
    print_machine_facts "$load_before"
    printf '\n| workload | configuration | docs | wall s | CPU s | docs/s (min–max) | text MB/s | index MB | peak RSS MB |\n'
    printf '|---|---|---:|---:|---:|---:|---:|---:|---:|\n'
    for workload in "${!WORKLOAD_NAMES[@]}"; do
        print_workload_rows "$results" "$workload"
    done
    printf '\nMB = 10^6 bytes. Text MB/s counts uncompressed input (the JSON Lines) for\n'
    printf 'every configuration; index MB is %s of the live generation (lede) or of the\n' \
        "$(as_code "du -sb")"
    printf 'index directory (Sphinx); CPU s is user + system time and peak RSS is %%M, both\n'
    printf 'from GNU time. The conversion is timed apart from Sphinx indexer; "Sphinx\n'
    printf 'conversion + indexer" adds the two wall and CPU times per run (its RSS is the\n'
    printf 'larger of the two). Ratios: docs/s and MB/s higher is better; CPU s, index\n'
    printf 'size and RSS lower is better. CPU time moves less than wall time when other\n'
    printf 'work shares the machine.\n'
}

main() {
    local results load_before
    require_corpora_or_skip
    sphinx_require_or_skip index.sh "$SPHINX_INDEXER_BIN"
    require_tools
    build_indexer_if_missing
    mkdir -p "$REPO/var"
    WORK_DIR=$(mktemp -d "$REPO/var/bench-index.XXXXXX")
    trap remove_work_dir EXIT
    trap 'exit 130' INT TERM
    results=$WORK_DIR/results
    : >"$results"
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    note "indexer $INDEXER, corpora $CORPORA, $REPEATS repeats"
    measure_all_runs "$results"
    print_report "$results" "$load_before"
}

main "$@"
