#!/usr/bin/env bash
# packaging/haproxy/lede.cfg in front of two real lede-searchd: HAProxy
# runs a copy of the file with free loopback ports put in (nothing else
# changed), both servers pass its checks (the line protocol's PING/pong,
# HTTP's /health), searches through it succeed on both protocols and reach
# both servers, and after one server is killed every request still
# succeeds, before and after the checks take it out. The index is the
# bundled sample (data/sample/articles.jsonl).
# test_haproxy.sh LEDE-SEARCHD LEDE-INDEXER ARTICLES.JSONL HAPROXY.CFG
# Exit 77 (skipped) without haproxy.
# fail, wait_log, start_searchd (sets SEARCHD_PID, PORT and HTTP_PORT).
. "$(dirname "$0")/../package/lib.sh"

searchd=$1 indexer=$2 articles=$3 template=$4
# Requests sent through the balancer at each step, and what each asks and
# must find.
REQUESTS=10
QUERY=desalination
WANT_ID=sample-003
# How long the checks may take to mark a server up or down (inter 1s,
# rise 2, fall 2 in the file), with room for a loaded machine.
CHECK_WAIT_S=10

if ! command -v haproxy >/dev/null; then
    echo "skipped: haproxy not found (apt-get install haproxy)"
    exit 77
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lede-test-haproxy-XXXXXX")
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# start_searchd_n N: lede-searchd number N on the index; sets LINE_N,
# HTTP_N and PID_N.
start_searchd_n() {
    start_searchd "$WORK/searchd$1.log" "$searchd" --db "$WORK/idx" --listen 127.0.0.1:0 \
        -o http_listen=127.0.0.1:0 --threads 1
    PIDS+=("$SEARCHD_PID")
    printf -v "PID_$1" '%s' "$SEARCHD_PID"
    printf -v "LINE_$1" '%s' "$PORT"
    printf -v "HTTP_$1" '%s' "$HTTP_PORT"
}

# A port on 127.0.0.1 that nothing listens on now, below the ephemeral
# range (where outgoing connections would take it too).
free_port() {
    local port low
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range
    for ((;;)); do
        port=$((10000 + RANDOM % (low - 10000)))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
    done
    echo "$port"
}

# The file with the test's ports in place of the example's addresses;
# fails when one of them is not found (the file changed shape).
write_config() {
    local out=$WORK/haproxy.cfg
    sed -e "s|^\(    bind \):7878$|\1127.0.0.1:$LB_LINE|" \
        -e "s|^\(    bind \):7879$|\1127.0.0.1:$LB_HTTP|" \
        -e "s|^\(    bind \)127\.0\.0\.1:8404$|\1127.0.0.1:$LB_STATS|" \
        -e "s|^\(    server searchd1 \)10\.0\.0\.11:7878|\1127.0.0.1:$LINE_1|" \
        -e "s|^\(    server searchd2 \)10\.0\.0\.12:7878|\1127.0.0.1:$LINE_2|" \
        -e "s|^\(    server searchd1 \)10\.0\.0\.11:7879|\1127.0.0.1:$HTTP_1|" \
        -e "s|^\(    server searchd2 \)10\.0\.0\.12:7879|\1127.0.0.1:$HTTP_2|" \
        "$template" >"$out"
    ! grep -vE '^\s*#' "$out" | grep -E ':7878$|:7879$|:8404$|10\.0\.0\.1[12]' ||
        fail "$template: the lines above were not given test ports"
    haproxy -c -q -f "$out" || fail "haproxy -c rejects the generated $out"
}

# state BACKEND SERVER: the server's status and last check in HAProxy's
# CSV, e.g. "UP L7OK" (the check read pong or a 200) or "DOWN L4CON".
state() {
    curl -sf "http://127.0.0.1:$LB_STATS/stats;csv" |
        awk -F, -v b="$1" -v s="$2" '$1 == b && $2 == s { print $18, $37 }'
}

