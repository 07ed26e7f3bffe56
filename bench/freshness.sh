#!/usr/bin/env bash
# bench/freshness.sh: how soon a new article can be found (issue 16, item 3).
#
# Builds an index of Reuters-21578, starts `lede-indexer --watch IN` on it
# and lede-searchd on it, then for each RATE (articles per second) runs
# lede-loadgen (CONNECTIONS connections, MODE requests) while a feeder
# writes articles into IN as files (written under a hidden name, then
# renamed) at RATE per second for FEED_SECONDS, and a prober, on a
# connection of its own, searches for the articles not yet found (up to 20
# unique words OR'd in one query). For each article the freshness is the
# time from its rename to the first search that finds its unique word. The
# prober's resolution is one round of queries (a few ms). lede-loadgen is
# also run on the idle index first: its p99 is the baseline of the query
# p99 under feeding.
#
# Prints a markdown section for bench/RESULTS.md on stdout, progress on
# stderr. Variables:
#   LEDE_BIN_DIR   a build directory holding indexer/, searchd/ and bench/
#                  (default build-rel, then build)
#   LEDE_CORPORA   the corpora (default ../shared/corpora)
#   RATES          articles per second (default "10 100 500")
#   FEED_SECONDS   feeding time per rate (default 10)
#   CONNECTIONS    lede-loadgen's connections (default 8)
#   MODE           lede-loadgen's --mode (default ids)
#   COMMIT_MS      lede-indexer --commit-ms (default 200, its default)
#   SEARCHD_OPTS   more lede-searchd options ("-o reload_interval_ms=1000
#                  -o index_watch=off": fewer reopens, later articles)
#   WATCH_NICE     the watcher's niceness (default 0): live ingestion is
#                  background work, and on a box the queries saturate a
#                  niceness of 10 gives them the CPU first
#   TMPDIR         where the index and the folder go: each commit fsyncs, so
#                  on a disk shared with busy neighbours (ext4's journal makes
#                  an fsync wait for their data too) commits can take seconds;
#                  TMPDIR=/dev/shm measures lede without the disk
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"

export STOP_TIMEOUT_SECONDS=10 # read by stop_pid (lib.sh)
START_TIMEOUT_SECONDS=10
BIN_DIR=${LEDE_BIN_DIR:-}
if [[ -z $BIN_DIR ]]; then
    BIN_DIR=$REPO/build-rel
    [[ -x $BIN_DIR/indexer/lede-indexer ]] || BIN_DIR=$REPO/build
fi
CORPORA=${LEDE_CORPORA:-$REPO/../shared/corpora}
RATES=${RATES:-10 100 500}
FEED_SECONDS=${FEED_SECONDS:-10}
CONNECTIONS=${CONNECTIONS:-8}
MODE=${MODE:-ids}
COMMIT_MS=${COMMIT_MS:-200}
WATCH_NICE=${WATCH_NICE:-0}
[[ $WATCH_NICE =~ ^[0-9]+$ && $WATCH_NICE -le 19 ]] || die "WATCH_NICE must be 0 to 19"
INDEXER=$BIN_DIR/indexer/lede-indexer
SEARCHD=$BIN_DIR/searchd/lede-searchd
LOADGEN=$BIN_DIR/bench/lede-loadgen
QUERYGEN=$BIN_DIR/bench/lede-querygen
CORPUS=$CORPORA/reuters21578/articles.jsonl.gz

for b in "$INDEXER" "$SEARCHD" "$LOADGEN" "$QUERYGEN"; do
    [[ -x $b ]] || die "$b is missing: build it (LEDE_BIN_DIR names the build directory)"
done
if [[ ! -f $CORPUS ]]; then
    note "$CORPUS is missing: nothing measured"
    exit 0
fi

WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lede-freshness.XXXXXX")
WATCH_PID="" SEARCHD_PID="" LOADGEN_PID=""
cleanup() {
    [[ -z $LOADGEN_PID ]] || stop_pid "$LOADGEN_PID" lede-loadgen
    stop_pid "$SEARCHD_PID" lede-searchd
    stop_pid "$WATCH_PID" "lede-indexer --watch"
    rm -rf -- "$WORK_DIR"
}
trap cleanup EXIT

