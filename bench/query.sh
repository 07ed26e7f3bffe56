#!/usr/bin/env bash
# Measures lede-searchd's query throughput and latency under load against
# the same searches run in-process, and prints a markdown section for
# bench/RESULTS.md on standard output.
#
# One run: index Reuters-21578 into a temporary index, draw a query file
# from its titles (lede-querygen, fixed seed), start lede-searchd on
# 127.0.0.1 with a free port, then for each concurrency and mode run
#   lede-loadgen  CONCURRENCY persistent connections to the daemon, and
#   lede-inproc   the same queries through search_execute() in one process,
#                 min(CONCURRENCY, cores) threads: the ceiling.
# interleaved (daemon, in-process, daemon, ...), REPEATS times. The table
# shows medians over the repeats.
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
#
# Progress goes to standard error; only the markdown goes to standard output.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
# The settings given in the environment, for the command line in the report.
GIVEN_SETTINGS=""
for name in LEDE_BIN_DIR LEDE_CORPORA CONCURRENCY MODES DURATION WARMUP QUERY_COUNT QUERY_SEED \
    SEARCHD_THREADS; do
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
# How long lede-searchd may take to open the index and listen.
START_TIMEOUT_SECONDS=30
# How long it may take to stop after SIGTERM before it is killed.
STOP_TIMEOUT_SECONDS=10

WORK_DIR=""
SEARCHD_PID=""
LOADGEN_PID=""
PORT=""

note() { printf 'query.sh: %s\n' "$*" >&2; }

die() {
    note "$*"
    exit 2
}

# Stops a load generator still running and the daemon (SIGTERM, then
# SIGKILL if it hangs), and removes the work directory. Runs on every exit.
cleanup() {
    local i
    if [[ -n $LOADGEN_PID ]] && kill -0 "$LOADGEN_PID" 2>/dev/null; then
        kill -TERM "$LOADGEN_PID" 2>/dev/null || true
        wait "$LOADGEN_PID" 2>/dev/null || true
    fi
    if [[ -n $SEARCHD_PID ]] && kill -0 "$SEARCHD_PID" 2>/dev/null; then
        kill -TERM "$SEARCHD_PID" 2>/dev/null || true
        for ((i = 0; i < STOP_TIMEOUT_SECONDS * 10; i++)); do
            kill -0 "$SEARCHD_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$SEARCHD_PID" 2>/dev/null; then
            note "lede-searchd did not stop within $STOP_TIMEOUT_SECONDS s of SIGTERM; killing it"
            kill -KILL "$SEARCHD_PID" 2>/dev/null || true
        fi
        wait "$SEARCHD_PID" 2>/dev/null || true
    fi
    SEARCHD_PID=""
    if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then
        rm -rf -- "$WORK_DIR"
    fi
}

corpus_file() {
    printf '%s\n' "$CORPORA/$CORPUS_NAME/articles.jsonl.gz"
}

