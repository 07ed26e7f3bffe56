#!/usr/bin/env bash
# Measures the search page's speed against an earlier build (issue 16,
# item 4): lede-searchd of each build in turn on the same Reuters index,
# the new build's lede-loadgen with CONNECTIONS connections in page mode (10 hits with
# snippets, a spelling suggestion, the source, category and year facets)
# and in ids mode, old and new alternating ROUNDS times. Mode "web" is the
# request of web/'s search page: page mode with the six facets it shows
# and the timeline. Reports queries/s
# and the daemon's CPU time per request (user + system, from /proc), with
# the medians' ratios new/old; the machine is shared, so only figures of
# the same run compare.
#
#   bench/page.sh OLD_BIN_DIR [NEW_BIN_DIR]   (NEW_BIN_DIR default: build)
#
# Environment: DB (an index; default: built from the corpus by the new
# build's lede-indexer into the work directory), CORPORA (default
# ../shared/corpora), ROUNDS (3), DURATION (10 s), WARMUP (2 s),
# CONNECTIONS (8), MODES ("page ids"; also "web"), QUERY_COUNT (300), QUERY_SEED (3),
# SEARCHD_THREADS (0: one per core), WORK_DIR (default: a temporary one).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"

[[ $# -ge 1 && $# -le 2 ]] || die "usage: bench/page.sh OLD_BIN_DIR [NEW_BIN_DIR]"
OLD_DIR=$(cd "$1" && pwd) || die "no build directory $1"
NEW_DIR=$(cd "${2:-$REPO/build}" && pwd) || die "no build directory ${2:-build}"
CORPORA=${CORPORA:-$REPO/../shared/corpora}
CORPUS_NAME=reuters21578
ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-10} WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-8} MODES=${MODES:-page ids}
QUERY_COUNT=${QUERY_COUNT:-300} QUERY_SEED=${QUERY_SEED:-3}
SEARCHD_THREADS=${SEARCHD_THREADS:-0}
STOP_TIMEOUT_SECONDS=10
BIN_DIR=$NEW_DIR
lede_binaries
all_executable "$OLD_DIR/searchd/lede-searchd" || die "$OLD_DIR lacks searchd/lede-searchd"
all_executable "$SEARCHD" "$LOADGEN" "$QUERYGEN" "$INDEXER" ||
    die "$NEW_DIR lacks lede-searchd, lede-indexer or the bench tools"
require_corpus_or_skip

OWN_WORK=""
if [[ -z ${WORK_DIR:-} ]]; then
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lede-page.XXXXXX")
    OWN_WORK=$WORK_DIR
fi
SEARCHD_PID=""
cleanup() {
    stop_pid "$SEARCHD_PID" lede-searchd
    [[ -z $OWN_WORK ]] || rm -rf -- "$OWN_WORK"
}
trap cleanup EXIT

if [[ -z ${DB:-} ]]; then
    DB=$WORK_DIR/db
    note "indexing $(corpus_file) with $INDEXER"
    "$INDEXER" --db "$DB" "$(corpus_file)" 2>"$WORK_DIR/index.log" ||
        die "lede-indexer failed: $(tail -n 3 "$WORK_DIR/index.log")"
fi
make_corpus_queries
# The search page's request (web/lede.js) for each query.
python3 - "$WORK_DIR/queries.txt" >"$WORK_DIR/queries-web.txt" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    req = json.loads(line) if line.startswith("{") else {"op": "search", "q": line}
    req["facets"] = ["source", "category", "place", "author", "tag", "year", "timeline"]
    print(json.dumps(req))
PY

# CPU seconds (user + system) process $1 has used.
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

