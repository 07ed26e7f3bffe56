#!/usr/bin/env bash
# Measures lede-searchd serving shards against the same corpus in one index,
# and prints a markdown section for bench/RESULTS.md on standard output.
#
# One run: index Reuters-21578 into one index and into 2 and 4 shards (by
# lede-indexer --shards N when it has that option, else by splitting the
# JSON Lines on the same hash of the id, FNV-1a 64 modulo N, and indexing
# each part), draw a query file (lede-querygen, fixed seed), start
# xapian-tcpsrv on 127.0.0.1 for every shard, and one lede-searchd per case:
#   one        --db ONE                             the monolithic index
#   local-N    -o shards=DIR/shard-0,...            N local shards
#   remote-N   -o shards=tcp://127.0.0.1:P0,...     N xapian-tcpsrv shards
#   netem-N    the same through a network namespace whose veth pair delays
#              every packet by NETEM_DELAY_MS each way (root, ip and tc with
#              netem only; skipped with a message otherwise)
#   delay-N    remote-N through lede-delayproxy in front of each server,
#              holding every byte NETEM_DELAY_MS each way: the latency
#              without netem (the relay costs CPU of its own)
# then for each repeat and mode run lede-loadgen at CONCURRENCY connections
# on every case in turn (interleaved: one, local-2, ..., one, local-2, ...).
# Last, the round trips: xapian-tcpsrv is traced (strace -f, its forked
# children) while a lede-searchd of one worker thread answers COUNT_QUERIES
# queries one at a time, and each reply burst of a server child after a
# request is one round trip.
#
# Environment:
#   LEDE_CORPORA  corpora directory (default: ../shared/corpora next to the repo)
#   LEDE_BIN_DIR  a build directory holding indexer/, searchd/ and bench/
#                 binaries (default: build/, built in Release mode when missing)
#   CASES         the cases (default "one local-2 local-4 remote-2 remote-4 netem-2")
#   CONCURRENCY   loadgen connections (default 8)
#   MODES         request kinds (default "ids page"; see lede-loadgen --help)
#   DURATION      measured seconds per run (default 10)
#   WARMUP        seconds before measuring (default 2)
#   REPEATS       runs per cell (default 1)
#   QUERY_COUNT   queries in the query file (default 300)
#   QUERY_SEED    lede-querygen's seed (default 3)
#   SEARCHD_THREADS  lede-searchd --threads (default 0: one per core)
#   NETEM_DELAY_MS   delay per packet and direction in netem and delay cases (default 1;
#                 0 runs them through the namespace without a delay)
#   COUNT_QUERIES queries whose round trips are counted (default 20; 0: none)
#   SPLIT         auto, indexer (lede-indexer --shards) or hash (this script
#                 splits the corpus) (default auto: indexer when it can)
#
# Progress goes to standard error; only the markdown goes to standard output.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
GIVEN_SETTINGS=""
for name in LEDE_BIN_DIR LEDE_CORPORA CASES CONCURRENCY MODES DURATION WARMUP QUERY_COUNT \
    QUERY_SEED SEARCHD_THREADS NETEM_DELAY_MS COUNT_QUERIES SPLIT; do
    value=${!name:-}
    value=${value#"$REPO"/}
    [[ $value != *' '* ]] || value="'$value'"
    [[ -z $value ]] || GIVEN_SETTINGS+=" $name=$value"
done
CORPORA=${LEDE_CORPORA:-$REPO/../shared/corpora}
BIN_DIR=${LEDE_BIN_DIR:-$REPO/build}
CASES=${CASES:-one local-2 local-4 remote-2 remote-4 netem-2}
CONCURRENCY=${CONCURRENCY:-8}
MODES=${MODES:-ids page}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
REPEATS=${REPEATS:-1}
QUERY_COUNT=${QUERY_COUNT:-300}
QUERY_SEED=${QUERY_SEED:-3}
SEARCHD_THREADS=${SEARCHD_THREADS:-0}
NETEM_DELAY_MS=${NETEM_DELAY_MS:-1}
COUNT_QUERIES=${COUNT_QUERIES:-20}
SPLIT=${SPLIT:-auto}
CORPUS_NAME=reuters21578
# How long a daemon may take to open the index and listen.
START_TIMEOUT_SECONDS=30
# How long it may take to stop after SIGTERM before it is killed.
STOP_TIMEOUT_SECONDS=10
# How long strace may lag behind a reply before its lines are counted.
TRACE_SETTLE_SECONDS=0.3
# A reply later than this ends a loadgen connection (lede-loadgen's default
# is 10 s; the netem page requests come close to it).
LOADGEN_TIMEOUT_MS=30000
# How long an idle lede-searchd is watched for the connections it opens.
IDLE_SECONDS=5

WORK_DIR=""
LOADGEN_PID=""
NETNS=""
VETH=""
NETNS_ADDR=""
# Every daemon started, "pid name" per line, stopped in reverse order.
DAEMONS=()
# Per case: the lede-searchd's pid and port, its shards key and its
# xapian-tcpsrv pids.
declare -A CASE_PID=() CASE_PORT=() CASE_SPEC=() CASE_TCPSRV=()
# The cases that run (netem ones dropped when the namespace cannot delay).
RUN_CASES=""
NETEM_NOTE=""
TRIPS_NOTE=""
# Per remote case: connections per second its idle lede-searchd opens to
# one shard.
declare -A IDLE_ACCEPTS=()

# The children (per-connection servers) of xapian-tcpsrv $1.
children_of() {
    pgrep -P "$1" 2>/dev/null || true
}

cleanup() {
    local i entry
    if [[ -n $LOADGEN_PID ]] && kill -0 "$LOADGEN_PID" 2>/dev/null; then
        kill -TERM "$LOADGEN_PID" 2>/dev/null || true
        wait "$LOADGEN_PID" 2>/dev/null || true
    fi
    # Daemons in reverse order: lede-searchd closes its connections before
    # the xapian-tcpsrv serving them stops (taking its children with it).
    for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do
        entry=${DAEMONS[i]}
        stop_pid "${entry%% *}" "${entry#* }"
    done
    DAEMONS=()
    netns_remove
    if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then
        rm -rf -- "$WORK_DIR"
    fi
}

require_settings() {
    local c
    [[ $REPEATS =~ ^[1-9][0-9]*$ ]] || die "REPEATS must be a positive whole number, not '$REPEATS'"
    [[ $QUERY_COUNT =~ ^[1-9][0-9]*$ ]] || die "QUERY_COUNT must be a positive whole number"
    [[ $CONCURRENCY =~ ^[1-9][0-9]*$ ]] || die "CONCURRENCY must be one positive whole number"
    [[ $COUNT_QUERIES =~ ^[0-9]+$ ]] || die "COUNT_QUERIES must be a whole number"
    [[ $NETEM_DELAY_MS =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "NETEM_DELAY_MS must be a number of ms"
    [[ $DURATION =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "DURATION must be a number of seconds"
    [[ $WARMUP =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "WARMUP must be a number of seconds"
    [[ $SPLIT =~ ^(auto|indexer|hash)$ ]] || die "SPLIT must be auto, indexer or hash"
    [[ -n ${MODES// /} ]] || die "MODES must not be empty"
    [[ " $CASES " == *" one "* ]] || die "CASES must hold 'one': every ratio is to it"
    for c in $CASES; do
        [[ $c == one || $c =~ ^(local|remote|netem|delay)-[1-9][0-9]*$ ]] ||
            die "CASES holds '$c', not one, local-N, remote-N, netem-N or delay-N"
    done
    command -v xapian-tcpsrv >/dev/null || die "xapian-tcpsrv not found: apt-get install xapian-tools"
}

INDEXER=""
LOADGEN=""
QUERYGEN=""
SEARCHD=""
DELAYPROXY=""

set_binaries() {
    lede_binaries
    DELAYPROXY=$BIN_DIR/bench/lede-delayproxy
}

binaries_present() {
    all_executable "$INDEXER" "$SEARCHD" "$LOADGEN" "$QUERYGEN" "$DELAYPROXY"
}

# ---- the indexes --------------------------------------------------------------

# The shard counts the cases need, each once.
shard_counts() {
    local c
    for c in $CASES; do
        [[ $c == one ]] || echo "${c#*-}"
    done | sort -un
}

# Runs lede-indexer with arguments $2... logging to $1.{out,err}; status 1
# (some records rejected, the rest indexed) is fine.
run_indexer() {
    local log=$1 status=0
    shift
    "$INDEXER" --no-progress "$@" >"$log.out" 2>"$log.err" || status=$?
    if ((status > 1)); then
        cat -- "$log.err" >&2
        die "lede-indexer $* failed with status $status"
    fi
    note "  $(tail -n 1 "$log.out")"
}

indexer_has_shards() {
    "$INDEXER" --help 2>&1 | grep -q -- '--shards'
}

# Writes $2 parts of the corpus, $1/part-K.jsonl, routing each record by
# FNV-1a 64 of its id modulo $2: what lede-indexer --shards does.
split_corpus() {
    local dir=$1 n=$2
    mkdir -p "$dir"
    python3 - "$(corpus_file)" "$dir" "$n" <<'EOF'
import gzip, json, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
parts = [open(f"{out}/part-{k}.jsonl", "w", encoding="utf-8") for k in range(n)]
for line in gzip.open(src, "rt", encoding="utf-8"):
    try:
        key = str(json.loads(line).get("id", ""))
    except ValueError:
        key = ""
    h = 0xcbf29ce484222325
    for b in key.encode("utf-8"):
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    parts[h % n].write(line)
for p in parts:
    p.close()
EOF
}

# Builds $WORK_DIR/sN/shard-0 .. shard-<N-1> and says where the spelling
# data of the whole corpus is (SPELLING_N).
build_shards() {
    local n=$1 dir=$WORK_DIR/s$1 k
    if [[ $SPLIT != hash ]] && indexer_has_shards; then
        note "indexing $(corpus_file) into $n shards (lede-indexer --shards $n)"
        run_indexer "$WORK_DIR/indexer-s$n" --db "$dir" --shards "$n" "$(corpus_file)"
        printf '%s\n' "$dir/spelling" >"$WORK_DIR/spelling-$n"
        echo "lede-indexer --shards" >"$WORK_DIR/split-how"
        return
    fi
    [[ $SPLIT != indexer ]] || die "SPLIT=indexer, but $INDEXER has no --shards option"
    command -v python3 >/dev/null || die "python3 is needed to split the corpus"
    note "indexing $(corpus_file) split by FNV-1a(id) mod $n, one lede-indexer run per part"
    split_corpus "$WORK_DIR/parts-$n" "$n"
    for ((k = 0; k < n; k++)); do
        run_indexer "$WORK_DIR/indexer-s$n-$k" --db "$dir/shard-$k" "$WORK_DIR/parts-$n/part-$k.jsonl"
    done
    rm -rf -- "$WORK_DIR/parts-$n"
    # The monolithic index has the spelling data of the whole corpus.
    printf '%s\n' "$WORK_DIR/one" >"$WORK_DIR/spelling-$n"
    echo "the JSON Lines split by FNV-1a 64 of the id mod N, one lede-indexer run per part" \
        >"$WORK_DIR/split-how"
}

build_indexes() {
    local n
    note "indexing $(corpus_file) into one index"
    run_indexer "$WORK_DIR/indexer-one" --db "$WORK_DIR/one" "$(corpus_file)"
    for n in $(shard_counts); do build_shards "$n"; done
}

# ---- the network namespace of the netem cases ---------------------------------

# Why the netem cases cannot run here, or nothing when they can.
netem_unsupported() {
    [[ $(id -u) == 0 ]] || { echo "not running as root"; return; }
    command -v ip >/dev/null || { echo "no ip (iproute2)"; return; }
    command -v tc >/dev/null || { echo "no tc (iproute2)"; return; }
    ip netns list >/dev/null 2>&1 || echo "ip netns does not work here"
}

# Creates the namespace NETNS with one end of a veth pair (address
# NETNS_ADDR), the other end in this namespace, and NETEM_DELAY_MS of
# netem delay on both ends. When it cannot, sets NETEM_NOTE to why and
# removes what it made.
netns_create() {
    local net=10.$((200 + RANDOM % 50)).$((RANDOM % 250)) out
    NETNS=lede-bench-$$
    VETH=lbs$$
    out=$({
        ip netns add "$NETNS" &&
            ip link add "${VETH}h" type veth peer name "${VETH}n" &&
            ip link set "${VETH}n" netns "$NETNS" &&
            ip addr add "$net.1/30" dev "${VETH}h" && ip link set "${VETH}h" up &&
            ip netns exec "$NETNS" ip addr add "$net.2/30" dev "${VETH}n" &&
            ip netns exec "$NETNS" ip link set "${VETH}n" up &&
            ip netns exec "$NETNS" ip link set lo up
    } 2>&1) || NETEM_NOTE="a namespace with a veth pair: $out"
    if [[ -z $NETEM_NOTE && $NETEM_DELAY_MS != 0 ]]; then
        out=$({
            tc qdisc add dev "${VETH}h" root netem delay "${NETEM_DELAY_MS}ms" &&
                ip netns exec "$NETNS" tc qdisc add dev "${VETH}n" root netem delay "${NETEM_DELAY_MS}ms"
        } 2>&1) || NETEM_NOTE="tc netem: $out (the kernel needs sch_netem)"
    fi
    NETNS_ADDR=$net.2
    [[ -z $NETEM_NOTE ]] || netns_remove
}

netns_remove() {
    if [[ -n $VETH ]]; then ip link del "${VETH}h" 2>/dev/null || true; fi
    if [[ -n $NETNS ]]; then ip netns del "$NETNS" 2>/dev/null || true; fi
    NETNS=""
    VETH=""
}

# Keeps the netem cases in RUN_CASES only when the namespace can delay.
choose_cases() {
    local c
    if [[ $CASES == *netem-* ]]; then
        NETEM_NOTE=$(netem_unsupported)
        [[ -n $NETEM_NOTE ]] || netns_create
        if [[ -n $NETEM_NOTE ]]; then
            NETEM_NOTE="the netem cases were skipped: $NETEM_NOTE"
            note "skipped: $NETEM_NOTE"
        fi
    fi
    for c in $CASES; do
        [[ $c != netem-* || -z $NETEM_NOTE ]] && RUN_CASES+="${RUN_CASES:+ }$c"
    done
    return 0
}

# ---- the daemons ------------------------------------------------------------------

# Starts xapian-tcpsrv for shard directory $1 on $2:$3 (in namespace $4
# when given) and waits until it accepts connections; sets STARTED_PID.
start_tcpsrv() {
    local dir=$1 host=$2 port=$3 ns=${4:-} log=$WORK_DIR/tcpsrv-$3.log i
    local -a run=()
    [[ -z $ns ]] || run=(ip netns exec "$ns")
    # Its own session: on SIGTERM xapian-tcpsrv kills its process group
    # (itself and the children serving connections), which would else be
    # this script's.
    "${run[@]}" setsid xapian-tcpsrv --interface "$host" --port "$port" --quiet "$dir" >"$log" 2>&1 &
    STARTED_PID=$!
    DAEMONS+=("$STARTED_PID xapian-tcpsrv $dir")
    for ((i = 0; i < START_TIMEOUT_SECONDS * 10; i++)); do
        if [[ -z $ns ]]; then
            (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && return
        else
            ip netns exec "$ns" bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null && return
        fi
        kill -0 "$STARTED_PID" 2>/dev/null || die "xapian-tcpsrv $dir exited: $(cat -- "$log")"
        sleep 0.1
    done
    die "xapian-tcpsrv $dir did not accept connections within $START_TIMEOUT_SECONDS s"
}

# Starts lede-searchd (log $1, options $2...) on a free port; sets
# STARTED_PID and STARTED_PORT.
start_searchd() {
    local log=$1 i port=""
    shift
    # There before searchd_port reads it (the child opens it later).
    : >"$log"
    "$SEARCHD" --listen 127.0.0.1:0 -o http_listen=off "$@" 2>>"$log" &
    STARTED_PID=$!
    DAEMONS+=("$STARTED_PID lede-searchd")
    for ((i = 0; i < START_TIMEOUT_SECONDS * 10; i++)); do
        port=$(searchd_port "$log")
        [[ -z $port ]] || break
        kill -0 "$STARTED_PID" 2>/dev/null || die "lede-searchd exited: $(cat -- "$log")"
        sleep 0.1
    done
    [[ -n $port ]] || die "lede-searchd did not start listening within $START_TIMEOUT_SECONDS s"
    STARTED_PORT=$port
}

searchd_workers() {
    sed -n 's/.*, \([0-9][0-9]*\) worker threads$/\1/p' "$1" | head -n 1
}

# Starts lede-delayproxy in front of 127.0.0.1:$1, holding every byte
# NETEM_DELAY_MS each way; sets STARTED_PORT to its port.
start_delayproxy() {
    local to=$1 log=$WORK_DIR/delayproxy-$1.log i
    "$DELAYPROXY" --listen 0 --to "$to" --delay-ms "$NETEM_DELAY_MS" >"$log" 2>&1 &
    DAEMONS+=("$! lede-delayproxy $to")
    for ((i = 0; i < START_TIMEOUT_SECONDS * 10; i++)); do
        STARTED_PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$log")
        [[ -z $STARTED_PORT ]] || return 0
        sleep 0.1
    done
    die "lede-delayproxy did not start: $(cat -- "$log")"
}

# Sets SHARDS_SPEC to the shards key of case $1 (local-N, remote-N,
# netem-N or delay-N), starting the xapian-tcpsrv it needs (and the relays
# of delay-N); the servers' pids go to CASE_TCPSRV[$1].
shards_of_case() {
    local c=$1 n=${1#*-} k port host=127.0.0.1 ns=""
    [[ $c != netem-* ]] || { host=$NETNS_ADDR; ns=$NETNS; }
    SHARDS_SPEC=""
    for ((k = 0; k < n; k++)); do
        if [[ $c == local-* ]]; then
            SHARDS_SPEC+="${SHARDS_SPEC:+,}$WORK_DIR/s$n/shard-$k"
            continue
        fi
        # A new namespace has every port free.
        if [[ -n $ns ]]; then port=$((7001 + k)); else port=$(free_port); fi
        start_tcpsrv "$WORK_DIR/s$n/shard-$k" "$host" "$port" "$ns"
        CASE_TCPSRV[$c]+="${CASE_TCPSRV[$c]:+ }$STARTED_PID"
        if [[ $c == delay-* ]]; then
            start_delayproxy "$port"
            port=$STARTED_PORT
        fi
        SHARDS_SPEC+="${SHARDS_SPEC:+,}tcp://$host:$port"
    done
}

# Starts the lede-searchd of case $1 with log $2, worker threads $3 and
# options $4...
start_case_searchd() {
    local c=$1 log=$2 threads=$3
    shift 3
    if [[ $c == one ]]; then
        start_searchd "$log" --threads "$threads" --db "$WORK_DIR/one" "$@"
        return
    fi
    # A second daemon of a case (the round trips) uses the same shards.
    [[ -n ${CASE_SPEC[$c]:-} ]] || {
        shards_of_case "$c"
        CASE_SPEC[$c]=$SHARDS_SPEC
    }
    start_searchd "$log" --threads "$threads" -o "shards=${CASE_SPEC[$c]}" \
        -o "spelling_db=$(cat -- "$WORK_DIR/spelling-${c#*-}")" "$@"
}

start_cases() {
    local c
    for c in $RUN_CASES; do
        start_case_searchd "$c" "$WORK_DIR/searchd-$c.log" "$SEARCHD_THREADS"
        CASE_PID[$c]=$STARTED_PID
        CASE_PORT[$c]=$STARTED_PORT
        note "$c: lede-searchd pid $STARTED_PID on 127.0.0.1:$STARTED_PORT, $(searchd_workers "$WORK_DIR/searchd-$c.log") worker threads${CASE_TCPSRV[$c]:+, xapian-tcpsrv pids ${CASE_TCPSRV[$c]}}"
    done
}

# ---- the load -------------------------------------------------------------------

# The CPU ticks used so far by the xapian-tcpsrv of case $1 and their
# children (one per connection).
tcpsrv_ticks() {
    local pid child sum=0 t
    for pid in ${CASE_TCPSRV[$1]:-}; do
        for child in "$pid" $(children_of "$pid"); do
            t=$(awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null) || t=0
            sum=$((sum + ${t:-0}))
        done
    done
    echo "$sum"
}

# Runs lede-loadgen on case $3 in mode $2 and appends "repeat mode case
# qps p50 p99 requests errors server_cpu_s tcpsrv_cpu_s" to $WORK_DIR/results.
# The xapian-tcpsrv CPU is read WARMUP s after the start and at the end.
run_loadgen() {
    local repeat=$1 mode=$2 c=$3 out=$WORK_DIR/loadgen.out err=$WORK_DIR/loadgen.err
    local status=0 json t0 t1 tcpsrv_s=-1 f v
    local -a values=()
    "$LOADGEN" --host 127.0.0.1 --port "${CASE_PORT[$c]}" --connections "$CONCURRENCY" \
        --duration "$DURATION" --warmup "$WARMUP" --queries "$WORK_DIR/queries.txt" --mode "$mode" \
        --timeout-ms "$LOADGEN_TIMEOUT_MS" --server-pid "${CASE_PID[$c]}" --json >"$out" 2>"$err" &
    LOADGEN_PID=$!
    sleep "$WARMUP"
    t0=$(tcpsrv_ticks "$c")
    wait "$LOADGEN_PID" || status=$?
    LOADGEN_PID=""
    t1=$(tcpsrv_ticks "$c")
    json=$(cat -- "$out")
    if ((status != 0)); then
        cat -- "$err" >&2
        kill -0 "${CASE_PID[$c]}" 2>/dev/null || note "the lede-searchd of $c is gone"
        note "the end of its log:"
        tail -n 5 -- "$WORK_DIR/searchd-$c.log" >&2
        die "lede-loadgen failed with status $status ($c, $mode)"
    fi
    [[ -z ${CASE_TCPSRV[$c]:-} ]] || tcpsrv_s=$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" \
        'BEGIN { print t / hz }')
    for f in qps p50_ms p99_ms requests errors server_cpu_s; do
        v=$(json_field "$json" "$f")
        values+=("${v:--1}")
    done
    printf '%s %s %s %s %s\n' "$repeat" "$mode" "$c" "${values[*]}" "$tcpsrv_s" >>"$WORK_DIR/results"
    if [[ ${values[4]} != 0 ]]; then
        note "  ${values[4]} error replies; the first:"
        head -n 3 -- "$err" >&2
    fi
    note "  $(printf '%-9s' "$c") $mode: ${values[0]} q/s, p50 ${values[1]} ms, p99 ${values[2]} ms"
}

measure_all() {
    local repeat mode c
    for ((repeat = 1; repeat <= REPEATS; repeat++)); do
        for mode in $MODES; do
            note "repeat $repeat/$REPEATS, mode $mode, $CONCURRENCY connections"
            for c in $RUN_CASES; do run_loadgen "$repeat" "$mode" "$c"; done
        done
    done
}

# ---- the round trips ------------------------------------------------------------

# Reply bursts in strace lines on standard input: per process, a write
# after a read that returned data is the start of one reply, so a request
# answered by several messages (a document and its values) counts once.
count_turns() {
    awk '{
            pid = $1
            if ($0 ~ /(^[0-9]+ +|<\.\.\. )(read|readv|recvfrom|recvmsg)[ (]/) {
                if ($NF + 0 > 0) got[pid] = 1
            } else if ($0 ~ /(^[0-9]+ +|<\.\.\. )(write|writev|sendto|sendmsg)[ (]/) {
                if (got[pid]) { n++; got[pid] = 0 }
            }
        } END { print n + 0 }'
}

# Why the round trips cannot be counted here, or nothing.
trace_unsupported() {
    command -v strace >/dev/null || { echo "no strace (apt-get install strace)"; return; }
    ((COUNT_QUERIES > 0)) || echo "COUNT_QUERIES=0"
}

# Attaches strace to every xapian-tcpsrv of case $1 (and the children they
# fork from now on); TRACE_PIDS gets strace's pids.
trace_case() {
    local c=$1 pid k=0
    TRACE_PIDS=()
    for pid in ${CASE_TCPSRV[$c]}; do
        strace -f -qq -s 0 -e trace=read,readv,recvfrom,recvmsg,write,writev,sendto,sendmsg \
            -o "$WORK_DIR/trace-$c-$k" -p "$pid" 2>"$WORK_DIR/strace-$c-$k.err" &
        TRACE_PIDS+=("$!")
        DAEMONS+=("$! strace")
        k=$((k + 1))
    done
    sleep 0.5
    for pid in "${TRACE_PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || die "strace -p failed: $(cat -- "$WORK_DIR"/strace-"$c"-*.err)"
    done
}

# Lines in each trace file of case $1, space-separated.
trace_lengths() {
    local f
    for f in "$WORK_DIR/trace-$1"-*; do printf '%s ' "$(wc -l <"$f")"; done
}

# Runs query line $3 once in mode $2 against port $4 (one worker) and
# prints the round trips per shard of case $1 it cost, space-separated.
count_one() {
    local c=$1 mode=$2 line=$3 port=$4 k=0 f
    local -a before
    printf '%s\n' "$line" >"$WORK_DIR/one-query.txt"
    read -r -a before <<<"$(trace_lengths "$c")"
    "$LOADGEN" --port "$port" --mode "$mode" --queries "$WORK_DIR/one-query.txt" \
        --totals "$WORK_DIR/one-query.out" 2>>"$WORK_DIR/count.err" ||
        die "lede-loadgen --totals failed: $(cat -- "$WORK_DIR/count.err")"
    sleep "$TRACE_SETTLE_SECONDS"
    for f in "$WORK_DIR/trace-$c"-*; do
        printf '%s ' "$(tail -n +"$((before[k] + 1))" "$f" | count_turns)"
        k=$((k + 1))
    done
    echo
}

# Counts the round trips of the first COUNT_QUERIES queries on the shards
# of remote case $1, each mode, with a lede-searchd of one worker thread
# (one connection per shard) that neither polls for reloads nor pings
# while counting; appends "case mode total per-shard..." lines to
# $WORK_DIR/trips.
count_case() {
    local c=$1 mode line port pid n per
    trace_case "$c"
    start_case_searchd "$c" "$WORK_DIR/count-$c.log" 1 -o reload_interval_ms=3600000 \
        -o shard_keepalive_ms=0
    pid=$STARTED_PID
    port=$STARTED_PORT
    for mode in $MODES; do
        # The first request of a connection is not counted.
        count_one "$c" "$mode" "$(head -n 1 "$WORK_DIR/queries.txt")" "$port" >/dev/null
        n=0
        while IFS= read -r line && ((n < COUNT_QUERIES)); do
            [[ -n ${line// /} ]] || continue
            per=$(count_one "$c" "$mode" "$line" "$port")
            printf '%s %s %s %s\n' "$c" "$mode" "$(awk '{ for (i = 1; i <= NF; i++) s += $i; print s }' <<<"$per")" \
                "$per" >>"$WORK_DIR/trips"
            n=$((n + 1))
        done <"$WORK_DIR/queries.txt"
    done
    stop_pid "$pid" "lede-searchd (round trips)"
    for pid in "${TRACE_PIDS[@]}"; do stop_pid "$pid" strace; done
}

# New connections per second that xapian-tcpsrv $2 of case $1 accepts from
# that case's idle lede-searchd (default configuration), over IDLE_SECONDS.
idle_accepts() {
    local c=$1 pid=$2 st log
    log=$WORK_DIR/accepts-$c
    strace -qq -e trace=accept,accept4 -o "$log" -p "$pid" 2>/dev/null &
    st=$!
    DAEMONS+=("$st strace")
    sleep "$IDLE_SECONDS"
    stop_pid "$st" strace
    awk -v s="$IDLE_SECONDS" '/accept/ && $NF ~ /^[0-9]+$/ { n++ } END { printf "%.1f", n / s }' "$log"
}

count_round_trips() {
    local c why
    : >"$WORK_DIR/trips"
    why=$(trace_unsupported)
    if [[ -n $why ]]; then
        TRIPS_NOTE="not counted: $why"
        note "round trips $TRIPS_NOTE"
        return
    fi
    for c in $RUN_CASES; do
        [[ $c == remote-* ]] || continue
        note "counting the round trips of $COUNT_QUERIES queries on $c"
        IDLE_ACCEPTS[$c]=$(idle_accepts "$c" "${CASE_TCPSRV[$c]%% *}")
        count_case "$c"
    done
}

# ---- the report -------------------------------------------------------------------

# Column $4 (4 qps, 5 p50, 6 p99, 7 requests, 8 errors; searchd_us and
# tcpsrv_us: CPU microseconds per request) of every run of case $3 in mode
# $2 in results file $1.
column_of() {
    awk -v m="$2" -v c="$3" -v k="$4" '$2 == m && $3 == c {
        if (k == "searchd_us") print $7 ? $9 / $7 * 1e6 : 0
        else if (k == "tcpsrv_us") { if ($10 >= 0) print $7 ? $10 / $7 * 1e6 : 0 }
        else print $k }' "$1"
}

median_of() {
    column_of "$@" | median || echo -1
}

# $1 as a share of $2, in percent.
percent() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "n/a"; else printf "%.0f%%", 100 * a / b }'
}

invocation() {
    printf 'REPEATS=%s%s bench/shards.sh\n' "$REPEATS" "$GIVEN_SETTINGS"
}

# "N: a+b+..." documents per shard of each shard count.
shard_sizes() {
    local n k sizes out=""
    for n in $(shard_counts); do
        sizes=""
        for ((k = 0; k < n; k++)); do
            sizes+="${sizes:++}$(xapian-delve "$WORK_DIR/s$n/shard-$k" 2>/dev/null |
                sed -n 's/^number of documents = //p')"
        done
        out+="${out:+; }$n shards: $sizes"
    done
    printf '%s\n' "$out"
}

print_machine_facts() {
    local load_before=$1
    print_date_and_machine "$load_before"
    printf -- '- Xapian %s (xapian-tcpsrv %s); lede commit %s; %s build in %s\n' "$(xapian_version)" \
        "$(xapian-tcpsrv --version | awk '{ print $NF; exit }')" "$(lede_commit)" "$(build_type)" \
        "${BIN_DIR#"$REPO"/}"
    printf -- '- command: %s; %s run(s) per cell, %s s each after %s s warmup, %s connections, the cases interleaved, medians shown\n' \
        "$(as_code "$(invocation)")" "$REPEATS" "$DURATION" "$WARMUP" "$CONCURRENCY"
    printf -- '- index: %s, %s documents; shards: %s (documents per shard: %s); %s\n' "$CORPUS_NAME" \
        "$(sed -n 's/^lede-indexer: added \([0-9][0-9]*\),.*/\1/p' "$WORK_DIR/indexer-one.out")" \
        "$(cat -- "$WORK_DIR/split-how" 2>/dev/null || echo none)" "$(shard_sizes)" "$(query_mix)"
    printf -- '- lede-searchd: %s worker threads, default configuration; one: %s; local-N: %s; remote-N: the same with %s, one %s per shard on 127.0.0.1; spelling from %s\n' \
        "$(searchd_workers "$WORK_DIR/searchd-one.log")" "$(as_code "--db ONE")" \
        "$(as_code "-o shards=S/shard-0,... -o spelling_db=SPELLING")" \
        "$(as_code "tcp://127.0.0.1:PORT")" "$(as_code "xapian-tcpsrv --interface 127.0.0.1 --port PORT S/shard-k")" \
        "$(cat -- "$WORK_DIR/spelling-$(shard_counts | head -n 1)" 2>/dev/null | sed "s|^$WORK_DIR/||")"
    if [[ -n $NETEM_NOTE ]]; then
        printf -- '- %s\n' "$NETEM_NOTE"
    elif [[ $RUN_CASES == *netem-* ]]; then
        printf -- '- netem-N: the remote-N set-up with each xapian-tcpsrv in a network namespace behind a veth pair, %s ms of %s on both ends (each packet delayed %s ms each way)\n' \
            "$NETEM_DELAY_MS" "$(as_code "tc qdisc add dev VETH root netem delay ${NETEM_DELAY_MS}ms")" \
            "$NETEM_DELAY_MS"
    fi
    printf -- '- ids: %s; page: %s\n' \
        "$(as_code '{"op":"search","q":Q,"match":"all","limit":10,"snippet":false,"suggest":false}')" \
        "$(as_code '{"op":"search","q":Q,"match":"all","limit":10,"snippet":true,"suggest":true,"facets":["source","category","year"]}')"
}

print_rows() {
    local results=$1 mode c qps one tcpsrv
    for mode in $MODES; do
        one=$(median_of "$results" "$mode" one 4)
        for c in $RUN_CASES; do
            qps=$(median_of "$results" "$mode" "$c" 4)
            tcpsrv=$(median_of "$results" "$mode" "$c" tcpsrv_us)
            [[ $tcpsrv != -1 ]] && tcpsrv=$(printf '%.0f' "$tcpsrv") || tcpsrv="–"
            printf '| %s | %s | %.0f (%s) | **%s** | %.2f | %.2f | %s | %.0f | %s |\n' "$c" "$mode" \
                "$qps" "$(range_of "$results" "$mode" "$c" 4)" "$(percent "$qps" "$one")" \
                "$(median_of "$results" "$mode" "$c" 5)" "$(median_of "$results" "$mode" "$c" 6)" \
                "$(sum_of "$results" "$mode" "$c" 8)" "$(median_of "$results" "$mode" "$c" searchd_us)" \
                "$tcpsrv"
        done
    done
}

print_trip_rows() {
    local c mode
    for c in $RUN_CASES; do
        [[ $c == remote-* ]] || continue
        for mode in $MODES; do
            awk -v c="$c" -v m="$mode" '$1 == c && $2 == m { print $3 }' "$WORK_DIR/trips" |
                sort -g | awk -v c="$c" -v m="$mode" -v idle="${IDLE_ACCEPTS[$c]:-n/a}" '
                    { v[NR] = $1 }
                    END { if (NR == 0) exit
                          med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                          printf "| %s | %s | %d | %g (%d–%d) | %s |\n", c, m, NR, med, v[1], v[NR], idle }'
        done
    done
}

# Whether the remote cases meet issue 14's targets.
print_targets() {
    local results=$1 c mode target share one qps
    printf '\nTargets (issue 14): remote shards at >= 50%% of the one-index queries/s in ids mode, >= 30%% in page mode:\n\n'
    for c in $RUN_CASES; do
        [[ $c == remote-* ]] || continue
        for mode in $MODES; do
            case $mode in ids) target=50 ;; page) target=30 ;; *) continue ;; esac
            one=$(median_of "$results" "$mode" one 4)
            qps=$(median_of "$results" "$mode" "$c" 4)
            share=$(awk -v a="$qps" -v b="$one" 'BEGIN { print (b > 0 ? 100 * a / b : 0) }')
            printf -- '- %s, %s: %s of one index (target %s%%): %s\n' "$c" "$mode" \
                "$(percent "$qps" "$one")" "$target" \
                "$(awk -v s="$share" -v t="$target" 'BEGIN { print (s >= t ? "met" : "**not met**") }')"
        done
    done
}

print_report() {
    local results=$WORK_DIR/results load_before=$1
    printf '## Shards: one index against local and remote shards (issue 14)\n\n'
    print_machine_facts "$load_before"
    printf '\n| case | mode | q/s (min–max) | of one index | p50 ms | p99 ms | errors | lede-searchd CPU µs/request | xapian-tcpsrv CPU µs/request |\n'
    printf '|---|---|---:|---:|---:|---:|---:|---:|---:|\n'
    print_rows "$results"
    print_targets "$results"
    printf '\nRound trips per request (lede-searchd to all shards together), counted\n'
    printf 'on the first %s queries of the file with a lede-searchd of one worker\n' "$COUNT_QUERIES"
    printf 'thread that neither polls for reloads nor pings while counting, by\n'
    printf '%s on each xapian-tcpsrv: one round trip is a\n' "$(as_code "strace -f -p PID")"
    printf 'request answered (a reply burst after a read). "Idle connections/s" is how\n'
    printf 'many connections per second the idle lede-searchd of the load runs\n'
    printf '(default configuration) opened to one shard, watched for %s s.\n\n' "$IDLE_SECONDS"
    if [[ -n $TRIPS_NOTE ]]; then
        printf 'Round trips %s.\n' "$TRIPS_NOTE"
    else
        printf '| case | mode | queries | round trips per request, median (min–max) | idle connections/s per shard |\n'
        printf '|---|---|---:|---:|---:|\n'
        print_trip_rows
    fi
    printf '\nLatencies are per request as lede-loadgen saw it; errors count "ok":false\n'
    printf 'replies over all runs of the cell. CPU per request: lede-searchd from\n'
    printf '/proc/PID/stat over the measured window (lede-loadgen --server-pid);\n'
    printf 'xapian-tcpsrv, the servers of the case and their per-connection children,\n'
    printf 'from %s s after the start of lede-loadgen to its end (about the measured\n' "$WARMUP"
    printf 'window), in 10 ms ticks. Everything runs on one machine, so the shards\n'
    printf 'take CPU from lede-searchd and lede-loadgen.\n'
}

main() {
    local load_before
    require_corpus_or_skip
    require_settings
    build_if_missing
    mkdir -p "$REPO/var"
    WORK_DIR=$(mktemp -d "$REPO/var/bench-shards.XXXXXX")
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    : >"$WORK_DIR/results"
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    note "binaries in $BIN_DIR, $REPEATS repeat(s), cases '$CASES', modes '$MODES'"
    choose_cases
    build_indexes
    make_corpus_queries
    start_cases
    measure_all
    count_round_trips
    print_report "$load_before"
}

main "$@"
