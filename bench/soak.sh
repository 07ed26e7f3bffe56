#!/usr/bin/env bash
# A soak test of lede-searchd: mixed line-protocol and HTTP load while the
# index changes under it, for DURATION seconds. Failures, p99 latency, the
# daemon's memory (RSS) and open file descriptors are recorded over time in
# CSV files, plotted as a PNG with gnuplot, and summed up as a markdown
# section for bench/RESULTS.md on standard output.
#
# One run:
#   1. indexes the first BASE_DOCS articles of Reuters-21578 with lede-indexer
#      and draws a query file from the corpus's titles (lede-querygen);
#   2. starts lede-searchd on 127.0.0.1 (line protocol and HTTP, free ports);
#   3. runs two lede-loadgen processes for DURATION seconds, --reconnect and
#      --series: CONNECTIONS/2 line-protocol connections and CONNECTIONS/2
#      HTTP ones, mode page (snippets, spelling suggestions, facets);
#   4. meanwhile one writer changes the index: every COMMIT_SECONDS an
#      incremental update (BATCH_DOCS articles from the rest of the corpus,
#      in turn, re-added once all have been), and every REBUILD_SECONDS a
#      rebuild from the base articles (lede-indexer --rebuild), which swaps
#      a new index in;
#   5. every SAMPLE_SECONDS records the daemon's RSS, open descriptors and
#      threads (from /proc).
# A failure is an error reply or a connection that broke. The run fails
# (exit 1) when a request failed, lede-searchd did not stop cleanly, or an
# index update failed (rejected records, lede-indexer's exit status 1, are
# counted apart: the corpus has a few without a title or a body).
#
# Environment:
#   DURATION         seconds of load (default 1800)
#   CONNECTIONS      connections, half of them HTTP (default 16)
#   COMMIT_SECONDS   between incremental updates (default 2)
#   REBUILD_SECONDS  between rebuilds (default 60)
#   SAMPLE_SECONDS   between RSS and descriptor samples (default 5)
#   SERIES_SECONDS   the latency interval of the CSV (default 10)
#   BASE_DOCS        articles in the base index and each rebuild (default 5000)
#   BATCH_DOCS       articles per incremental update (default 20)
#   MODE             lede-loadgen's mode (default page)
#   SEARCHD_THREADS  lede-searchd --threads (default 0: one per core)
#   OUT_DIR          where the CSV files, the PNG and the logs go (default
#                    var/soak-DATE-TIME; the index is removed at the end)
#   LEDE_CORPORA     corpora directory (default ../shared/corpora next to the repo)
#   LEDE_BIN_DIR     a build directory with indexer/, searchd/ and bench/
#                    binaries (default build/, built in Release mode when missing)
#
# It needs gnuplot for the graph; when it is missing it is installed with
# apt-get (gnuplot-nox), and without it the script says so and skips the PNG.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
DURATION=${DURATION:-1800}
CONNECTIONS=${CONNECTIONS:-16}
COMMIT_SECONDS=${COMMIT_SECONDS:-2}
REBUILD_SECONDS=${REBUILD_SECONDS:-60}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-5}
SERIES_SECONDS=${SERIES_SECONDS:-10}
BASE_DOCS=${BASE_DOCS:-5000}
BATCH_DOCS=${BATCH_DOCS:-20}
MODE=${MODE:-page}
SEARCHD_THREADS=${SEARCHD_THREADS:-0}
OUT_DIR=${OUT_DIR:-$REPO/var/soak-$(date +%Y%m%d-%H%M%S)}
CORPORA=${LEDE_CORPORA:-$REPO/../shared/corpora}
BIN_DIR=${LEDE_BIN_DIR:-$REPO/build}
CORPUS=$CORPORA/reuters21578/articles.jsonl.gz
# How long a daemon may take to open the index and listen.
START_TIMEOUT_SECONDS=30
# How long it may take to stop after SIGTERM before it is killed (stop_pid).
export STOP_TIMEOUT_SECONDS=10
# RSS samples this early (the daemon warming its caches) do not count for
# the growth figure.
RSS_SETTLE_SECONDS=120

SEARCHD_PID=""
WRITER_PID=""
SAMPLER_PID=""
LOADGEN_PIDS=()
PORT=""
HTTP_PORT=""

