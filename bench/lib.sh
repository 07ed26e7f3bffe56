# shellcheck shell=bash
# bench/lib.sh: what the benchmark scripts share: the facts that identify a
# run (machine, library versions, commit) and how figures are shown.
# Sourced by the bench/*.sh scripts, which set REPO first.

# Progress and errors go to stderr, named after the script.
note() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

die() {
    note "$*"
    exit 2
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2fx", a / b }'
}

cpu_model() {
    awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo
}

xapian_version() {
    if command -v xapian-config >/dev/null; then
        xapian-config --version | awk '{ print $NF }'
    else
        dpkg -s libxapian30 2>/dev/null | awk '/^Version:/ { print $2 }'
    fi
}

lede_commit() {
    local commit
    commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null) || commit=unknown
    if ! git -C "$REPO" diff --quiet HEAD 2>/dev/null; then
        commit="$commit (with uncommitted changes)"
    fi
    printf '%s\n' "$commit"
}

# The first facts of a report: the date, and the machine with its load
# average when the run began ($1) and now.
print_date_and_machine() {
    printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf -- '- machine: %s cores (nproc), %s, %s MB RAM; load average (1 min) before / after: %s / %s\n' \
        "$(nproc)" "$(cpu_model)" "$(awk '/^MemTotal/ { printf "%.0f", $2 / 1024 }' /proc/meminfo)" \
        "$1" "$(cut -d' ' -f1 /proc/loadavg)"
}

# Over the values of column_of (which the script defines, taking "$@"):
# "min–max" rounded, and the sum.
range_of() {
    column_of "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 }
        END { printf "%.0f–%.0f", lo, hi }'
}

sum_of() {
    column_of "$@" | awk '{ s += $1 } END { print s + 0 }'
}

# Wraps $1 in markdown backticks.
as_code() {
    printf "\`%s\`" "$1"
}

