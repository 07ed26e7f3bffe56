#!/usr/bin/env bash
# Measures how lede-searchd's time bounds hold (issue 11): the attack
# queries that ran for up to 47 s (a phrase of 10,000 "the", 7,000 words, a
# 47 KB request) and the most expensive queries the size limits still let
# through, each sent in a closed loop by ATTACKERS connections while one
# more connection sends PING, and prints a markdown section for
# bench/RESULTS.md on standard output.
#
# One run: index the Reuters-21578, 20 Newsgroups and BBC corpora (about
# 42,000 articles) with lede-indexer, start lede-searchd with its defaults
# (query_timeout_ms 2000, one worker thread per core), measure the PING
# latency alone, then for each query and each number of attackers run
#   lede-loadgen --as-is    the query, ATTACKERS connections, DURATION s
#   lede-loadgen --as-is    {"op":"ping"} on one more connection, meanwhile
# and sample the daemon's RSS. The table gives each query's latency (p50,
# p99, max), the worst as a multiple of the 2 s budget, the PING latency
# meanwhile, and the daemon's peak RSS.
#
# Environment:
#   ATTACKERS        numbers of attacking connections (default "1 4"): with
#                    one, the PING connection has a worker of its own; with
#                    as many as the workers or more, it shares one
#   DURATION         seconds per run (default 15)
#   LEDE_CORPORA     corpora directory (default ../shared/corpora next to the repo)
#   LEDE_BIN_DIR     a build directory with indexer/, searchd/ and bench/
#                    binaries (default build/, built in Release mode when missing)
#   LEDE_DB          an index of those corpora built before, used instead of
#                    indexing them again
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
ATTACKERS=${ATTACKERS:-1 4}
DURATION=${DURATION:-15}
CORPORA=${LEDE_CORPORA:-$REPO/../shared/corpora}
BIN_DIR=${LEDE_BIN_DIR:-$REPO/build}
CORPUS_NAMES="reuters21578 20newsgroups bbc"
BUDGET_MS=2000
START_TIMEOUT_SECONDS=30
export STOP_TIMEOUT_SECONDS=10

WORK_DIR=""
SEARCHD_PID=""
PORT=""

set_binaries() {
    INDEXER=$BIN_DIR/indexer/lede-indexer
    SEARCHD=$BIN_DIR/searchd/lede-searchd
    LOADGEN=$BIN_DIR/bench/lede-loadgen
}

binaries_present() {
    [[ -x $INDEXER && -x $SEARCHD && -x $LOADGEN ]]
}

cleanup() {
    stop_pid "$SEARCHD_PID" lede-searchd
    [[ -z $WORK_DIR ]] || rm -rf -- "$WORK_DIR"
}

# One JSON search request per line of standard input (the query text).
as_requests() {
    awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "{\"op\":\"search\",\"q\":\"%s\"%s}\n", $0, extra }' \
        extra="$1"
}

# N words cycling through a list of common ones, on one line.
words() {
    awk -v n="$1" 'BEGIN { split("water city government bank market oil trade price company share year said percent billion rate people", w, " ")
        for (i = 0; i < n; i++) printf "%s%s", i ? " " : "", w[i % 16 + 1]; print "" }'
}

# Words until the line is about $1 bytes long.
bytes_of_words() {
    words $(($1 / 6)) | cut -c "1-$1"
}

write_queries() {
    local d=$WORK_DIR/q facets=',"facets":["source","category","tag","place","author","year"]'
    mkdir -p "$d"
    awk 'BEGIN { printf "\""; for (i = 0; i < 10000; i++) printf "%sthe", i ? " " : ""; print "\"" }' |
        as_requests "" >"$d/attack-phrase-10000-the"
    words 7000 | as_requests "" >"$d/attack-7000-words"
    bytes_of_words 47000 | as_requests "" >"$d/attack-47KB"
    words 64 | as_requests "$facets" >"$d/allowed-64-words-facets"
    awk 'BEGIN { printf "\""; for (i = 0; i < 12; i++) printf "%sthe", i ? " " : ""; print "\"" }' |
        as_requests "" >"$d/allowed-phrase-12-the"
    echo "st* co* re* pr*" | as_requests "$facets" >"$d/allowed-4-wildcards"
    echo "goverment bnak markett oill trde prce compny sayd" | as_requests "" >"$d/allowed-8-misspelt"
    echo '{"op":"ping"}' >"$d/ping"
}

start_searchd() {
    local log=$WORK_DIR/searchd.log i
    "$SEARCHD" --db "$DB" --listen 127.0.0.1:0 -o http_listen=off 2>"$log" &
    SEARCHD_PID=$!
    for ((i = 0; i < START_TIMEOUT_SECONDS * 10; i++)); do
        PORT=$(searchd_port "$log")
        [[ -z $PORT ]] || break
        kill -0 "$SEARCHD_PID" 2>/dev/null || die "lede-searchd exited: $(cat -- "$log")"
        sleep 0.1
    done
    [[ -n $PORT ]] || die "lede-searchd did not start listening"
}