set_binaries() {
    lede_binaries
}

binaries_present() {
    local b
    for b in "$INDEXER" "$SEARCHD" "$LOADGEN" "$QUERYGEN"; do
        [[ -x $b ]] || return 1
    done
}

cleanup() {
    local pid
    for pid in "${LOADGEN_PIDS[@]}" "$WRITER_PID" "$SAMPLER_PID"; do
        if [[ -n $pid ]]; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    wait 2>/dev/null || true
    stop_pid "$SEARCHD_PID" lede-searchd
    rm -rf -- "${OUT_DIR:?}/idx" 2>/dev/null || true
    rm -f -- "$OUT_DIR/base.jsonl" "$OUT_DIR/pool.jsonl" "$OUT_DIR/batch.jsonl" "$OUT_DIR"/*.dat

}

require_settings() {
    local name
    for name in DURATION CONNECTIONS COMMIT_SECONDS REBUILD_SECONDS SAMPLE_SECONDS SERIES_SECONDS \
        BASE_DOCS BATCH_DOCS; do
        [[ ${!name} =~ ^[1-9][0-9]*$ ]] || die "$name must be a positive whole number, not '${!name}'"
    done
    ((CONNECTIONS >= 2)) || die "CONNECTIONS must be at least 2 (half line protocol, half HTTP)"
    [[ -r $CORPUS ]] || { note "skipped: $CORPUS not found (set LEDE_CORPORA)"; exit 0; }
}

# gnuplot, installed from Debian when missing; false when it cannot be.
ensure_gnuplot() {
    command -v gnuplot >/dev/null && return 0
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo=sudo
    note "installing gnuplot-nox for the graph"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends gnuplot-nox \
        >&2 || true
    command -v gnuplot >/dev/null
}

# The base articles, the pool the updates draw from, and the query file.
prepare_inputs() {
    zcat -- "$CORPUS" >"$OUT_DIR/all.jsonl"
    head -n "$BASE_DOCS" "$OUT_DIR/all.jsonl" >"$OUT_DIR/base.jsonl"
    tail -n "+$((BASE_DOCS + 1))" "$OUT_DIR/all.jsonl" >"$OUT_DIR/pool.jsonl"
    rm -f -- "$OUT_DIR/all.jsonl"
    POOL_DOCS=$(wc -l <"$OUT_DIR/pool.jsonl")
    ((POOL_DOCS >= BATCH_DOCS)) || die "the corpus has too few articles past BASE_DOCS=$BASE_DOCS"
    "$QUERYGEN" -n 300 --seed 3 -o "$OUT_DIR/queries.txt" "$OUT_DIR/base.jsonl" 2>/dev/null
    "$INDEXER" --db "$OUT_DIR/idx" --quiet --no-progress "$OUT_DIR/base.jsonl"
}

start_searchd() {
    local log=$OUT_DIR/searchd.log i
    "$SEARCHD" --db "$OUT_DIR/idx" --listen 127.0.0.1:0 -o http_listen=127.0.0.1:0 \
        --threads "$SEARCHD_THREADS" 2>"$log" &
    SEARCHD_PID=$!
    for ((i = 0; i < START_TIMEOUT_SECONDS * 10; i++)); do
        PORT=$(searchd_port "$log")
        [[ -z $PORT ]] || break
        kill -0 "$SEARCHD_PID" 2>/dev/null || die "lede-searchd exited: $(cat -- "$log")"
        sleep 0.1
    done
    [[ -n $PORT ]] || die "lede-searchd did not start listening within $START_TIMEOUT_SECONDS s"
    HTTP_PORT=$(sed -n 's/.* info: http listening on 127\.0\.0\.1:\([0-9][0-9]*\),.*/\1/p' "$log" | head -n 1)
    [[ -n $HTTP_PORT ]] || die "lede-searchd did not say its HTTP port"
    note "lede-searchd pid $SEARCHD_PID: line protocol on $PORT, HTTP on $HTTP_PORT"
}

