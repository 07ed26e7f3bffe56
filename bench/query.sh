#!/usr/bin/env bash
# Measures lede-searchd's query throughput and latency under load against
# the same searches run in-process and against Sphinx's searchd, and prints
# a markdown section for bench/RESULTS.md on standard output.
#
# One run: index Reuters-21578 into a temporary index with lede-indexer and
# with Sphinx's indexer (lede-sphinxconv, bench/sphinx/sphinx.conf.in), draw
# a query file from its titles (lede-querygen, fixed seed), start
# lede-searchd and Sphinx's searchd on 127.0.0.1 with free ports, count the
# hits of every query on both, then for each concurrency and mode run
#   lede-loadgen  CONCURRENCY persistent connections to lede-searchd,
#   lede-loadgen --protocol sphinxql, the same to Sphinx's searchd (ids
#                 mode only: Sphinx returns ids and titles, no snippets), and
#   lede-inproc   the same queries through search_execute() in one process,
#                 min(CONCURRENCY, cores) threads: the ceiling.
# interleaved (daemon, Sphinx, in-process, daemon, ...), REPEATS times. The
# tables show medians over the repeats.
#
# Environment:
#   LEDE_CORPORA  corpora directory (default: ../shared/corpora next to the repo)
#   LEDE_BIN_DIR  a build directory holding indexer/, searchd/ and bench/
#                 binaries (default: build/, built in Release mode when missing)
#   CONCURRENCY   connections to try (default "1 2 8 32")
#   MODES         request kinds (default "ids page"; see lede-loadgen --help)
#   DURATION      measured seconds per run (default 10)
#   WARMUP        seconds before measuring (default 2)
#   REPEATS       runs per cell (default 1; published figures use 3)
#   QUERY_COUNT   queries in the query file (default 300)
#   QUERY_SEED    lede-querygen's seed (default 3)
#   SEARCHD_THREADS  lede-searchd --threads (default 0: one per core)
#   SPHINX_INDEXER, SPHINX_SEARCHD  Sphinx's programs (default: indexer and
#                 searchd on PATH); without them, or without libmariadb, the
#                 script exits 0 with a message
#
# Progress goes to standard error; only the markdown goes to standard output.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
# The settings given in the environment, for the command line in the report.
GIVEN_SETTINGS=""
for name in LEDE_BIN_DIR LEDE_CORPORA CONCURRENCY MODES DURATION WARMUP QUERY_COUNT QUERY_SEED \
    SEARCHD_THREADS SPHINX_INDEXER SPHINX_SEARCHD; do
    value=${!name:-}
    value=${value#"$REPO"/}
    [[ $value != *' '* ]] || value="'$value'"
    [[ -z $value ]] || GIVEN_SETTINGS+=" $name=$value"
done
CORPORA=${LEDE_CORPORA:-$REPO/../shared/corpora}
BIN_DIR=${LEDE_BIN_DIR:-$REPO/build}
CONCURRENCY=${CONCURRENCY:-1 2 8 32}
MODES=${MODES:-ids page}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
REPEATS=${REPEATS:-1}
QUERY_COUNT=${QUERY_COUNT:-300}
QUERY_SEED=${QUERY_SEED:-3}
SEARCHD_THREADS=${SEARCHD_THREADS:-0}
CORPUS_NAME=reuters21578
# How often the daemon's memory is sampled while a load runs.
RSS_SAMPLE_SECONDS=0.5
# How long a daemon may take to open the index and listen.
START_TIMEOUT_SECONDS=30
# Ports tried for Sphinx's searchd, which cannot pick one itself.
SPHINX_PORT_ATTEMPTS=5
# Queries whose hit counts differ by more than this share are listed.
HITS_TOLERANCE=0.10
# Differing queries shown in the report at most.
HITS_SHOWN=12
# How long it may take to stop after SIGTERM before it is killed.
STOP_TIMEOUT_SECONDS=10

WORK_DIR=""
SEARCHD_PID=""
LOADGEN_PID=""
PORT=""
SPHINX_PID=""
SPHINX_PORT=""

# Stops a load generator still running and both daemons, and removes the
# work directory. Runs on every exit.
cleanup() {
    if [[ -n $LOADGEN_PID ]] && kill -0 "$LOADGEN_PID" 2>/dev/null; then
        kill -TERM "$LOADGEN_PID" 2>/dev/null || true
        wait "$LOADGEN_PID" 2>/dev/null || true
    fi
    stop_pid "$SEARCHD_PID" lede-searchd
    SEARCHD_PID=""
    stop_pid "$SPHINX_PID" "Sphinx searchd"
    SPHINX_PID=""
    if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then
        rm -rf -- "$WORK_DIR"
    fi
}

require_settings() {
    local c
    [[ $REPEATS =~ ^[1-9][0-9]*$ ]] || die "REPEATS must be a positive whole number, not '$REPEATS'"
    [[ $QUERY_COUNT =~ ^[1-9][0-9]*$ ]] || die "QUERY_COUNT must be a positive whole number"
    [[ $DURATION =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "DURATION must be a number of seconds"
    [[ $WARMUP =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "WARMUP must be a number of seconds"
    for c in $CONCURRENCY; do
        [[ $c =~ ^[1-9][0-9]*$ ]] || die "CONCURRENCY holds '$c', not a positive whole number"
    done
    [[ -n ${CONCURRENCY// /} && -n ${MODES// /} ]] || die "CONCURRENCY and MODES must not be empty"
}

INDEXER=""
SPHINXCONV=""
LOADGEN=""
INPROC=""
QUERYGEN=""
SEARCHD=""

set_binaries() {
    INDEXER=$BIN_DIR/indexer/lede-indexer
    SPHINXCONV=$BIN_DIR/bench/lede-sphinxconv
    SEARCHD=$BIN_DIR/searchd/lede-searchd
    LOADGEN=$BIN_DIR/bench/lede-loadgen
    INPROC=$BIN_DIR/bench/lede-inproc
    QUERYGEN=$BIN_DIR/bench/lede-querygen
}

binaries_present() {
    local b
    for b in "$INDEXER" "$SEARCHD" "$LOADGEN" "$INPROC" "$QUERYGEN" "$SPHINXCONV"; do
        [[ -x $b ]] || return 1
    done
}

# Exits 0 with a message when libmariadb's development files are missing:
# without them lede-loadgen cannot speak SphinxQL.
require_mariadb_or_skip() {
    if ! pkg-config --exists libmariadb 2>/dev/null; then
        note "skipped: libmariadb (pkg-config libmariadb) not found; install it with: $SPHINX_INSTALL_HINT"
        exit 0
    fi
}

# lede-loadgen must have been configured after libmariadb was installed.
require_sphinxql_loadgen() {
    grep -q '^MARIADB_FOUND:INTERNAL=1$' "$BIN_DIR/CMakeCache.txt" 2>/dev/null ||
        die "$LOADGEN was built without libmariadb: run cmake again on $BIN_DIR and rebuild"
}

build_index() {
    local status=0
    note "indexing $(corpus_file)"
    "$INDEXER" --db "$WORK_DIR/db" --no-progress "$(corpus_file)" >"$WORK_DIR/indexer.out" \
        2>"$WORK_DIR/indexer.err" || status=$?
    # Status 1 means some records were rejected; the rest were indexed.
    if ((status > 1)); then
        cat -- "$WORK_DIR/indexer.err" >&2
        die "lede-indexer failed with status $status"
    fi
    note "  $(tail -n 1 "$WORK_DIR/indexer.out")"
}

# Sphinx's index of the same corpus: lede-sphinxconv, then indexer.
build_sphinx_index() {
    local dir=$WORK_DIR/sphinx status=0
    mkdir -p "$dir/index"
    note "indexing $(corpus_file) with Sphinx"
    "$SPHINXCONV" -o "$dir/articles.tsv" "$(corpus_file)" 2>"$dir/conv.err" || status=$?
    ((status <= 1)) || die "lede-sphinxconv failed with status $status: $(cat -- "$dir/conv.err")"
    # The port is filled in again when searchd starts.
    sphinx_write_conf "$dir/sphinx.conf" "$dir/articles.tsv" "$dir/index" "$dir" 9306
    "$SPHINX_INDEXER_BIN" --config "$dir/sphinx.conf" --all >"$dir/indexer.out" 2>&1 ||
        die "Sphinx indexer failed: $(tail -n 5 "$dir/indexer.out")"
    note "  Sphinx: $(sphinx_indexed_docs "$dir/indexer.out") documents"
}

# Starts lede-searchd on a free port and waits for its "listening on" line.
start_searchd() {
    local log=$WORK_DIR/searchd.log i
    "$SEARCHD" --db "$WORK_DIR/db" --listen 127.0.0.1:0 -o http_listen=off --threads "$SEARCHD_THREADS" 2>"$log" &
    SEARCHD_PID=$!
    for ((i = 0; i < START_TIMEOUT_SECONDS * 10; i++)); do
        PORT=$(searchd_port "$log")
        [[ -z $PORT ]] || break
        kill -0 "$SEARCHD_PID" 2>/dev/null || die "lede-searchd exited: $(cat -- "$log")"
        sleep 0.1
    done
    [[ -n $PORT ]] || die "lede-searchd did not start listening within $START_TIMEOUT_SECONDS s"
    note "lede-searchd pid $SEARCHD_PID on 127.0.0.1:$PORT, $(searchd_workers) worker threads"
}

# Waits until Sphinx's searchd accepts connections; false when it exited.
wait_sphinx_ready() {
    local log=$WORK_DIR/sphinx/searchd.log i
    for ((i = 0; i < START_TIMEOUT_SECONDS * 10; i++)); do
        grep -q 'accepting connections' "$log" 2>/dev/null && return 0
        kill -0 "$SPHINX_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    die "Sphinx searchd did not accept connections within $START_TIMEOUT_SECONDS s"
}

# Starts Sphinx's searchd in the foreground of a background job (no fork,
# no watchdog: $! is the server) on a free port, trying another port when
# the one chosen was taken in between.
start_sphinx() {
    local dir=$WORK_DIR/sphinx attempt
    for ((attempt = 1; attempt <= SPHINX_PORT_ATTEMPTS; attempt++)); do
        SPHINX_PORT=$(free_port)
        sphinx_write_conf "$dir/sphinx.conf" "$dir/articles.tsv" "$dir/index" "$dir" "$SPHINX_PORT"
        rm -f -- "$dir/searchd.log"
        "$SPHINX_SEARCHD_BIN" --config "$dir/sphinx.conf" --nodetach >"$dir/searchd.out" 2>&1 &
        SPHINX_PID=$!
        if wait_sphinx_ready; then
            note "Sphinx searchd pid $SPHINX_PID on 127.0.0.1:$SPHINX_PORT (SphinxQL)"
            return
        fi
        wait "$SPHINX_PID" 2>/dev/null || true
        SPHINX_PID=""
        grep -qi 'bind\|in use' "$dir/searchd.log" "$dir/searchd.out" 2>/dev/null ||
            die "Sphinx searchd exited: $(tail -n 5 "$dir/searchd.out")"
    done
    die "Sphinx searchd found no free port in $SPHINX_PORT_ATTEMPTS attempts"
}

searchd_workers() {
    sed -n 's/.*, \([0-9][0-9]*\) worker threads$/\1/p' "$WORK_DIR/searchd.log" | head -n 1
}

# Field $2 of /proc/$1/status in kB (VmRSS, VmHWM); 0 when unreadable.
vm_kb() {
    awk -v k="$2:" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' \
        "/proc/$1/status" 2>/dev/null || echo 0
}

# Appends "repeat conc mode tool threads qps p50 p95 p99 max requests
# errors cpu_s server_cpu_s" for the one-line JSON report in $6 to the
# results file $1 (server_cpu_s is -1 for lede-inproc).
record() {
    local results=$1 repeat=$2 conc=$3 mode=$4 tool=$5 json=$6 threads=$7 f v
    local -a values=()
    for f in qps p50_ms p95_ms p99_ms max_ms requests errors cpu_s server_cpu_s; do
        v=$(json_field "$json" "$f")
        values+=("${v:--1}")
    done
    [[ -n ${values[0]} ]] || die "no report from $tool: '$json'"
    printf '%s %s %s %s %s %s\n' "$repeat" "$conc" "$mode" "$tool" "$threads" "${values[*]}" >>"$results"
}

# Shows the first error lines a tool printed, when it counted errors.
show_tool_errors() {
    local json=$1 err=$2 errors
    errors=$(json_field "$json" errors)
    if [[ -n $errors && $errors != 0 ]]; then
        note "  $errors error replies; the first:"
        head -n 5 -- "$err" >&2
    fi
}

# The process, port and lede-loadgen options of target $1: searchd
# (lede-searchd) or sphinx (Sphinx's searchd over SphinxQL).
target_pid() {
    if [[ $1 == sphinx ]]; then echo "$SPHINX_PID"; else echo "$SEARCHD_PID"; fi
}

target_args() {
    if [[ $1 == sphinx ]]; then
        printf '%s\n' --port "$SPHINX_PORT" --protocol sphinxql
    else
        printf '%s\n' --port "$PORT"
    fi
}

# Runs lede-loadgen against target $5 (see target_pid), sampling the
# daemon's RSS meanwhile; the largest VmRSS seen goes to the file
# $WORK_DIR/rss_peak.TARGET.
run_loadgen() {
    local results=$1 repeat=$2 conc=$3 mode=$4 target=$5 out=$WORK_DIR/loadgen.out err=$WORK_DIR/loadgen.err
    local pid status=0 rss=0 peak json daemon
    local -a args
    daemon=$(target_pid "$target")
    mapfile -t args < <(target_args "$target")
    peak=$(cat -- "$WORK_DIR/rss_peak.$target")
    "$LOADGEN" --host 127.0.0.1 "${args[@]}" --connections "$conc" --duration "$DURATION" \
        --warmup "$WARMUP" --queries "$WORK_DIR/queries.txt" --mode "$mode" \
        --server-pid "$daemon" --json >"$out" 2>"$err" &
    pid=$!
    LOADGEN_PID=$pid
    while kill -0 "$pid" 2>/dev/null; do
        rss=$(vm_kb "$daemon" VmRSS)
        ((rss <= peak)) || peak=$rss
        sleep "$RSS_SAMPLE_SECONDS"
    done
    wait "$pid" || status=$?
    LOADGEN_PID=""
    echo "$peak" >"$WORK_DIR/rss_peak.$target"
    json=$(cat -- "$out")
    if ((status != 0)); then
        cat -- "$err" >&2
        kill -0 "$daemon" 2>/dev/null || note "the $target daemon is gone"
        die "lede-loadgen failed with status $status ($target, $conc connections, $mode)"
    fi
    show_tool_errors "$json" "$err"
    record "$results" "$repeat" "$conc" "$mode" "$target" "$json" "$conc"
    note "  $(printf '%-9s' "$target") c=$conc $mode: $(json_field "$json" qps) q/s, p50 $(json_field "$json" p50_ms) ms, p99 $(json_field "$json" p99_ms) ms, RSS $((rss / 1024)) MB"
}

run_inproc() {
    local results=$1 repeat=$2 conc=$3 mode=$4 threads=$5 err=$WORK_DIR/inproc.err json
    json=$("$INPROC" --db "$WORK_DIR/db" --threads "$threads" --duration "$DURATION" \
        --warmup "$WARMUP" --queries "$WORK_DIR/queries.txt" --mode "$mode" --json 2>"$err") ||
        die "lede-inproc failed: $(cat -- "$err")"
    show_tool_errors "$json" "$err"
    record "$results" "$repeat" "$conc" "$mode" inproc "$json" "$threads"
    note "  in-proc   t=$threads $mode: $(json_field "$json" qps) q/s, p50 $(json_field "$json" p50_ms) ms"
}

measure_all() {
    local results=$1 repeat conc mode cores threads
    cores=$(nproc)
    for ((repeat = 1; repeat <= REPEATS; repeat++)); do
        for conc in $CONCURRENCY; do
            threads=$((conc < cores ? conc : cores))
            for mode in $MODES; do
                note "repeat $repeat/$REPEATS, concurrency $conc, mode $mode"
                run_loadgen "$results" "$repeat" "$conc" "$mode" searchd
                # Sphinx returns ids and titles only: the ids mode.
                [[ $mode != ids ]] || run_loadgen "$results" "$repeat" "$conc" "$mode" sphinx
                run_inproc "$results" "$repeat" "$conc" "$mode" "$threads"
            done
        done
    done
}

# Runs every query once on each engine and writes their totals:
# $WORK_DIR/totals.lede and totals.sphinx ("N<TAB>TOTAL<TAB>REQUEST").
# lede is asked in page mode, whose facets make its totals exact (in ids
# mode it counts exactly only up to 100 matches).
count_hits() {
    local q=$WORK_DIR/queries.txt
    note "counting the hits of every query on both engines"
    "$LOADGEN" --port "$PORT" --mode page --queries "$q" --totals "$WORK_DIR/totals.lede" \
        2>"$WORK_DIR/totals.err" || die "lede-loadgen --totals failed: $(cat -- "$WORK_DIR/totals.err")"
    "$LOADGEN" --port "$SPHINX_PORT" --protocol sphinxql --queries "$q" \
        --totals "$WORK_DIR/totals.sphinx" 2>"$WORK_DIR/totals.err" ||
        die "lede-loadgen --protocol sphinxql --totals failed: $(cat -- "$WORK_DIR/totals.err")"
}

# Column $5 (5 threads, 6 qps, 7 p50, 8 p95, 9 p99, 10 max, 11 requests,
# 12 errors, 13 cpu_s, 14 server_cpu_s) of every run of tool $4 at
# concurrency $2, mode $3. Column "cpu_us" is CPU microseconds per request
# of the tool itself, "server_cpu_us" those of the daemon it loaded.
column_of() {
    awk -v c="$2" -v m="$3" -v t="$4" -v k="$5" '$2 == c && $3 == m && $4 == t {
        if (k == "cpu_us") print $11 ? $13 / $11 * 1e6 : 0
        else if (k == "server_cpu_us") print $11 ? $14 / $11 * 1e6 : 0
        else print $k }' "$1"
}

max_of() {
    column_of "$@" | sort -g | tail -n 1
}

median_of() {
    column_of "$@" | median
}

# The command line that reproduces this run, with the settings that differ
# from the defaults.
invocation() {
    printf 'REPEATS=%s%s bench/query.sh\n' "$REPEATS" "$GIVEN_SETTINGS"
}

print_machine_facts() {
    local load_before=$1
    print_date_and_machine "$load_before"
    printf -- '- Xapian %s; lede commit %s; %s build in %s\n' "$(xapian_version)" "$(lede_commit)" \
        "$(build_type)" "${BIN_DIR#"$REPO"/}"
    printf -- '- command: %s; %s run(s) per cell, %s s each after %s s warmup, lede-searchd, Sphinx searchd (ids mode) and in-process interleaved, medians shown\n' \
        "$(as_code "$(invocation)")" "$REPEATS" "$DURATION" "$WARMUP"
    printf -- '- index: %s, %s documents; %s\n' "$CORPUS_NAME" \
        "$(sed -n 's/^lede-indexer: added \([0-9][0-9]*\),.*/\1/p' "$WORK_DIR/indexer.out")" "$(query_mix)"
    printf -- '- lede-searchd: %s on 127.0.0.1, %s worker threads, default configuration\n' \
        "$(as_code "lede-searchd --db D --listen 127.0.0.1:0")" "$(searchd_workers)"
    printf -- '- Sphinx: %s, %s (one thread per connection, its default), index of the same file from %s and %s with %s; queried with %s\n' \
        "$(sphinx_banner "$SPHINX_SEARCHD_BIN")" "$(as_code "searchd --config C --nodetach")" \
        "$(as_code lede-sphinxconv)" "$(as_code "indexer --all")" "$(as_code bench/sphinx/sphinx.conf.in)" \
        "$(as_code "lede-loadgen --protocol sphinxql --mode ids")"
    printf -- '- ids: %s; page: %s; Sphinx (ids): %s\n' \
        "$(as_code '{"op":"search","q":Q,"match":"all","limit":10,"snippet":false,"suggest":false}')" \
        "$(as_code '{"op":"search","q":Q,"match":"all","limit":10,"snippet":true,"suggest":true,"facets":["source","category","year"]}')" \
        "$(as_code "SELECT aid, title FROM lede WHERE MATCH('Q') [AND category='C'] LIMIT 0,10")"
}

print_rows() {
    local results=$1 conc mode sd ip errors
    for conc in $CONCURRENCY; do
        for mode in $MODES; do
            sd=$(median_of "$results" "$conc" "$mode" searchd 6)
            ip=$(median_of "$results" "$conc" "$mode" inproc 6)
            errors=$(sum_of "$results" "$conc" "$mode" searchd 12)
            printf '| %s | %s | %.0f (%s) | %.2f | %.2f | %.2f | %.1f | %s | %s | %.0f (%s) | %.2f | **%s** |\n' \
                "$conc" "$mode" "$sd" "$(range_of "$results" "$conc" "$mode" searchd 6)" \
                "$(median_of "$results" "$conc" "$mode" searchd 7)" \
                "$(median_of "$results" "$conc" "$mode" searchd 8)" \
                "$(median_of "$results" "$conc" "$mode" searchd 9)" \
                "$(max_of "$results" "$conc" "$mode" searchd 10)" "$errors" \
                "$(median_of "$results" "$conc" "$mode" inproc 5)" "$ip" \
                "$(range_of "$results" "$conc" "$mode" inproc 6)" \
                "$(median_of "$results" "$conc" "$mode" inproc 7)" "$(ratio "$sd" "$ip")"
        done
    done
}

# CPU time per request: the daemon's, the load generator's and the
# in-process peer's, medians over the repeats.
print_cpu_rows() {
    local results=$1 conc mode sd ip
    for conc in $CONCURRENCY; do
        for mode in $MODES; do
            sd=$(median_of "$results" "$conc" "$mode" searchd server_cpu_us)
            ip=$(median_of "$results" "$conc" "$mode" inproc cpu_us)
            printf '| %s | %s | %.0f | %.0f | %.0f | %s |\n' "$conc" "$mode" "$sd" \
                "$(median_of "$results" "$conc" "$mode" searchd cpu_us)" "$ip" "$(ratio "$sd" "$ip")"
        done
    done
}

# lede-searchd against Sphinx's searchd, ids mode, one row per concurrency.
print_sphinx_rows() {
    local results=$1 conc k
    local -a lede sphinx
    for conc in $CONCURRENCY; do
        for k in 6 7 8 9; do
            lede[k]=$(median_of "$results" "$conc" ids searchd "$k")
            sphinx[k]=$(median_of "$results" "$conc" ids sphinx "$k")
        done
        printf '| %s | %.0f (%s) | %.2f | %.2f | %.2f | %.0f (%s) | %.2f | %.2f | %.2f | %s | **%s** | %s | %s |\n' \
            "$conc" "${lede[6]}" "$(range_of "$results" "$conc" ids searchd 6)" \
            "${lede[7]}" "${lede[8]}" "${lede[9]}" \
            "${sphinx[6]}" "$(range_of "$results" "$conc" ids sphinx 6)" \
            "${sphinx[7]}" "${sphinx[8]}" "${sphinx[9]}" "$(sum_of "$results" "$conc" ids sphinx 12)" \
            "$(ratio "${lede[6]}" "${sphinx[6]}")" "$(ratio "${lede[7]}" "${sphinx[7]}")" \
            "$(ratio "${lede[9]}" "${sphinx[9]}")"
    done
}

print_sphinx_cpu_rows() {
    local results=$1 conc sd sx
    for conc in $CONCURRENCY; do
        sd=$(median_of "$results" "$conc" ids searchd server_cpu_us)
        sx=$(median_of "$results" "$conc" ids sphinx server_cpu_us)
        printf '| %s | %.0f | %.0f | %s |\n' "$conc" "$sd" "$sx" "$(ratio "$sd" "$sx")"
    done
}

# One line per query: "lede_total<TAB>sphinx_total<TAB>query as in the file".
joined_totals() {
    paste <(cut -f2 "$WORK_DIR/totals.lede") <(cut -f2 "$WORK_DIR/totals.sphinx") \
        <(grep -v '^[[:space:]]*$' "$WORK_DIR/queries.txt")
}

# The summary of joined_totals: how many queries agree, differ, failed.
print_hits_summary() {
    joined_totals | awk -F'\t' -v tol="$HITS_TOLERANCE" '
        { a = $1; b = $2; n++ }
        a < 0 || b < 0 { errors++; next }
        { hi = a > b ? a : b; d = a > b ? a - b : b - a; sa += a; sb += b }
        a == b { equal++ }
        d > tol * hi { differ++; if (a == 0) lede_none++; if (b == 0) sphinx_none++ }
        END {
            printf "%d queries: %d return the same number of hits on both, %d differ by more than %.0f%%", n, equal, differ, tol * 100
            printf " (%d where lede finds none, %d where Sphinx finds none); %d error replies;", lede_none, sphinx_none, errors
            printf " all hits summed, lede / Sphinx: %s", sb ? sprintf("%.2f", sa / sb) : "n/a"
        }'
}

# The queries whose counts differ most, as table rows.
print_hits_differences() {
    joined_totals | awk -F'\t' -v tol="$HITS_TOLERANCE" '
        $1 >= 0 && $2 >= 0 {
            hi = $1 > $2 ? $1 : $2; d = $1 > $2 ? $1 - $2 : $2 - $1
            if (d > tol * hi) { q = $3; gsub(/\|/, "\\|", q); gsub(/`/, "'"'"'", q)
                                printf "%.6f\t| `%s` | %d | %d |\n", d / hi, q, $1, $2 } }' |
        sort -t$'\t' -k1,1gr | head -n "$HITS_SHOWN" | cut -f2-
}

print_hits() {
    local median_ratio
    median_ratio=$(joined_totals | awk -F'\t' '$1 > 0 && $2 > 0 { print $1 / $2 }' | median) ||
        median_ratio=n/a
    [[ $median_ratio == n/a ]] || median_ratio=$(printf '%.2f' "$median_ratio")
    printf '\nHit counts: every query run once on each engine, lede in page mode (its facets\n'
    printf 'make "total" exact; in ids mode it is exact only up to 100), Sphinx with\n'
    printf '%s after the SELECT. %s; median lede / Sphinx ratio over\n' \
        "$(as_code "SHOW META")" "$(print_hits_summary)"
    printf 'the queries both match: %s.\n' "$median_ratio"
    if [[ -n $(print_hits_differences) ]]; then
        printf '\n| query (differing by more than %.0f%%, largest first) | lede total | Sphinx total_found |\n' \
            "$(awk -v t="$HITS_TOLERANCE" 'BEGIN { print t * 100 }')"
        printf '|---|---:|---:|\n'
        print_hits_differences
    fi
}

print_sphinx_report() {
    local results=$1 rss_idle rss_peak hwm
    rss_idle=$(cat -- "$WORK_DIR/rss_idle.sphinx")
    rss_peak=$(cat -- "$WORK_DIR/rss_peak.sphinx")
    hwm=$(vm_kb "$SPHINX_PID" VmHWM)
    printf '\nlede-searchd against Sphinx searchd, ids mode (same queries, same connections,\n'
    printf 'interleaved); ratios lede / Sphinx, higher is better for q/s, lower for latency:\n\n'
    printf '| connections | lede q/s (min–max) | lede p50 ms | lede p95 ms | lede p99 ms | Sphinx q/s (min–max) | Sphinx p50 ms | Sphinx p95 ms | Sphinx p99 ms | Sphinx errors | lede / Sphinx q/s | lede / Sphinx p50 | lede / Sphinx p99 |\n'
    printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    print_sphinx_rows "$results"
    printf '\nServer CPU time per request, ids mode, in microseconds:\n\n'
    printf '| connections | lede-searchd | Sphinx searchd | lede / Sphinx |\n'
    printf '|---:|---:|---:|---:|\n'
    print_sphinx_cpu_rows "$results"
    printf '\nSphinx searchd memory: VmRSS %.0f MB idle after start, at most %.0f MB sampled under load; VmHWM %.0f MB at the end.\n' \
        "$(awk -v k="$rss_idle" 'BEGIN { print k / 1024 }')" \
        "$(awk -v k="$rss_peak" 'BEGIN { print k / 1024 }')" \
        "$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')"
    print_hits
}

print_report() {
    local results=$1 load_before=$2 rss_idle=$3 rss_peak hwm slow
    rss_peak=$(cat -- "$WORK_DIR/rss_peak.searchd")
    hwm=$(vm_kb "$SEARCHD_PID" VmHWM)
    slow=$(grep -c ' info: slow ' "$WORK_DIR/searchd.log" || true)
    printf '## Query speed: lede-searchd vs in-process search_execute() and Sphinx searchd\n\n'
    print_machine_facts "$load_before"
    printf '\n| connections | mode | searchd q/s (min–max) | p50 ms | p95 ms | p99 ms | max ms | errors | in-process threads | in-process q/s (min–max) | in-process p50 ms | searchd / in-process |\n'
    printf '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    print_rows "$results"
    printf '\nCPU time per request, in microseconds (user + system, measured window only):\n\n'
    printf '| connections | mode | lede-searchd | lede-loadgen | in-process | searchd / in-process |\n'
    printf '|---:|---|---:|---:|---:|---:|\n'
    print_cpu_rows "$results"
    printf '\nlede-searchd memory: VmRSS %.0f MB idle after start, at most %.0f MB sampled under load; VmHWM %.0f MB at the end. Slow-query log lines (over 500 ms): %s.\n' \
        "$(awk -v k="$rss_idle" 'BEGIN { print k / 1024 }')" \
        "$(awk -v k="$rss_peak" 'BEGIN { print k / 1024 }')" \
        "$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')" "$slow"
    printf '\nLatencies are per request as the client saw it (send to reply line), exact\n'
    printf 'percentiles over every request after the warmup, medians over the runs; max\n'
    printf 'is the largest over the runs; errors count "ok":false replies over all runs of\n'
    printf 'the cell. The in-process peer times search_execute() alone (reply object, no\n'
    printf 'JSON text, no socket) with min(connections, cores) threads. CPU per request is\n'
    printf 'the process CPU time (getrusage, or /proc/PID/stat for lede-searchd, in 10 ms\n'
    printf 'ticks) from the end of the warmup to the last reply, over the requests\n'
    printf 'recorded. MB = 2^20 bytes here.\n'
    [[ " $MODES " != *" ids "* ]] || print_sphinx_report "$results"
}

main() {
    local results load_before rss_idle
    require_corpus_or_skip
    sphinx_require_or_skip query.sh "$SPHINX_INDEXER_BIN" "$SPHINX_SEARCHD_BIN"
    require_mariadb_or_skip
    require_settings
    build_if_missing
    require_sphinxql_loadgen
    mkdir -p "$REPO/var"
    WORK_DIR=$(mktemp -d "$REPO/var/bench-query.XXXXXX")
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    results=$WORK_DIR/results
    : >"$results"
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    note "binaries in $BIN_DIR, $REPEATS repeat(s), concurrency '$CONCURRENCY', modes '$MODES'"
    build_index
    build_sphinx_index
    make_corpus_queries
    start_searchd
    start_sphinx
    rss_idle=$(vm_kb "$SEARCHD_PID" VmRSS)
    echo "$rss_idle" >"$WORK_DIR/rss_peak.searchd"
    vm_kb "$SPHINX_PID" VmRSS | tee "$WORK_DIR/rss_idle.sphinx" >"$WORK_DIR/rss_peak.sphinx"
    count_hits
    measure_all "$results"
    print_report "$results" "$load_before" "$rss_idle"
}

main "$@"
