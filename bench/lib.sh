# shellcheck shell=bash
# bench/lib.sh: what the benchmark scripts share: the facts that identify a
# run (machine, library versions, commit) and how figures are shown.
# Sourced by bench/index.sh and bench/query.sh, which set REPO first.

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
