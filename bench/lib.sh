# shellcheck shell=bash
# bench/lib.sh: what the benchmark scripts share: the facts that identify a
# run (machine, library versions, commit) and how figures are shown.
# Sourced by bench/index.sh, query.sh, relevance.sh and scale.sh, which set
# REPO first.

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

# CMAKE_BUILD_TYPE of BIN_DIR.
build_type() {
    sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BIN_DIR/CMakeCache.txt" 2>/dev/null | head -n 1
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