note "indexing $CORPUS"
status=0
"$INDEXER" --db "$WORK_DIR/db" --no-progress "$CORPUS" >"$WORK_DIR/indexer.out" 2>&1 || status=$?
((status <= 1)) || die "lede-indexer failed: $(tail -n 3 "$WORK_DIR/indexer.out")"
"$QUERYGEN" --count 2000 --seed 3 -o "$WORK_DIR/queries.txt" "$CORPUS" 2>/dev/null ||
    die "lede-querygen failed"

# What the build left unwritten is flushed now, not by the first commit.
sync -f "$WORK_DIR/db"
mkdir -p "$WORK_DIR/in"
nice -n "$WATCH_NICE" "$INDEXER" --db "$WORK_DIR/db" --watch "$WORK_DIR/in" \
    --commit-ms "$COMMIT_MS" --no-progress >"$WORK_DIR/watch.out" 2>&1 &
WATCH_PID=$!
# shellcheck disable=SC2086 # SEARCHD_OPTS: words of their own
"$SEARCHD" --db "$WORK_DIR/db" --listen 127.0.0.1:0 -o http_listen=off ${SEARCHD_OPTS:-} \
    2>"$WORK_DIR/searchd.log" &
SEARCHD_PID=$!
PORT=""
for ((i = 0; i < START_TIMEOUT_SECONDS * 10; i++)); do
    PORT=$(searchd_port "$WORK_DIR/searchd.log")
    [[ -z $PORT ]] || break
    sleep 0.1
done
[[ -n $PORT ]] || die "lede-searchd did not start: $(tail -n 3 "$WORK_DIR/searchd.log")"

# lede-loadgen for SECONDS (after a 1 s warmup) in the background; its JSON
# report goes to $1.
start_loadgen() {
    "$LOADGEN" --port "$PORT" --connections "$CONNECTIONS" --mode "$MODE" --warmup 1 \
        --duration "$2" --queries "$WORK_DIR/queries.txt" --json >"$1" 2>"$1.err" &
    LOADGEN_PID=$!
}

json_field() {
    sed -n "s/.*\"$2\":\\([0-9.]*\\).*/\\1/p" "$1"
}

# The feeder and the prober: one line of figures per rate on stdout.
feed_and_probe() {
    python3 - "$WORK_DIR/in" "$PORT" "$1" "$FEED_SECONDS" <<'PY'
import json, os, socket, sys, threading, time
folder, port, rate, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
n = int(rate * seconds)
GROUP = 20  # words OR'd per probe: well under max_query_terms (64)
appeared, found, unfound = {}, {}, set()  # unfound: appeared, not yet found
lock = threading.Lock()

def feed():
    t0 = time.monotonic()
    for i in range(n):
        wait = t0 + i / rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        word = "fz%dr%dq" % (i, rate)
        tmp = os.path.join(folder, ".part")
        with open(tmp, "w") as f:
            f.write("Freshness test %d\n\nThe harbour board met on Monday about the %s plan "
                    "and agreed on the spring works.\n" % (i, word))
        os.rename(tmp, os.path.join(folder, "r%d-%d.txt" % (rate, i)))
        with lock:
            appeared[word] = time.monotonic()
            unfound.add(word)

sock = socket.create_connection(("127.0.0.1", port))
reader = sock.makefile("rb")
def search(words):
    req = {"op": "search", "q": " OR ".join(words), "limit": 100, "snippet": False}
    sock.sendall((json.dumps(req) + "\n").encode())
    reply = json.loads(reader.readline())
    if not reply.get("ok"):
        sys.exit("freshness.sh: search failed: %s" % reply)
    return [h.get("id", "") for h in reply.get("hits", [])]

feeder = threading.Thread(target=feed)
feeder.start()
deadline = None
# One round of probes every ROUND_S at most: the prober is measuring
# apparatus, and searching (and scanning its lists in Python) back to back
# it took CPU from the queries it measures. The freshness resolution stays
# a round (10 ms) plus its searches.
ROUND_S = 0.010
next_round = time.monotonic()
while True:
    wait = next_round - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    next_round = time.monotonic() + ROUND_S
    with lock:
        pending = list(unfound)
    if not feeder.is_alive() and deadline is None:
        deadline = time.monotonic() + 10
    if not pending:
        if deadline is not None:
            break
        continue
    if deadline is not None and time.monotonic() > deadline:
        break
    for k in range(0, len(pending), GROUP):
        ids = search(pending[k:k + GROUP])
        now = time.monotonic()
        for i in ids:  # r<rate>-<i>
            w = "fz%sr%dq" % (i.split("-")[-1], rate)
            if w in appeared and w not in found:
                found[w] = now - appeared[w]
                with lock:
                    unfound.discard(w)
feeder.join()
lat = sorted(found.values())
def pct(p):
    return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000 if lat else float("nan")
print("%d %d %.0f %.0f %.0f" % (n, n - len(found), pct(50), pct(99), lat[-1] * 1000 if lat else 0))
PY
}