# Exits 0 with a message when the corpus is not there: the benchmark is
# optional on machines without it.
require_corpus_or_skip() {
    if [[ ! -r $(corpus_file) ]]; then
        note "skipped: $(corpus_file) not found (set LEDE_CORPORA)"
        exit 0
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
LOADGEN=""
INPROC=""
QUERYGEN=""
SEARCHD=""

set_binaries() {
    INDEXER=$BIN_DIR/indexer/lede-indexer
    SEARCHD=$BIN_DIR/searchd/lede-searchd
    LOADGEN=$BIN_DIR/bench/lede-loadgen
    INPROC=$BIN_DIR/bench/lede-inproc
    QUERYGEN=$BIN_DIR/bench/lede-querygen
}

binaries_present() {
    local b
    for b in "$INDEXER" "$SEARCHD" "$LOADGEN" "$INPROC" "$QUERYGEN"; do
        [[ -x $b ]] || return 1
    done
}

build_if_missing() {
    set_binaries
    binaries_present && return
    [[ -z ${LEDE_BIN_DIR:-} ]] || die "LEDE_BIN_DIR=$LEDE_BIN_DIR lacks lede-indexer, lede-searchd or the bench tools"
    note "building lede (Release) with scripts/build.sh"
    # Warnings must not stop a benchmark build; the normal builds keep -Werror.
    BUILD_TYPE=Release "$REPO/scripts/build.sh" -DLEDE_WERROR=OFF >&2
    binaries_present || die "scripts/build.sh did not produce the binaries in $BIN_DIR"
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

make_queries() {
    "$QUERYGEN" --count "$QUERY_COUNT" --seed "$QUERY_SEED" -o "$WORK_DIR/queries.txt" \
        "$(corpus_file)" 2>"$WORK_DIR/querygen.err" ||
        die "lede-querygen failed: $(cat -- "$WORK_DIR/querygen.err")"
}

# Starts lede-searchd on a free port and waits for its "listening on" line.
start_searchd() {
    local log=$WORK_DIR/searchd.log i
    "$SEARCHD" --db "$WORK_DIR/db" --listen 127.0.0.1:0 --threads "$SEARCHD_THREADS" 2>"$log" &
    SEARCHD_PID=$!
    for ((i = 0; i < START_TIMEOUT_SECONDS * 10; i++)); do
        PORT=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9][0-9]*\),.*/\1/p' "$log" | head -n 1)
        [[ -z $PORT ]] || break
        kill -0 "$SEARCHD_PID" 2>/dev/null || die "lede-searchd exited: $(cat -- "$log")"
        sleep 0.1
    done
    [[ -n $PORT ]] || die "lede-searchd did not start listening within $START_TIMEOUT_SECONDS s"
    note "lede-searchd pid $SEARCHD_PID on 127.0.0.1:$PORT, $(searchd_workers) worker threads"
}

searchd_workers() {
    sed -n 's/.*, \([0-9][0-9]*\) worker threads$/\1/p' "$WORK_DIR/searchd.log" | head -n 1
}

# A field of /proc/PID/status in kB (VmRSS, VmHWM); 0 when unreadable.
vm_kb() {
    awk -v k="$1:" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' \
        "/proc/$SEARCHD_PID/status" 2>/dev/null || echo 0
}