# Runs one indexer command and logs "unix_time,kind,seconds,status" to
# writer.csv (and its output to writer.log). Status 1 is a run that
# indexed everything valid and rejected some records (the corpus has a
# few without a title or a body); 2 is a failure.
index_once() {
    local kind=$1 t0 t1 rc=0
    shift
    t0=$(date +%s.%N)
    "$INDEXER" --db "$OUT_DIR/idx" --no-progress "$@" >>"$OUT_DIR/writer.log" 2>&1 || rc=$?
    t1=$(date +%s.%N)
    awk -v t0="$t0" -v t1="$t1" -v k="$kind" -v rc="$rc" \
        'BEGIN { printf "%.0f,%s,%.2f,%d\n", t1, k, t1 - t0, rc }' >>"$OUT_DIR/writer.csv"
}

# The index's changes until $1 (unix time): updates every COMMIT_SECONDS,
# a rebuild every REBUILD_SECONDS.
writer() {
    local end=$1 next_rebuild next_commit now from=1
    next_rebuild=$(($(date +%s) + REBUILD_SECONDS))
    echo "unix_time,kind,seconds,status" >"$OUT_DIR/writer.csv"
    while now=$(date +%s) && ((now < end)); do
        next_commit=$((now + COMMIT_SECONDS))
        if ((now >= next_rebuild)); then
            index_once rebuild --rebuild "$OUT_DIR/base.jsonl"
            next_rebuild=$((now + REBUILD_SECONDS))
        else
            ((from + BATCH_DOCS - 1 <= POOL_DOCS)) || from=1
            sed -n "${from},$((from + BATCH_DOCS - 1))p" "$OUT_DIR/pool.jsonl" >"$OUT_DIR/batch.jsonl"
            from=$((from + BATCH_DOCS))
            index_once update "$OUT_DIR/batch.jsonl"
        fi
        now=$(date +%s)
        ((now >= next_commit)) || sleep $((next_commit - now))
    done
}

# The daemon's RSS (KB), open descriptors and threads every SAMPLE_SECONDS.
sampler() {
    local rss threads fds
    echo "unix_time,rss_kb,fds,threads" >"$OUT_DIR/samples.csv"
    while kill -0 "$SEARCHD_PID" 2>/dev/null; do
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SEARCHD_PID/status" 2>/dev/null) || break
        threads=$(awk '/^Threads:/ { print $2 }' "/proc/$SEARCHD_PID/status" 2>/dev/null) || break
        fds=$(find "/proc/$SEARCHD_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
        echo "$(date +%s),$rss,$fds,$threads" >>"$OUT_DIR/samples.csv"
        sleep "$SAMPLE_SECONDS"
    done
}

# Starts the load: half the connections on each protocol.
start_load() {
    local half=$((CONNECTIONS / 2)) proto port n
    for proto in lede http; do
        port=$PORT n=$half
        [[ $proto == lede ]] || port=$HTTP_PORT n=$((CONNECTIONS - half))
        "$LOADGEN" --protocol "$proto" --port "$port" --queries "$OUT_DIR/queries.txt" --mode "$MODE" \
            --connections "$n" --duration "$DURATION" --warmup 0 --series "$OUT_DIR/series.csv" \
            --interval "$SERIES_SECONDS" --reconnect >"$OUT_DIR/loadgen-$proto.txt" \
            2>"$OUT_DIR/loadgen-$proto.log" &
        LOADGEN_PIDS+=($!)
    done
}

# One STATS reply line from the daemon, over bash's /dev/tcp.
stats_line() {
    local line=""
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 0
    printf 'STATS\n' >&3
    IFS= read -r -t 10 line <&3 || true
    exec 3>&-
    printf '%s\n' "$line"
}

# A number from a lede-loadgen report line: $1 the file, $2 the word before
# it ("requests", "errors") or after it ("p99").
report_figure() {
    awk -v w="$2" '{ for (i = 1; i < NF; i++) {
        if ($(i + 1) == w "," || $(i + 1) == w) { v = $i }
        if ($i == w) { v = $(i + 1) } } }
        END { gsub(/[^0-9.]/, "", v); print v + 0 }' "$1"
}

