# Shared by test_install.sh and test_deb.sh: run an installed lede against a
# small index. Source it; it sets `set -euo pipefail`.
set -euo pipefail

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# wait_log FILE TEXT: waits up to 10 s for TEXT in FILE.
wait_log() {
    for _ in $(seq 100); do
        grep -qF -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    cat "$1" >&2 || true
    fail "no '$2' in $1"
}

# start_searchd LOG ARGS...: starts lede-searchd (ARGS) in the background
# with its output in LOG; sets SEARCHD_PID, PORT and HTTP_PORT from its log.
start_searchd() {
    local log=$1; shift
    "$@" >"$log" 2>&1 &
    SEARCHD_PID=$!
    wait_log "$log" "info: listening on 127.0.0.1:"
    PORT=$(sed -n 's/.*info: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)
    HTTP_PORT=$(sed -n 's/.*info: http listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$PORT" ] && [ -n "$HTTP_PORT" ] || fail "no ports in $log"
}

# stop_searchd: SIGTERM, and the exit status must be 0.
stop_searchd() {
    [ -n "${SEARCHD_PID:-}" ] || return 0
    kill -TERM "$SEARCHD_PID"
    local rc=0
    wait "$SEARCHD_PID" || rc=$?
    SEARCHD_PID=
    [ "$rc" -eq 0 ] || fail "lede-searchd exited $rc after SIGTERM"
}

# kill_searchd: for the trap, whatever state things are in.
kill_searchd() {
    if [ -n "${SEARCHD_PID:-}" ]; then
        kill -KILL "$SEARCHD_PID" 2>/dev/null || true
        wait "$SEARCHD_PID" 2>/dev/null || true
        SEARCHD_PID=
    fi
}

# check_serving LEDE WEB-DIR QUERY WANT-ID: a search through the CLI finds
# WANT-ID, and / serves WEB-DIR/index.html byte for byte.
check_serving() {
    local lede=$1 web=$2 query=$3 want=$4
    local out
    out=$("$lede" search --port "$PORT" --json "$query") || fail "lede search $query failed: $out"
    grep -qF "\"id\":\"$want\"" <<<"$out" || fail "lede search $query: no $want in $out"
    curl -sf "http://127.0.0.1:$HTTP_PORT/" -o "$WORK/page.html" || fail "GET / failed"
    cmp -s "$WORK/page.html" "$web/index.html" || fail "GET / is not $web/index.html"
    echo "ok   search and page served"
}
