#!/usr/bin/env bash
# Measures how lede's indexing and query speed grow with the size of the
# corpus, on synthetic corpora written by lede-synth from real ones, and
# prints a markdown section for bench/RESULTS.md on standard output.
#
# For each size in SIZES (and, first, the real Reuters corpus as a check
# that synthetic articles behave like real ones):
#   1. lede-synth writes SIZE articles into a JSON Lines file under var/;
#   2. lede-indexer builds a fresh index from it with its default settings
#      (wall time and peak RSS from GNU time, size on disk of the live
#      generation, the largest size of the index directory while building);
#   3. lede-searchd serves the index on 127.0.0.1 with a free port, and
#      lede-loadgen replays one query file at each concurrency and mode;
#   4. the daemon is stopped and the index and input removed.
# The query file is drawn by lede-querygen from the first min(SIZES)
# synthetic articles, which every corpus holds (a smaller lede-synth run is
# a prefix of a larger one), so every size answers the same queries.
#
# Environment:
#   LEDE_CORPORA   corpora directory (default: ../shared/corpora next to the repo)
#   LEDE_BIN_DIR   a build directory with indexer/, searchd/ and bench/ binaries
#                  (default: build/, built in Release mode when missing)
#   SYNTH_CORPORA  corpora lede-synth learns from (default "reuters21578")
#   SIZES          synthetic corpus sizes (default "20000 200000 2000000");
#                  growth factors are relative to the first
#   SEED           lede-synth's seed (default 1)
#   REAL           1 (default) to measure the real Reuters corpus too; 0 not to
#   CONCURRENCY    connections to try (default "1 8")
#   MODES          request kinds (default "ids page"; see lede-loadgen --help)
#   DURATION       measured seconds per load run (default 5)
#   WARMUP         seconds before measuring (default 1)
#   QUERY_COUNT    queries in the query file (default 300)
#   QUERY_SEED     lede-querygen's seed (default 3)
#
# Progress goes to standard error; only the markdown goes to standard output.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
# The settings given in the environment, for the command line in the report.
GIVEN_SETTINGS=""
for name in LEDE_BIN_DIR LEDE_CORPORA SYNTH_CORPORA SIZES SEED REAL CONCURRENCY MODES DURATION \
    WARMUP QUERY_COUNT QUERY_SEED; do
    value=${!name:-}
    value=${value#"$REPO"/}
    [[ $value != *' '* ]] || value="'$value'"
    [[ -z $value ]] || GIVEN_SETTINGS+="$name=$value "
done
CORPORA=${LEDE_CORPORA:-$REPO/../shared/corpora}
BIN_DIR=${LEDE_BIN_DIR:-$REPO/build}
SYNTH_CORPORA=${SYNTH_CORPORA:-reuters21578}
SIZES=${SIZES:-20000 200000 2000000}
SEED=${SEED:-1}
REAL=${REAL:-1}
CONCURRENCY=${CONCURRENCY:-1 8}
MODES=${MODES:-ids page}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
QUERY_COUNT=${QUERY_COUNT:-300}
QUERY_SEED=${QUERY_SEED:-3}
REAL_CORPUS=reuters21578
# Disk a run needs per article at its largest size: the JSON input (about
# 1.2 kB for Reuters-like articles), the build shards and the merged index
# (about 3.7 kB each), with room to spare.
DISK_BYTES_PER_DOC=10000
# How often the index directory's size is sampled while it is built.
DISK_SAMPLE_SECONDS=2
# How long lede-searchd may take to open the index and listen.
START_TIMEOUT_SECONDS=60
# How long it may take to stop after SIGTERM before it is killed.
STOP_TIMEOUT_SECONDS=10

WORK_DIR=""
SEARCHD_PID=""
SAMPLER_PID=""
PORT=""
OPEN_S=""
RESULTS=""
INDEXER=""
SEARCHD=""
LOADGEN=""
QUERYGEN=""
SYNTH=""

stop_searchd() {
    stop_pid "$SEARCHD_PID" lede-searchd
    SEARCHD_PID=""
}

# Runs on every exit: stops what this script started and removes var/ files.
cleanup() {
    stop_pid "$SAMPLER_PID" "the disk sampler"
    stop_searchd
    if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then
        rm -rf -- "$WORK_DIR"
    fi
}

# ---- settings and tools ---------------------------------------------------

corpus_path() {
    printf '%s\n' "$CORPORA/$1/articles.jsonl.gz"
}

learn_paths() {
    local name
    for name in $SYNTH_CORPORA; do corpus_path "$name"; done
}

# Exits 0 with a message when a corpus is missing: the benchmark is
# optional on machines without them.
require_corpora_or_skip() {
    local path
    for path in $(learn_paths) $( ((REAL)) && corpus_path "$REAL_CORPUS"); do
        if [[ ! -r $path ]]; then
            note "skipped: $path not found (set LEDE_CORPORA)"
            exit 0
        fi
    done
}

require_settings() {
    local v
    for v in $SIZES; do
        [[ $v =~ ^[1-9][0-9]*$ ]] || die "SIZES holds '$v', not a positive whole number"
    done
    for v in $CONCURRENCY; do
        [[ $v =~ ^[1-9][0-9]*$ ]] || die "CONCURRENCY holds '$v', not a positive whole number"
    done
    [[ -n ${SIZES// /} && -n ${CONCURRENCY// /} && -n ${MODES// /} ]] ||
        die "SIZES, CONCURRENCY and MODES must not be empty"
    [[ $SEED =~ ^[0-9]+$ && $QUERY_SEED =~ ^[0-9]+$ ]] || die "SEED and QUERY_SEED must be whole numbers"
    [[ $QUERY_COUNT =~ ^[1-9][0-9]*$ ]] || die "QUERY_COUNT must be a positive whole number"
    [[ $REAL == 0 || $REAL == 1 ]] || die "REAL must be 0 or 1, not '$REAL'"
    [[ $DURATION =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "DURATION must be a number of seconds"
    [[ $WARMUP =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "WARMUP must be a number of seconds"
    [[ -x /usr/bin/time ]] || die "GNU time is missing: apt-get install -y time"
}

set_binaries() {
    INDEXER=$BIN_DIR/indexer/lede-indexer
    SEARCHD=$BIN_DIR/searchd/lede-searchd
    LOADGEN=$BIN_DIR/bench/lede-loadgen
    QUERYGEN=$BIN_DIR/bench/lede-querygen
    SYNTH=$BIN_DIR/bench/lede-synth
}

binaries_present() {
    local b
    for b in "$INDEXER" "$SEARCHD" "$LOADGEN" "$QUERYGEN" "$SYNTH"; do
        [[ -x $b ]] || return 1
    done
}

# SIZES one per line (split on purpose).
size_list() {
    # shellcheck disable=SC2086
    printf '%s\n' $SIZES
}

# The size that growth factors are relative to: the first.
base_size() {
    size_list | head -n 1
}

largest_size() {
    size_list | sort -n | tail -n 1
}

smallest_size() {
    size_list | sort -n | head -n 1
}

# Stops before a run that would fill the disk that var/ is on.
require_disk() {
    local need avail
    need=$(($(largest_size) * DISK_BYTES_PER_DOC))
    avail=$(df -B1 --output=avail "$REPO/var" | tail -n 1 | tr -d ' ')
    ((avail > need)) || die "$REPO/var has $((avail / 1000000)) MB free; SIZES needs about $((need / 1000000)) MB"
    note "disk: $((avail / 1000000)) MB free under var/, the largest size needs about $((need / 1000000)) MB"
}

# ---- one corpus -------------------------------------------------------------

# The value of "key" in a one-line JSON object.
json_field() {
    sed -n "s/.*\"$2\":\\([^,}]*\\).*/\\1/p" <<<"$1" | tr -d '"'
}

# A field of /proc/$SEARCHD_PID/status in kB (VmRSS, VmHWM); 0 when unreadable.
vm_kb() {
    awk -v k="$1:" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' \
        "/proc/$SEARCHD_PID/status" 2>/dev/null || echo 0
}

# Writes articles 1..$1 to $2 with lede-synth, timed; prints the seconds.
synthesize() {
    local count=$1 out=$2 err=$WORK_DIR/synth.err
    # shellcheck disable=SC2046 # one path per corpus
    /usr/bin/time -f '%e' -o "$WORK_DIR/synth.time" "$SYNTH" -n "$count" --seed "$SEED" \
        -o "$out" $(learn_paths) 2>"$err" || die "lede-synth failed: $(cat -- "$err")"
    note "  $(tail -n 1 "$err")"
    tail -n 1 "$WORK_DIR/synth.time"
}

# Draws the query file from the first min(SIZES) synthetic articles.
make_queries() {
    local input=$WORK_DIR/query-corpus.jsonl
    note "query file: $QUERY_COUNT queries from the first $(smallest_size) synthetic articles"
    synthesize "$(smallest_size)" "$input" >/dev/null
    "$QUERYGEN" --count "$QUERY_COUNT" --seed "$QUERY_SEED" -o "$WORK_DIR/queries.txt" "$input" \
        2>"$WORK_DIR/querygen.err" || die "lede-querygen failed: $(cat -- "$WORK_DIR/querygen.err")"
    rm -f -- "$input"
}

# Records the size of the index directory every few seconds, keeping the
# largest, until it is stopped.
sample_disk() {
    local db=$1 out=$2 size largest=0
    while sleep "$DISK_SAMPLE_SECONDS"; do
        size=$(du -sb "$db" 2>/dev/null | cut -f1) || continue
        ((size > largest)) && largest=$size && echo "$largest" >"$out"
    done
}

# Builds the index from $1, timed; leaves "wall_s rss_kb cpu_s docs" in
# index.result.
build_index() {
    local input=$1 status=0 docs
    echo 0 >"$WORK_DIR/disk_peak"
    sample_disk "$WORK_DIR/db" "$WORK_DIR/disk_peak" &
    SAMPLER_PID=$!
    /usr/bin/time -f '%e %M %U %S' -o "$WORK_DIR/index.time" "$INDEXER" --db "$WORK_DIR/db" --no-progress \
        "$input" >"$WORK_DIR/indexer.out" 2>"$WORK_DIR/indexer.err" || status=$?
    stop_pid "$SAMPLER_PID" "the disk sampler"
    SAMPLER_PID=""
    # Status 1 means some records were rejected; the rest were indexed.
    if ((status > 1)); then
        tail -n 20 "$WORK_DIR/indexer.err" >&2
        die "lede-indexer failed with status $status"
    fi
    note "  $(tail -n 1 "$WORK_DIR/indexer.out")"
    docs=$(sed -n 's/^lede-indexer: added \([0-9][0-9]*\),.*/\1/p' "$WORK_DIR/indexer.out")
    tail -n 1 "$WORK_DIR/index.time" | awk -v d="${docs:-0}" '{ print $1, $2, $3 + $4, d }' \
        >"$WORK_DIR/index.result"
}

live_generation() {
    printf '%s\n' "$WORK_DIR/db/$(cut -d' ' -f2 "$WORK_DIR/db/XAPIANDB")"
}

live_generation_bytes() {
    du -sb "$(live_generation)" | cut -f1
}

# "TERMS WORDS": the distinct terms of the index, and those that are plain
# lower-case words (what the spelling table is built from); "- -" without
# xapian-delve (package xapian-tools).
count_terms() {
    if ! command -v xapian-delve >/dev/null; then
        echo "- -"
        return
    fi
    xapian-delve -a "$(live_generation)" | tr ' ' '\n' |
        awk 'NR > 4 { t++ } NR > 4 && /^[a-z]+$/ { w++ } END { print t + 0, w + 0 }'
}

# Starts lede-searchd on a free port and waits for its "listening on" line;
# OPEN_S is the seconds it took. Its HTTP listener is turned off (a running
# quick-start daemon may hold that port), when the binary has one: builds
# older than the HTTP front end refuse the key.
start_searchd() {
    local log=$WORK_DIR/searchd.log i start http_off=()
    grep -q http_listen "$SEARCHD" && http_off=(-o http_listen=off)
    start=$(date +%s.%N)
    "$SEARCHD" --db "$WORK_DIR/db" --listen 127.0.0.1:0 "${http_off[@]}" 2>"$log" &
    SEARCHD_PID=$!
    PORT=""
    for ((i = 0; i < START_TIMEOUT_SECONDS * 20; i++)); do
        PORT=$(searchd_port "$log")
        [[ -z $PORT ]] || break
        kill -0 "$SEARCHD_PID" 2>/dev/null || die "lede-searchd exited: $(cat -- "$log")"
        sleep 0.05
    done
    [[ -n $PORT ]] || die "lede-searchd did not start listening within $START_TIMEOUT_SECONDS s"
    OPEN_S=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
}

# The number of matches of each plain or phrase query (exact: a facet is
# asked for), one per line, asked of the daemon over one connection.
count_matches() {
    local q esc reply
    exec 3<>"/dev/tcp/127.0.0.1/$PORT"
    while IFS= read -r q; do
        [[ $q != '{'* ]] || continue
        esc=${q//\\/\\\\}
        esc=${esc//\"/\\\"}
        printf '{"op":"search","q":"%s","limit":1,"snippet":false,"suggest":false,"facets":["year"]}\n' \
            "$esc" >&3
        IFS= read -r reply <&3
        json_field "$reply" total
    done <"$WORK_DIR/queries.txt"
    exec 3>&-
}

# Runs every concurrency and mode against the daemon; appends "query"
# lines to the results.
measure_queries() {
    local label=$1 results=$2 conc mode json err=$WORK_DIR/loadgen.err cpu_us
    for conc in $CONCURRENCY; do
        for mode in $MODES; do
            json=$("$LOADGEN" --port "$PORT" --connections "$conc" --duration "$DURATION" \
                --warmup "$WARMUP" --queries "$WORK_DIR/queries.txt" --mode "$mode" \
                --server-pid "$SEARCHD_PID" --json 2>"$err") || die "lede-loadgen failed: $(cat -- "$err")"
            cpu_us=$(awk -v c="$(json_field "$json" server_cpu_s)" -v n="$(json_field "$json" requests)" \
                'BEGIN { printf "%.0f", n ? c / n * 1e6 : 0 }')
            printf 'query %s %s %s %s %s %s %s %s %s\n' "$label" "$conc" "$mode" \
                "$(json_field "$json" qps)" "$(json_field "$json" p50_ms)" \
                "$(json_field "$json" p95_ms)" "$(json_field "$json" p99_ms)" \
                "$(json_field "$json" errors)" "$cpu_us" >>"$results"
            note "  c=$conc $mode: $(json_field "$json" qps) q/s, p50 $(json_field "$json" p50_ms) ms, p99 $(json_field "$json" p99_ms) ms"
        done
    done
}

# Indexes $2 under the label $1, then serves and queries it; appends one
# "index" and one "daemon" line and the "query" lines to $3.
measure_corpus() {
    local label=$1 input=$2 results=$3 synth_s=$4 input_bytes index_bytes matches
    input_bytes=$(stat -c %s -- "$input")
    build_index "$input"
    [[ $input != "$WORK_DIR"/* ]] || rm -f -- "$input"
    index_bytes=$(live_generation_bytes)
    printf 'index %s %s %s %s %s %s %s\n' "$label" "$(cat -- "$WORK_DIR/index.result")" "$input_bytes" \
        "$index_bytes" "$(cat -- "$WORK_DIR/disk_peak")" "$synth_s" "$(count_terms)" >>"$results"
    start_searchd
    note "  lede-searchd pid $SEARCHD_PID on 127.0.0.1:$PORT, ready in $OPEN_S s; index $((index_bytes / 1000000)) MB"
    matches=$(count_matches | median || echo 0)
    measure_queries "$label" "$results"
    printf 'daemon %s %s %s %s\n' "$label" "$OPEN_S" "$(vm_kb VmHWM)" "$matches" >>"$results"
    stop_searchd
    rm -rf -- "$WORK_DIR/db"
}

# Gzip input is read as it is; its size counts uncompressed bytes.
measure_real() {
    local results=$1 input=$WORK_DIR/real.jsonl
    note "real corpus: $REAL_CORPUS"
    zcat -- "$(corpus_path "$REAL_CORPUS")" >"$input"
    measure_corpus real "$input" "$results" -
}

measure_synthetic() {
    local results=$1 size=$2 input=$WORK_DIR/synth.jsonl synth_s
    note "synthetic corpus: $size articles"
    synth_s=$(synthesize "$size" "$input")
    measure_corpus "$size" "$input" "$results" "$synth_s"
}

# ---- the report ---------------------------------------------------------------

# Field $2 (1-based, after the kind and label) of the "$1 LABEL" line.
field() {
    awk -v kind="$1" -v label="$3" -v k="$2" '$1 == kind && $2 == label { print $(k + 2); exit }' "$RESULTS"
}

query_field() {
    awk -v label="$1" -v c="$2" -v m="$3" -v k="$4" \
        '$1 == "query" && $2 == label && $3 == c && $4 == m { print $(k + 4); exit }' "$RESULTS"
}

mb() {
    awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'
}

# A growth factor $1 / $2 ("1.00x" for the baseline itself).
growth() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0 || a == "" || a == "-") print "n/a"; else printf "%.2fx", a / b }'
}

corpus_labels() {
    ((REAL)) && echo real
    size_list
}

describe() {
    [[ $1 == real ]] && printf '%s (real)' "$REAL_CORPUS" || printf 'synthetic %s' "$1"
}

print_index_rows() {
    local base label wall rss cpu docs in_b idx_b disk synth terms words
    base=$(base_size)
    for label in $(corpus_labels); do
        read -r wall rss cpu docs in_b idx_b disk synth terms words <<<"$(awk -v l="$label" \
            '$1 == "index" && $2 == l { print $3, $4, $5, $6, $7, $8, $9, $10, $11, $12; exit }' \
            "$RESULTS")"
        printf '| %s | %s | %s | %s | %s | %.1f | %.0f | %s | %.0f | %s | %s | %.0f | %s | %s | %s | %s | %s | %s |\n' \
            "$(describe "$label")" "$docs" "$(mb "$in_b")" "$synth" "$wall" "$cpu" \
            "$(awk -v d="$docs" -v w="$wall" 'BEGIN { print w ? d / w : 0 }')" "$(mb "$idx_b")" \
            "$(awk -v b="$idx_b" -v d="$docs" 'BEGIN { print d ? b / d : 0 }')" "$terms" "$words" \
            "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$(mb "$disk")" \
            "$(growth "$wall" "$(field index 1 "$base")")" \
            "$(growth "$cpu" "$(field index 3 "$base")")" \
            "$(growth "$idx_b" "$(field index 6 "$base")")" \
            "$(growth "$words" "$(field index 10 "$base")")" \
            "$(growth "$rss" "$(field index 2 "$base")")"
    done
}

print_query_rows() {
    local base label conc mode qps p50 p99 errors cpu matches
    base=$(base_size)
    for label in $(corpus_labels); do
        matches=$(field daemon 3 "$label")
        for conc in $CONCURRENCY; do
            for mode in $MODES; do
                read -r qps p50 _ p99 errors cpu <<<"$(awk -v l="$label" -v c="$conc" -v m="$mode" \
                    '$1 == "query" && $2 == l && $3 == c && $4 == m { print $5, $6, $7, $8, $9, $10; exit }' \
                    "$RESULTS")"
                printf '| %s | %s | %s | %s | %.0f | %.2f | %.2f | %s | %s | %s | %s | %s | %s |\n' \
                    "$(describe "$label")" "$matches" "$conc" "$mode" "$qps" "$p50" "$p99" "$errors" "$cpu" \
                    "$(growth "$qps" "$(query_field "$base" "$conc" "$mode" 1)")" \
                    "$(growth "$p50" "$(query_field "$base" "$conc" "$mode" 2)")" \
                    "$(growth "$p99" "$(query_field "$base" "$conc" "$mode" 4)")" \
                    "$(growth "$cpu" "$(query_field "$base" "$conc" "$mode" 6)")"
            done
        done
    done
}

print_daemon_line() {
    local label out=""
    for label in $(corpus_labels); do
        out+="$(describe "$label"): ready in $(field daemon 1 "$label") s, VmHWM $(awk -v k="$(field daemon 2 "$label")" \
            'BEGIN { printf "%.0f", k / 1024 }') MB; "
    done
    printf '%s\n' "${out%; }"
}

print_facts() {
    local load_before=$1
    print_date_and_machine "$load_before"
    printf -- '- Xapian %s; lede commit %s; %s build in %s\n' "$(xapian_version)" "$(lede_commit)" \
        "$(build_type)" "${BIN_DIR#"$REPO"/}"
    printf -- '- command: %s\n' "$(as_code "${GIVEN_SETTINGS}bench/scale.sh")"
    printf -- '- synthetic corpora: %s, learned from %s, seed %s\n' \
        "$(as_code "lede-synth -n SIZE --seed $SEED")" "$SYNTH_CORPORA" "$SEED"
    printf -- '- indexing: %s (default settings), one run per size\n' \
        "$(as_code 'lede-indexer --db D --no-progress INPUT.jsonl')"
    printf -- '- queries: %s, drawn by lede-querygen from the first %s synthetic articles; every size answers the same file; %s s per run after %s s warmup, one run per cell\n' \
        "$(query_mix)" "$(smallest_size)" "$DURATION" "$WARMUP"
}

print_report() {
    local load_before=$1
    printf '## Scale: indexing and queries from %s to %s articles\n\n' "$(smallest_size)" "$(largest_size)"
    print_facts "$load_before"
    printf '\n| corpus | docs | input MB | lede-synth s | index wall s | indexer CPU s | docs/s | index MB | index bytes/doc | terms | letter words | peak RSS MB | peak disk MB | × wall | × CPU | × index MB | × words | × RSS |\n'
    printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    print_index_rows
    printf '\n| corpus | matches/query (median) | connections | mode | q/s | p50 ms | p99 ms | errors | searchd CPU µs/request | × q/s | × p50 | × p99 | × CPU/request |\n'
    printf '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    print_query_rows
    printf '\nlede-searchd: %s.\n' "$(print_daemon_line)"
    printf '\nGrowth factors (×) are relative to synthetic %s. MB = 10^6 bytes; input MB is\n' \
        "$(base_size)"
    # shellcheck disable=SC2016 # markdown backticks
    printf 'uncompressed JSON; index MB is `du -sb` of the live generation; peak disk is the\n'
    # shellcheck disable=SC2016
    printf 'largest `du -sb` of the index directory sampled every %s s while building\n' "$DISK_SAMPLE_SECONDS"
    printf '(shards and merged generation together); peak RSS is GNU time %%M of lede-indexer.\n'
    printf 'CPU is user + system time: of lede-indexer (GNU time), and of lede-searchd per\n'
    printf 'request over the measured window (/proc, in 10 ms ticks); on a shared machine it\n'
    printf 'moves less than wall time and queries/s. lede-synth s includes learning the model.\n'
    printf 'Terms are the distinct terms of the index (xapian-delve -a), prefixed ones included;\n'
    printf 'letter words are the unprefixed ones of letters a-z only, close to what the\n'
    printf 'spelling table holds. Matches per query count the plain and phrase queries only\n'
    printf '(exact totals).\n'
}

main() {
    local load_before
    require_settings
    require_corpora_or_skip
    build_if_missing
    mkdir -p "$REPO/var"
    require_disk
    WORK_DIR=$(mktemp -d "$REPO/var/bench-scale.XXXXXX")
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    RESULTS=$WORK_DIR/results
    : >"$RESULTS"
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    note "binaries in $BIN_DIR; sizes '$SIZES'; learning from '$SYNTH_CORPORA'"
    make_queries
    ((REAL)) && measure_real "$RESULTS"
    for size in $SIZES; do measure_synthetic "$RESULTS" "$size"; done
    print_report "$load_before"
}

main "$@"