# Median of the numbers on standard input (mean of the middle two when even).
median() {
    sort -g | awk '{ v[NR] = $1 }
        END { if (NR == 0) exit 1
              if (NR % 2) print v[(NR + 1) / 2]
              else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---- processes and builds ----------------------------------------------------

# Stops process $1 (called $2 in messages) with SIGTERM, then SIGKILL when
# it has not exited within STOP_TIMEOUT_SECONDS (set by the script).
stop_pid() {
    local pid=$1 name=${2:-process $1} i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < STOP_TIMEOUT_SECONDS * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        note "$name did not stop within $STOP_TIMEOUT_SECONDS s of SIGTERM; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# The port of lede-searchd's "info: listening on 127.0.0.1:PORT," line in
# log $1 (not the "http listening on" one), or nothing yet.
searchd_port() {
    sed -n 's/.* info: listening on 127\.0\.0\.1:\([0-9][0-9]*\),.*/\1/p' "$1" | head -n 1
}

# Builds lede (Release) unless the script's binaries are there already.
# The script defines set_binaries and binaries_present, and BIN_DIR.
build_if_missing() {
    set_binaries
    binaries_present && return
    [[ -z ${LEDE_BIN_DIR:-} ]] || die "LEDE_BIN_DIR=$LEDE_BIN_DIR lacks lede-indexer, lede-searchd or the bench tools"
    note "building lede (Release) with scripts/build.sh"
    # Warnings must not stop a benchmark build; the normal builds keep -Werror.
    BUILD_TYPE=Release "$REPO/scripts/build.sh" -DLEDE_WERROR=OFF >&2
    binaries_present || die "scripts/build.sh did not produce the binaries in $BIN_DIR"
}

# True when every file given is executable (for binaries_present).
# The programs most benchmarks run, from the build directory BIN_DIR.
lede_binaries() {
    INDEXER=$BIN_DIR/indexer/lede-indexer
    SEARCHD=$BIN_DIR/searchd/lede-searchd
    LOADGEN=$BIN_DIR/bench/lede-loadgen
    QUERYGEN=$BIN_DIR/bench/lede-querygen
}

all_executable() {
    local b
    for b in "$@"; do
        [[ -x $b ]] || return 1
    done
}

# CMAKE_BUILD_TYPE of BIN_DIR.
build_type() {
    sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BIN_DIR/CMakeCache.txt" 2>/dev/null | head -n 1
}

# ---- the corpus, the query file, loopback ------------------------------------

# The corpus file of CORPUS_NAME under CORPORA (both set by the script).
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

# Writes $WORK_DIR/queries.txt from the corpus with lede-querygen
# (QUERYGEN, QUERY_COUNT, QUERY_SEED).
make_corpus_queries() {
    "$QUERYGEN" --count "$QUERY_COUNT" --seed "$QUERY_SEED" -o "$WORK_DIR/queries.txt" \
        "$(corpus_file)" 2>"$WORK_DIR/querygen.err" ||
        die "lede-querygen failed: $(cat -- "$WORK_DIR/querygen.err")"
}

# What $WORK_DIR/queries.txt holds, for the report.
query_mix() {
    local q=$WORK_DIR/queries.txt
    printf '%s queries (seed %s): %s plain, %s "phrase", %s filtered' \
        "$(wc -l <"$q")" "$QUERY_SEED" "$(grep -vc '^[{"]' "$q" || true)" \
        "$(grep -c '^"' "$q" || true)" "$(grep -c '^{' "$q" || true)"
}

# A port on 127.0.0.1 that nothing listens on now, below the kernel's
# ephemeral range: a port in it may be the local end of an outgoing
# connection (lede-searchd's to a shard) by the time a server binds it.
free_port() {
    local port low=32768
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
    ((low > 12000)) || low=32768
    for ((;;)); do
        port=$((10000 + RANDOM % (low - 10000)))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
    done
    echo "$port"
}

# The value of "key" $2 in the one-line JSON object $1 (numbers, as
# lede-loadgen's report has them).
json_field() {
    sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p" <<<"$1"
}

# ---- Sphinx, the peer engine (bench/sphinx/) --------------------------------

SPHINX_INSTALL_HINT="apt-get install sphinxsearch libmariadb-dev"
# Sphinx's programs (SPHINX_INDEXER, SPHINX_SEARCHD in the environment);
# their Debian names are this generic.
SPHINX_INDEXER_BIN=${SPHINX_INDEXER:-indexer}
SPHINX_SEARCHD_BIN=${SPHINX_SEARCHD:-searchd}

# The first line Sphinx program $1 prints ("Sphinx 2.2.11-id64-release
# (95ae9a6)"), or nothing when it is not Sphinx.
sphinx_banner() {
    local out
    command -v "$1" >/dev/null || return 0
    out=$("$1" --help 2>&1 || true)
    out=${out%%$'\n'*}
    [[ $out != Sphinx\ * ]] || printf '%s\n' "$out"
}

# Exits 0 with a message on standard error when one of the Sphinx programs
# named after $1 (the script's name) is missing: the comparison is optional.
sphinx_require_or_skip() {
    local script=$1 prog
    shift
    for prog in "$@"; do
        if [[ -z $(sphinx_banner "$prog") ]]; then
            printf '%s: skipped: Sphinx %s not found; install it with: %s\n' "$script" "$prog" \
                "$SPHINX_INSTALL_HINT" >&2
            exit 0
        fi
    done
}

# $1 escaped for the replacement side of a sed s|...|...| command.
sed_replacement() {
    local v=${1//\\/\\\\}
    v=${v//&/\\&}
    printf '%s\n' "${v//|/\\|}"
}

# Writes bench/sphinx/sphinx.conf.in to $1 with its placeholders filled:
# the tsvpipe file $2, the index directory $3, the directory for searchd's
# log and pid file $4, and the SphinxQL port $5.
sphinx_write_conf() {
    local out=$1
    sed -e "s|@TSV@|$(sed_replacement "$2")|g" -e "s|@INDEX_DIR@|$(sed_replacement "$3")|g" \
        -e "s|@RUN_DIR@|$(sed_replacement "$4")|g" -e "s|@PORT@|$5|g" \
        "$REPO/bench/sphinx/sphinx.conf.in" >"$out"
}

# The N of the "total N docs, ..." line of Sphinx indexer's output in file $1.
sphinx_indexed_docs() {
    sed -n 's/^total \([0-9][0-9]*\) docs, .*/\1/p' "$1" | tail -n 1
}