plot() {
    local t0=$1
    awk -F, -v t0="$t0" 'NR > 1 { m = ($1 - t0) / 60
        f = $4 + $5; print m, $7, f, $3 > (d "/" $2 ".dat") }' d="$OUT_DIR" "$OUT_DIR/series.csv"
    awk -F, -v t0="$t0" 'NR > 1 { print ($1 - t0) / 60, $2 / 1024, $3 }' "$OUT_DIR/samples.csv" \
        >"$OUT_DIR/samples.dat"
    awk -F, -v t0="$t0" 'NR > 1 && $2 == "rebuild" { print ($1 - t0) / 60 }' "$OUT_DIR/writer.csv" \
        >"$OUT_DIR/rebuilds.dat"
    gnuplot <<EOF
set terminal png size 900,900 small
set output "$OUT_DIR/soak.png"
set multiplot layout 4,1 title "lede-searchd soak: $CONNECTIONS connections, update every ${COMMIT_SECONDS}s, rebuild every ${REBUILD_SECONDS}s"
set grid
set key bottom right horizontal
set xrange [0:$((DURATION / 60 + 1))]
set offsets 0, 0, graph 0.1, 0
set ylabel "p99 ms"
plot "$OUT_DIR/lede.dat" using 1:2 with lines title "line protocol", \
     "$OUT_DIR/http.dat" using 1:2 with lines title "HTTP"
set ylabel "failed / ${SERIES_SECONDS}s"
set yrange [0:*]
plot "$OUT_DIR/lede.dat" using 1:3 with steps lw 2 title "line protocol", \
     "$OUT_DIR/http.dat" using 1:3 with steps lw 2 title "HTTP"
set ylabel "RSS MB"
plot "$OUT_DIR/samples.dat" using 1:2 with lines title "lede-searchd RSS"
set ylabel "open fds"
set xlabel "minutes"
plot "$OUT_DIR/samples.dat" using 1:3 with lines title "open descriptors"
unset multiplot
EOF
}

# RSS growth in MB per hour after RSS_SETTLE_SECONDS (least squares).
rss_slope() {
    awk -F, -v t0="$1" -v settle="$RSS_SETTLE_SECONDS" 'NR > 1 && $1 - t0 >= settle {
        x = ($1 - t0) / 3600; y = $2 / 1024; n++; sx += x; sy += y; sxx += x * x; sxy += x * y }
        END { d = n * sxx - sx * sx; if (n < 3 || d == 0) print "n/a"
              else printf "%.2f", (n * sxy - sx * sy) / d }' "$OUT_DIR/samples.csv"
}

# min, max, first and last (after settling) of column $1 of samples.csv.
column_stats() {
    awk -F, -v c="$1" -v t0="$2" -v settle="$RSS_SETTLE_SECONDS" -v div="$3" 'NR > 1 {
        v = $c / div; if (min == "" || v < min) min = v; if (v > max) max = v
        if ($1 - t0 >= settle && first == "") first = v; last = v }
        END { if (first == "") first = "n/a"; else first = sprintf("%.1f", first)
              printf "%.1f %.1f %s %.1f\n", min, max, first, last }' "$OUT_DIR/samples.csv"
}