# wait_state WANT [SERVER]: waits until both servers (or SERVER) of both
# backends are in state WANT.
wait_state() {
    local want=$1 only=${2:-} b s ok
    for _ in $(seq $((CHECK_WAIT_S * 10))); do
        ok=1
        for b in lede_line lede_http; do
            for s in searchd1 searchd2; do
                [[ -z $only || $s == "$only" ]] || continue
                [[ $(state "$b" "$s") == "$want" ]] || ok=0
            done
        done
        ((ok)) && return 0
        sleep 0.1
    done
    curl -sf "http://127.0.0.1:$LB_STATS/stats;csv" | cut -d, -f1,2,18,37 >&2 || true
    fail "the servers${only:+ ($only)} were not '$want' within $CHECK_WAIT_S s"
}

# line_request PORT JSON: one request on a new connection; prints the reply.
line_request() {
    local reply
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf '%s\n' "$2" >&3
    IFS= read -r -t 5 reply <&3 || reply=""
    exec 3<&-
    printf '%s\n' "$reply"
}

# through_balancer STEP: REQUESTS searches on each protocol through HAProxy,
# each on a new connection; every one must find the article.
through_balancer() {
    local step=$1 i reply
    for ((i = 0; i < REQUESTS; i++)); do
        reply=$(line_request "$LB_LINE" "{\"op\":\"search\",\"q\":\"$QUERY\",\"limit\":3}") || reply=""
        [[ $reply == *'"ok":true'*"\"id\":\"$WANT_ID\""* ]] || fail "$step: line request $i got '$reply'"
        reply=$(curl -s --max-time 5 "http://127.0.0.1:$LB_HTTP/search?q=$QUERY&limit=3") ||
            reply="curl failed"
        [[ $reply == *'"ok":true'*"\"id\":\"$WANT_ID\""* ]] || fail "$step: HTTP request $i got '$reply'"
    done
    echo "ok   $step: $REQUESTS line and $REQUESTS HTTP searches through haproxy"
}

# searches_of PORT: the searches lede-searchd on PORT has answered (STATS).
searches_of() {
    line_request "$1" "STATS" | sed -n 's/.*"search":\([0-9]*\).*/\1/p'
}

"$indexer" --db "$WORK/idx" --quiet "$articles" || fail "lede-indexer"
start_searchd_n 1
start_searchd_n 2
# HAProxy on three free ports; other ones when one was taken meanwhile.
for attempt in 1 2 3 4 5; do
    LB_LINE=$(free_port) LB_HTTP=$(free_port) LB_STATS=$(free_port)
    write_config
    haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
    HAPROXY_PID=$!
    PIDS+=("$HAPROXY_PID")
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$LB_STATS/stats;csv" >/dev/null 2>&1 && break 2
        kill -0 "$HAPROXY_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$HAPROXY_PID" 2>/dev/null && fail "haproxy did not answer on 127.0.0.1:$LB_STATS within 10 s"
    wait "$HAPROXY_PID" 2>/dev/null || true
    grep -q 'Address already in use' "$WORK/haproxy.log" || break
done
kill -0 "$HAPROXY_PID" 2>/dev/null || { cat "$WORK/haproxy.log" >&2; fail "haproxy exited (attempt $attempt)"; }
# L7OK: the check's answer was read (pong, 200), not just a connection made.
wait_state "UP L7OK"
echo "ok   both servers up: the PING/pong and GET /health checks pass (L7OK)"

through_balancer "both servers"
n1=$(searches_of "$LINE_1") n2=$(searches_of "$LINE_2")
((n1 > 0 && n2 > 0)) || fail "the searches did not reach both servers ($n1 and $n2)"
echo "ok   both servers answered ($n1 and $n2 searches)"

kill -KILL "$PID_1"
wait "$PID_1" 2>/dev/null || true
through_balancer "searchd1 killed, before the checks notice"
wait_state "DOWN L4CON" searchd1
echo "ok   the checks took searchd1 out (connection refused)"
through_balancer "searchd1 down"
# A check of searchd2 may be under way at this instant (its state then
# reads "UP 1/2"...): wait for it rather than read it once.
wait_state "UP L7OK" searchd2
echo "1 passed, 0 failed"