note "idle: lede-loadgen, $CONNECTIONS connections, $MODE"
start_loadgen "$WORK_DIR/idle.json" "$FEED_SECONDS"
wait "$LOADGEN_PID"
LOADGEN_PID=""
IDLE_P99=$(json_field "$WORK_DIR/idle.json" p99_ms)
IDLE_QPS=$(json_field "$WORK_DIR/idle.json" qps)
note "  idle: $IDLE_QPS q/s, p99 $IDLE_P99 ms"

ROWS=""
for rate in $RATES; do
    note "feeding $rate articles/s for $FEED_SECONDS s under load"
    start_loadgen "$WORK_DIR/load.$rate.json" "$FEED_SECONDS"
    sleep 1 # lede-loadgen's warmup
    read -r n missed p50 p99 max < <(feed_and_probe "$rate")
    wait "$LOADGEN_PID"
    LOADGEN_PID=""
    qp99=$(json_field "$WORK_DIR/load.$rate.json" p99_ms)
    qps=$(json_field "$WORK_DIR/load.$rate.json" qps)
    note "  $rate/s: $n articles, $missed not found, freshness p50 $p50 ms, p99 $p99 ms, max $max ms; queries $qps q/s, p99 $qp99 ms"
    ROWS+="| $rate | $n | $missed | $p50 | $p99 | $max | $qps | $qp99 | $(ratio "$qp99" "$IDLE_P99") |"$'\n'
done
stop_pid "$WATCH_PID" "lede-indexer --watch"
WATCH_PID=""

printf '## Freshness: live ingestion with --watch (issue 16)\n\n'
printf 'Machine: %s cores (%s), load %s; Xapian %s; lede %s, %s. Reuters-21578 indexed,\n' \
    "$(nproc)" "$(cpu_model)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(xapian_version)" \
    "$(lede_commit)" "${BIN_DIR#"$REPO"/}"
# shellcheck disable=SC2016 # backticks are markdown
printf 'then `nice -n %s lede-indexer --watch IN --commit-ms %s` and `lede-searchd` on it, with\n' \
    "$WATCH_NICE" "$COMMIT_MS"
# shellcheck disable=SC2016 # backticks are markdown
printf '`lede-loadgen --connections %s --mode %s` querying throughout. A feeder renames one\n' \
    "$CONNECTIONS" "$MODE"
printf 'article (a .txt page with a unique word) into IN at each tick for %s s per rate; a prober\n' \
    "$FEED_SECONDS"
printf 'on its own connection searches for those not found yet. Freshness: rename to first hit.\n\n'
printf 'Index and folder on %s (TMPDIR). Idle index: %s q/s, query p99 %s ms.\n\n' \
    "$(df --output=fstype "$WORK_DIR" | tail -n 1)" "$IDLE_QPS" "$IDLE_P99"
printf '| articles/s | articles | not found in 10 s | freshness p50 ms | p99 ms | max ms | queries/s | query p99 ms | p99 / idle |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
printf '%s' "$ROWS"
printf '\nTargets: freshness p99 <= 1000 ms at 100/s and <= 2000 ms at 500/s; query p99 <= 1.5x idle.\n'
printf 'Command: %s\n' "$(as_code "bench/freshness.sh")"