summary() {
    local t0=$1 status=$2 stop_rc=$3 png=$4 proto requests errors p99 broken updates rebuilds
    local failed_updates failed_rebuilds rejecting rss fds
    read -r updates failed_updates rebuilds failed_rebuilds rejecting < <(awk -F, 'NR > 1 {
        if ($4 == 1) j++
        if ($2 == "update") { u++; if ($4 > 1) uf++ } else { r++; if ($4 > 1) rf++ } }
        END { print u + 0, uf + 0, r + 0, rf + 0, j + 0 }' "$OUT_DIR/writer.csv")
    printf '## Soak: %s s of mixed load while the index changes\n\n' "$DURATION"
    printf 'Machine: %s cores (%s), load average %s at the start; lede %s, Xapian %s, %s build.\n\n' \
        "$(nproc)" "$(cpu_model)" "$LOAD_AT_START" "$(lede_commit)" "$(xapian_version)" \
        "$(build_type)"
    printf 'Command: `%s`\n\n' "DURATION=$DURATION CONNECTIONS=$CONNECTIONS nice bench/soak.sh"
    printf 'Index: %s Reuters articles; an update of %s articles every %s s (%s runs, %s failed),\n' \
        "$BASE_DOCS" "$BATCH_DOCS" "$COMMIT_SECONDS" "$updates" "$failed_updates"
    printf 'a rebuild from the %s every %s s (%s runs, %s failed, median %s s); %s runs rejected\n' \
        "$BASE_DOCS" "$REBUILD_SECONDS" "$rebuilds" "$failed_rebuilds" \
        "$(awk -F, 'NR > 1 && $2 == "rebuild" { print $3 }' "$OUT_DIR/writer.csv" | median || echo n/a)" \
        "$rejecting"
    printf 'records of the corpus (exit status 1: the valid ones indexed; see writer.log).\n\n'
    printf '| protocol | connections | requests | error replies | broken connections | p99 ms (whole run) | worst %s s p99 ms |\n' "$SERIES_SECONDS"
    printf '|---|---|---|---|---|---|---|\n'
    for proto in lede http; do
        requests=$(report_figure "$OUT_DIR/loadgen-$proto.txt" requests)
        errors=$(report_figure "$OUT_DIR/loadgen-$proto.txt" errors)
        p99=$(report_figure "$OUT_DIR/loadgen-$proto.txt" p99)
        broken=$(awk -F, -v p="$proto" '$2 == p { b += $5 } END { print b + 0 }' "$OUT_DIR/series.csv")
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$proto" "$((CONNECTIONS / 2))" "$requests" \
            "$errors" "$broken" "$p99" \
            "$(awk -F, -v p="$proto" '$2 == p && $7 > m { m = $7 } END { print m + 0 }' "$OUT_DIR/series.csv")"
    done
    read -r -a rss < <(column_stats 2 "$t0" 1024)
    read -r -a fds < <(column_stats 3 "$t0" 1)
    printf '\nlede-searchd RSS: %s MB at %s s, %s MB at the end (min %s, max %s); growth after %s s: %s MB/hour.\n' \
        "${rss[2]}" "$RSS_SETTLE_SECONDS" "${rss[3]}" "${rss[0]}" "${rss[1]}" "$RSS_SETTLE_SECONDS" \
        "$(rss_slope "$t0")"
    printf 'Open descriptors: %s to %s. Stopped with SIGTERM: exit %s.\n' "${fds[0]%.*}" "${fds[1]%.*}" \
        "$stop_rc"
    printf 'STATS at the end: %s\n\n' "$(sed 's/"latency_ms".*//' <<<"$FINAL_STATS")"
    [[ -z $png ]] || printf 'Graph: `%s` (p99, failures, RSS and descriptors over time).\n\n' "$png"
    printf 'Result: %s.\n' "$([[ $status -eq 0 ]] && echo "0 failed requests" || echo "FAILED (see $OUT_DIR)")"
}

main() {
    require_settings
    build_if_missing
    mkdir -p "$OUT_DIR"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)
    note "output in $OUT_DIR"
    prepare_inputs
    start_searchd
    local t0 end status=0 stop_rc proto png=""
    t0=$(date +%s)
    end=$((t0 + DURATION))
    start_load
    writer "$end" &
    WRITER_PID=$!
    sampler &
    SAMPLER_PID=$!
    note "load for $DURATION s (until $(date -d "@$end" +%H:%M:%S))"
    for proto in 0 1; do wait "${LOADGEN_PIDS[$proto]}" || status=1; done
    LOADGEN_PIDS=()
    for proto in lede http; do
        (($(report_figure "$OUT_DIR/loadgen-$proto.txt" errors) == 0)) || status=1
    done
    wait "$WRITER_PID" || true
    WRITER_PID=""
    FINAL_STATS=$(stats_line)
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
    kill -TERM "$SEARCHD_PID"
    stop_rc=0
    wait "$SEARCHD_PID" || stop_rc=$?
    SEARCHD_PID=""
    ((stop_rc == 0)) || status=1
    awk -F, 'NR > 1 && $4 > 1 { bad = 1 } END { exit bad }' "$OUT_DIR/writer.csv" || status=1
    if ensure_gnuplot; then
        plot "$t0" && png=$OUT_DIR/soak.png
    else
        note "no gnuplot: the graph is skipped (apt-get install gnuplot-nox)"
    fi
    summary "$t0" "$status" "$stop_rc" "${png#"$REPO"/}"
    return "$status"
}

main "$@"
