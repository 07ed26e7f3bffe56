#!/usr/bin/env bash
# Interleaved builds of one input with several lede-indexer binaries, to
# compare builds of different commits on a noisy machine (bench/RESULTS.md,
# "Indexer speed"). Each round builds a fresh index with every binary in
# turn; one line per build: wall and CPU seconds (user + system, GNU
# time), peak RSS in kB, the size of the generation (du -sb) and the load.
#
# Usage: bench/index_ab.sh ROUNDS NAME=BINARY...
# Environment: INPUT (default: Reuters-21578 in ../shared/corpora), and
# INDEXER_ARGS, more options for every build (e.g. "--threads 1").
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INPUT=${INPUT:-$REPO/../shared/corpora/reuters21578/articles.jsonl.gz}
[[ $# -ge 2 && $1 =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 ROUNDS NAME=BINARY..." >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "$0: GNU time is missing (apt-get install time)" >&2; exit 2; }
ROUNDS=$1
shift
WORK=$(mktemp -d)
trap 'rm -rf -- "$WORK"' EXIT

for ((i = 1; i <= ROUNDS; i++)); do
    for spec in "$@"; do
        rm -rf "$WORK/db"
        # Exit status 1 only says some records were rejected (Reuters has one).
        # shellcheck disable=SC2086
        /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "${spec#*=}" --db "$WORK/db" \
            --no-progress -q ${INDEXER_ARGS:-} "$INPUT" 2>/dev/null || true
        read -r wall user sys rss < <(tail -1 "$WORK/time")
        size=$(du -sb "$WORK"/db/gen-*/ | cut -f1)
        printf '%s %d wall %s cpu %.2f rss %s size %s load %s\n' "${spec%%=*}" "$i" "$wall" \
            "$(echo "$user + $sys" | bc)" "$rss" "$size" "$(cut -d' ' -f1 /proc/loadavg)"
    done
done