# The value of "key" in a one-line JSON object.
json_field() {
    sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p" <<<"$1"
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

# Runs lede-loadgen against the daemon, sampling its RSS meanwhile; the
# largest VmRSS seen goes to the file $WORK_DIR/rss_peak.
run_loadgen() {
    local results=$1 repeat=$2 conc=$3 mode=$4 out=$WORK_DIR/loadgen.out err=$WORK_DIR/loadgen.err
    local pid status=0 rss=0 peak json
    peak=$(cat -- "$WORK_DIR/rss_peak")
    "$LOADGEN" --host 127.0.0.1 --port "$PORT" --connections "$conc" --duration "$DURATION" \
        --warmup "$WARMUP" --queries "$WORK_DIR/queries.txt" --mode "$mode" \
        --server-pid "$SEARCHD_PID" --json >"$out" 2>"$err" &
    pid=$!
    LOADGEN_PID=$pid
    while kill -0 "$pid" 2>/dev/null; do
        rss=$(vm_kb VmRSS)
        ((rss <= peak)) || peak=$rss
        sleep "$RSS_SAMPLE_SECONDS"
    done
    wait "$pid" || status=$?
    LOADGEN_PID=""
    echo "$peak" >"$WORK_DIR/rss_peak"
    json=$(cat -- "$out")
    if ((status != 0)); then
        cat -- "$err" >&2
        kill -0 "$SEARCHD_PID" 2>/dev/null || note "lede-searchd is gone: $(tail -n 5 "$WORK_DIR/searchd.log")"
        die "lede-loadgen failed with status $status ($conc connections, $mode)"
    fi
    show_tool_errors "$json" "$err"
    record "$results" "$repeat" "$conc" "$mode" searchd "$json" "$conc"
    note "  searchd   c=$conc $mode: $(json_field "$json" qps) q/s, p50 $(json_field "$json" p50_ms) ms, p99 $(json_field "$json" p99_ms) ms, RSS $((rss / 1024)) MB"
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
                run_loadgen "$results" "$repeat" "$conc" "$mode"
                run_inproc "$results" "$repeat" "$conc" "$mode" "$threads"
            done
        done
    done
}

# Median of the numbers on standard input (mean of the middle two when even).
median() {
    sort -g | awk '{ v[NR] = $1 }
        END { if (NR == 0) exit 1
              if (NR % 2) print v[(NR + 1) / 2]
              else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Column $5 (5 threads, 6 qps, 7 p50, 8 p95, 9 p99, 10 max, 11 requests,
# 12 errors, 13 cpu_s, 14 server_cpu_s) of every run of tool $4 at
# concurrency $2, mode $3. Column "cpu_us" is CPU microseconds per request
# of the tool itself, "server_cpu_us" those of lede-searchd.
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

range_of() {
    column_of "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 }
        END { printf "%.0f–%.0f", lo, hi }'
}

sum_of() {
    column_of "$@" | awk '{ s += $1 } END { print s + 0 }'
}

build_type() {
    sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BIN_DIR/CMakeCache.txt" 2>/dev/null | head -n 1
}

# The command line that reproduces this run, with the settings that differ
# from the defaults.
invocation() {
    printf 'REPEATS=%s%s bench/query.sh\n' "$REPEATS" "$GIVEN_SETTINGS"
}

query_mix() {
    local q=$WORK_DIR/queries.txt
    printf '%s queries (seed %s): %s plain, %s "phrase", %s filtered' \
        "$(wc -l <"$q")" "$QUERY_SEED" "$(grep -vc '^[{"]' "$q" || true)" \
        "$(grep -c '^"' "$q" || true)" "$(grep -c '^{' "$q" || true)"
}

print_machine_facts() {
    local load_before=$1
    printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf -- '- machine: %s cores (nproc), %s, %s MB RAM; load average (1 min) before / after: %s / %s\n' \
        "$(nproc)" "$(cpu_model)" "$(awk '/^MemTotal/ { printf "%.0f", $2 / 1024 }' /proc/meminfo)" \
        "$load_before" "$(cut -d' ' -f1 /proc/loadavg)"
    printf -- '- Xapian %s; lede commit %s; %s build in %s\n' "$(xapian_version)" "$(lede_commit)" \
        "$(build_type)" "${BIN_DIR#"$REPO"/}"
    printf -- '- command: %s; %s run(s) per cell, %s s each after %s s warmup, daemon and in-process interleaved, medians shown\n' \
        "$(as_code "$(invocation)")" "$REPEATS" "$DURATION" "$WARMUP"
    printf -- '- index: %s, %s documents; %s\n' "$CORPUS_NAME" \
        "$(sed -n 's/^lede-indexer: added \([0-9][0-9]*\),.*/\1/p' "$WORK_DIR/indexer.out")" "$(query_mix)"
    printf -- '- lede-searchd: %s on 127.0.0.1, %s worker threads, default configuration\n' \
        "$(as_code "lede-searchd --db D --listen 127.0.0.1:0")" "$(searchd_workers)"
    printf -- '- ids: %s; page: %s\n' \
        "$(as_code '{"op":"search","q":Q,"limit":10,"snippet":false,"suggest":false}')" \
        "$(as_code '{"op":"search","q":Q,"limit":10,"snippet":true,"suggest":true,"facets":["source","category","year"]}')"
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

print_report() {
    local results=$1 load_before=$2 rss_idle=$3 rss_peak hwm slow
    rss_peak=$(cat -- "$WORK_DIR/rss_peak")
    hwm=$(vm_kb VmHWM)
    slow=$(grep -c ' info: slow ' "$WORK_DIR/searchd.log" || true)
    printf '## Query speed: lede-searchd vs in-process search_execute()\n\n'
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
}

main() {
    local results load_before rss_idle
    require_corpus_or_skip
    require_settings
    build_if_missing
    mkdir -p "$REPO/var"
    WORK_DIR=$(mktemp -d "$REPO/var/bench-query.XXXXXX")
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    results=$WORK_DIR/results
    : >"$results"
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    note "binaries in $BIN_DIR, $REPEATS repeat(s), concurrency '$CONCURRENCY', modes '$MODES'"
    build_index
    make_queries
    start_searchd
    rss_idle=$(vm_kb VmRSS)
    echo "$rss_idle" >"$WORK_DIR/rss_peak"
    measure_all "$results"
    print_report "$results" "$load_before" "$rss_idle"
}

main "$@"