# Starts build $1's lede-searchd on a free port; sets SEARCHD_PID, PORT.
start_searchd() {
    local log=$WORK_DIR/searchd.log i
    # Not the last run's log, whose port the loop below could read before
    # the new daemon has truncated it.
    rm -f -- "$log"
    "$1/searchd/lede-searchd" --db "$DB" --listen 127.0.0.1:0 -o http_listen=off \
        --threads "$SEARCHD_THREADS" 2>"$log" &
    SEARCHD_PID=$!
    for ((i = 0; i < 300; i++)); do
        PORT=$(searchd_port "$log" 2>/dev/null || true)
        [[ -n $PORT ]] && return
        kill -0 "$SEARCHD_PID" 2>/dev/null || die "lede-searchd exited: $(tail -n 3 "$log")"
        sleep 0.1
    done
    die "lede-searchd did not start listening: $(tail -n 3 "$log")"
}

# One measured run: "qps cpu_us_per_request errors" of build $1, mode $2.
run_once() {
    local dir=$1 mode=$2 before after json requests queries=$WORK_DIR/queries.txt
    [[ $mode == web ]] && queries=$WORK_DIR/queries-web.txt mode=page
    start_searchd "$dir"
    "$LOADGEN" --port "$PORT" --queries "$queries" --mode "$mode" \
        --connections "$CONNECTIONS" --duration "$WARMUP" --warmup 0 --json >/dev/null
    before=$(cpu_seconds "$SEARCHD_PID")
    json=$("$LOADGEN" --port "$PORT" --queries "$queries" \
        --mode "$mode" --connections "$CONNECTIONS" --duration "$DURATION" --warmup 0 --json)
    after=$(cpu_seconds "$SEARCHD_PID")
    stop_pid "$SEARCHD_PID" lede-searchd
    SEARCHD_PID=""
    requests=$(json_field "$json" requests)
    awk -v q="$(json_field "$json" qps)" -v a="$after" -v b="$before" -v n="$requests" \
        -v e="$(json_field "$json" errors)" \
        'BEGIN { printf "%s %.1f %s\n", q, n ? (a - b) / n * 1e6 : 0, e }'
}

RESULTS=$WORK_DIR/results.txt
: >"$RESULTS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= ROUNDS; r++)); do
    for mode in $MODES; do
        for build in old new; do
            dir=$OLD_DIR
            [[ $build == new ]] && dir=$NEW_DIR
            note "round $r, $mode, $build"
            echo "$mode $build $(run_once "$dir" "$mode")" >>"$RESULTS"
        done
    done
done

# Column $3 (2: qps, 3: CPU µs per request) of mode $1, build $2, as a list
# and as a median.
runs_of() { awk -v m="$1" -v b="$2" -v c="$3" '$1 == m && $2 == b { print $(c + 2) }' "$RESULTS"; }
list_of() { runs_of "$@" | paste -sd, | sed 's/,/, /g'; }
median_of() { runs_of "$@" | median; }

print_date_and_machine "$LOAD_BEFORE"
echo
echo "Old: $OLD_DIR; new: $NEW_DIR ($(lede_commit)). Index: $DB. $QUERY_COUNT queries"
echo "(lede-querygen --seed $QUERY_SEED), $CONNECTIONS connections, $ROUNDS rounds of ${DURATION} s"
echo "after ${WARMUP} s of warmup, old and new alternating. Errors: $(awk '{ s += $5 } END { print s + 0 }' "$RESULTS")."
echo
echo "| mode | old queries/s | new queries/s | ratio of medians | old daemon CPU µs/request | new | ratio old/new |"
echo "|---|---|---|---|---|---|---|"
for mode in $MODES; do
    oq=$(median_of "$mode" old 1) nq=$(median_of "$mode" new 1)
    oc=$(median_of "$mode" old 2) nc=$(median_of "$mode" new 2)
    echo "| $mode | $(list_of "$mode" old 1) | $(list_of "$mode" new 1) | $(ratio "$nq" "$oq") |" \
        "$(list_of "$mode" old 2) | $(list_of "$mode" new 2) | $(ratio "$oc" "$nc") |"
done