# lede-loadgen's JSON report for query file $1 on $2 connections.
load() {
    "$LOADGEN" --port "$PORT" --queries "$1" --as-is --connections "$2" --duration "$DURATION" \
        --warmup 1 --timeout-ms 120000 --json 2>/dev/null || true
}

# The number of field $2 in lede-loadgen's JSON report $1.
field() {
    sed -n "s/.*\"$2\":\([0-9.e+-]*\).*/\1/p" <<<"$1"
}

peak_rss_mb() {
    local peak=0 rss
    while kill -0 "$SEARCHD_PID" 2>/dev/null && [[ ! -e $WORK_DIR/stop ]]; do
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SEARCHD_PID/status" 2>/dev/null || echo 0)
        ((rss > peak)) && peak=$rss
        sleep 0.2
    done
    echo $((peak / 1024))
}

# One row: query file $1, $2 attackers.
measure() {
    local file=$1 n=$2 attack ping rss_pid bytes
    rm -f "$WORK_DIR/stop"
    peak_rss_mb >"$WORK_DIR/rss" &
    rss_pid=$!
    load "$file" "$n" >"$WORK_DIR/attack.json" &
    sleep 0.5
    ping=$(load "$WORK_DIR/q/ping" 1)
    wait $!
    touch "$WORK_DIR/stop"
    wait "$rss_pid"
    attack=$(cat "$WORK_DIR/attack.json")
    bytes=$(($(wc -c <"$file") - 1))
    printf '| %s | %s | %s | %s | %s / %s / %s | %s | %.2f | %s / %s | %s |\n' "${file##*/}" "$bytes" "$n" \
        "$(field "$attack" requests)" "$(field "$attack" p50_ms)" "$(field "$attack" p99_ms)" \
        "$(field "$attack" max_ms)" "$(reply_of "$file")" \
        "$(awk -v m="$(field "$attack" max_ms)" -v b="$BUDGET_MS" 'BEGIN { print m / b }')" \
        "$(field "$ping" p99_ms)" "$(field "$ping" max_ms)" "$(cat "$WORK_DIR/rss")"
}

# What the daemon answers to the query in file $1: ok, or the error code.
reply_of() {
    local line
    exec 3<>"/dev/tcp/127.0.0.1/$PORT"
    cat -- "$1" >&3
    IFS= read -r -t 120 line <&3 || line=""
    exec 3>&-
    if [[ $line == *'"ok":true'* ]]; then
        echo "ok ($(sed -n 's/.*"total":\([0-9]*\).*/\1/p' <<<"$line" | head -n 1) hits)"
    else
        sed -n 's/.*"code":"\([a-z_]*\)".*/\1/p' <<<"$line"
    fi
}

main() {
    local name n file baseline
    build_if_missing
    for name in $CORPUS_NAMES; do
        [[ -r $CORPORA/$name/articles.jsonl.gz ]] || { note "skipped: $CORPORA/$name not found"; exit 0; }
    done
    WORK_DIR=$(mktemp -d "$REPO/var/timebounds-XXXXXX" 2>/dev/null || mktemp -d)
    trap cleanup EXIT
    DB=${LEDE_DB:-$WORK_DIR/idx}
    if [[ -z ${LEDE_DB:-} ]]; then
        note "indexing into $DB"
        # shellcheck disable=SC2046 # one path per corpus
        "$INDEXER" --db "$DB" --quiet --no-progress \
            $(for name in $CORPUS_NAMES; do echo "$CORPORA/$name/articles.jsonl.gz"; done) ||
            (($? == 1)) || die "lede-indexer failed" # 1: some records were rejected
    fi
    write_queries
    start_searchd
    baseline=$(load "$WORK_DIR/q/ping" 1)
    printf '## Hardening: time bounds\n\n'
    printf 'Machine: %s cores (%s), load average %s; lede %s, Xapian %s, %s build; index: %s (%s articles); lede-searchd defaults (query_timeout_ms %s, %s workers).\n\n' \
        "$(nproc)" "$(cpu_model)" "$(cut -d' ' -f1 /proc/loadavg)" "$(lede_commit)" \
        "$(xapian_version)" "$(build_type)" "$CORPUS_NAMES" \
        "$(sed -n 's/.*index .* (\([0-9]*\) documents).*/\1/p' "$WORK_DIR/searchd.log")" "$BUDGET_MS" \
        "$(sed -n 's/.*, \([0-9]*\) worker threads.*/\1/p' "$WORK_DIR/searchd.log")"
    printf 'Command: `%s`\n\n' "ATTACKERS='$ATTACKERS' DURATION=$DURATION nice bench/timebounds.sh"
    printf 'PING alone, one connection: p99 %s ms, max %s ms.\n\n' "$(field "$baseline" p99_ms)" \
        "$(field "$baseline" max_ms)"
    printf '| query | bytes | attackers | requests | latency p50 / p99 / max ms | reply | max / budget | PING meanwhile p99 / max ms | peak RSS MB |\n'
    printf '|---|---|---|---|---|---|---|---|---|\n'
    for file in "$WORK_DIR"/q/attack-* "$WORK_DIR"/q/allowed-*; do
        for n in $ATTACKERS; do
            note "${file##*/}, $n attackers"
            measure "$file" "$n"
        done
    done
}

main "$@"
