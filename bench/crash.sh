#!/usr/bin/env bash
# Kills lede-indexer with SIGKILL at random points of every kind of run and
# checks what it leaves, then prints a markdown section for bench/RESULTS.md
# on standard output.
#
# Kinds of run, each on a fresh copy of a base index of BASE_DOCS articles:
#   bulk     --update bulk with ADD_DOCS new articles   (after = before + ADD_DOCS)
#   direct   --update direct with DIRECT_DOCS new ones  (after = before + DIRECT_DOCS)
#   rebuild  --rebuild from REBUILD_DOCS other articles (after = REBUILD_DOCS)
#   delete   --delete of DELETE_IDS ids                 (after = before - DELETE_IDS)
# Each kind is first run to the end once, to learn how long it takes. Then
# every trial starts it and sends SIGKILL after a delay drawn uniformly
# from 0 to 1.5 times that (so some trials end before the kill; the table
# says how many), and checks:
#   1. the index opens (lede search --db DIR);
#   2. xapian-check finds no error in the live generation (the one DIR/XAPIANDB names);
#   3. the number of documents (xapian-delve) is the count before the run
#      or after it, never anything in between;
#   4. the next run (a delete of an id that does not exist) succeeds, keeps
#      the count, and leaves no build area (tmp-*) and no undo note behind.
#
# Environment:
#   LEDE_BIN_DIR  a build directory with indexer/lede-indexer and cli/lede
#                 (default: build/, built in Release mode when missing)
#   TRIALS        trials per kind (default 30)
#   KINDS         kinds to run (default "bulk direct rebuild delete")
#   SEED          seed of the kill delays (default 1)
#   BASE_DOCS, ADD_DOCS, DIRECT_DOCS, REBUILD_DOCS, DELETE_IDS
#                 sizes (defaults 20000, 5000, 1000, 15000, 2000)
#
# The articles are generated (no corpus needed). Progress goes to standard
# error; only the markdown goes to standard output. Exit status 1 when any
# check failed.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
GIVEN_SETTINGS=""
for name in LEDE_BIN_DIR TRIALS KINDS SEED BASE_DOCS ADD_DOCS DIRECT_DOCS REBUILD_DOCS DELETE_IDS; do
    value=${!name:-}
    value=${value#"$REPO"/}
    [[ $value != *' '* ]] || value="'$value'"
    [[ -z $value ]] || GIVEN_SETTINGS+="$name=$value "
done
BIN_DIR=${LEDE_BIN_DIR:-$REPO/build}
TRIALS=${TRIALS:-30}
KINDS=${KINDS:-bulk direct rebuild delete}
SEED=${SEED:-1}
BASE_DOCS=${BASE_DOCS:-20000}
ADD_DOCS=${ADD_DOCS:-5000}
DIRECT_DOCS=${DIRECT_DOCS:-1000}
REBUILD_DOCS=${REBUILD_DOCS:-15000}
DELETE_IDS=${DELETE_IDS:-2000}
# Kill delays reach past the run's measured length, so that its last
# moments (commit, publish) are hit too.
KILL_SPAN=1.5

INDEXER=""
LEDE=""
WORK_DIR=""
RUN_PID=""

set_binaries() {
    INDEXER=$BIN_DIR/indexer/lede-indexer
    LEDE=$BIN_DIR/cli/lede
}

binaries_present() {
    [[ -x $INDEXER && -x $LEDE ]]
}

cleanup() {
    if [[ -n $RUN_PID ]]; then
        kill -KILL "$RUN_PID" 2>/dev/null || true
        wait "$RUN_PID" 2>/dev/null || true
    fi
    if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then
        rm -rf -- "$WORK_DIR"
    fi
}

require_settings() {
    local v
    for v in TRIALS BASE_DOCS ADD_DOCS DIRECT_DOCS REBUILD_DOCS DELETE_IDS; do
        [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive whole number, not '${!v}'"
    done
    [[ $SEED =~ ^[0-9]+$ ]] || die "SEED must be a whole number"
    ((DELETE_IDS <= BASE_DOCS)) || die "DELETE_IDS must not exceed BASE_DOCS"
    for v in $KINDS; do
        [[ $v =~ ^(bulk|direct|rebuild|delete)$ ]] || die "KINDS holds '$v'; kinds are bulk direct rebuild delete"
    done
    for v in xapian-check xapian-delve; do
        command -v "$v" >/dev/null || die "$v is missing: apt-get install xapian-tools"
    done
}

# Writes articles PREFIX$1 .. PREFIX($1+$2-1) to $4 as JSON Lines.
write_articles() {
    awk -v first="$1" -v n="$2" -v prefix="$3" 'BEGIN {
        for (i = first; i < first + n; i++)
            printf "{\"id\":\"%s%d\",\"title\":\"Harbor report %d on tides\",\"body\":\"Ferries and tides number %d, " \
                   "with words %d and %d repeated to make the article a realistic size for indexing; " \
                   "the council met on %d and the port reopened.\",\"date\":\"2023-%02d-%02d\"}\n",
                   prefix, i, i, i, i * 7, i * 13, i % 97, 1 + i % 12, 1 + i % 28
    }' >"$4"
}

# ---- one run and its checks ------------------------------------------------------

# The arguments of a run of kind $1 on index $2.
run_args() {
    case $1 in
    bulk) printf '%s\n' --db "$2" --update bulk "$WORK_DIR/add.jsonl" ;;
    direct) printf '%s\n' --db "$2" --update direct "$WORK_DIR/direct.jsonl" ;;
    rebuild) printf '%s\n' --db "$2" --rebuild "$WORK_DIR/rebuild.jsonl" ;;
    delete) printf '%s\n' --db "$2" --delete && seq -f 'k%.0f' 0 $((DELETE_IDS - 1)) ;;
    esac
}

# The number of documents a run of kind $1 leaves.
count_after() {
    case $1 in
    bulk) echo $((BASE_DOCS + ADD_DOCS)) ;;
    direct) echo $((BASE_DOCS + DIRECT_DOCS)) ;;
    rebuild) echo "$REBUILD_DOCS" ;;
    delete) echo $((BASE_DOCS - DELETE_IDS)) ;;
    esac
}

# A fresh copy of the base index at $1.
fresh_index() {
    rm -rf -- "$1"
    cp -a "$WORK_DIR/base" "$1"
}

doc_count() {
    xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'
}

live_gen() {
    sed -n 's/^auto //p' "$1/XAPIANDB" 2>/dev/null
}

# Checks the index at $1 after a run of kind $2; prints nothing when all is
# well, else one line per fault.
check_index() {
    local db=$1 kind=$2 count gen out
    "$LEDE" search --db "$db" --json --limit 1 tides >/dev/null 2>"$WORK_DIR/open.err" ||
        echo "the index does not open: $(head -c 200 "$WORK_DIR/open.err")"
    gen=$(live_gen "$db")
    if [[ -z $gen ]]; then
        echo "no live generation in $db/XAPIANDB"
    elif ! out=$(xapian-check "$db/$gen" 2>&1); then
        echo "xapian-check $gen: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
    fi
    count=$(doc_count "$db")
    [[ $count == "$BASE_DOCS" || $count == "$(count_after "$kind")" ]] ||
        echo "$count documents: neither $BASE_DOCS (before) nor $(count_after "$kind") (after)"
    # The next run clears what the killed one left, and succeeds.
    if ! "$INDEXER" --db "$db" --quiet --delete none-such >/dev/null 2>"$WORK_DIR/next.err"; then
        echo "the next run failed: $(head -c 200 "$WORK_DIR/next.err")"
    fi
    [[ $(doc_count "$db") == "$count" ]] || echo "the next run changed the count"
    compgen -G "$db/tmp-*" >/dev/null && echo "a build area is left after the next run"
    compgen -G "$db/gen-*/lede-undo" >/dev/null && echo "an undo note is left after the next run"
    return 0
}

# Runs kind $1 to the end on a fresh index; prints its wall seconds.
calibrate() {
    local kind=$1 db=$WORK_DIR/idx start end args
    fresh_index "$db"
    mapfile -t args < <(run_args "$kind" "$db")
    start=$(date +%s.%N)
    "$INDEXER" --quiet "${args[@]}" >/dev/null 2>"$WORK_DIR/run.err" ||
        die "$kind run failed: $(cat "$WORK_DIR/run.err")"
    end=$(date +%s.%N)
    [[ $(doc_count "$db") == "$(count_after "$kind")" ]] ||
        die "$kind run left $(doc_count "$db") documents, not $(count_after "$kind")"
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

# One trial of kind $1 with a kill after $2 seconds; prints
# "killed|finished COUNT" and then the faults, one per line.
trial() {
    local kind=$1 delay=$2 db=$WORK_DIR/idx how=killed args
    fresh_index "$db"
    mapfile -t args < <(run_args "$kind" "$db")
    "$INDEXER" --quiet "${args[@]}" >/dev/null 2>&1 &
    RUN_PID=$!
    sleep "$delay"
    kill -0 "$RUN_PID" 2>/dev/null || how=finished
    kill -KILL "$RUN_PID" 2>/dev/null || true
    wait "$RUN_PID" 2>/dev/null || true
    RUN_PID=""
    echo "$how $(doc_count "$db")"
    check_index "$db" "$kind"
}

# ---- the report ---------------------------------------------------------------------

main() {
    require_settings
    build_if_missing
    mkdir -p "$REPO/var"
    WORK_DIR=$(mktemp -d "$REPO/var/crash-XXXXXX")
    trap cleanup EXIT
    trap 'exit 130' INT TERM

    note "writing the articles and the base index ($BASE_DOCS articles)"
    write_articles 0 "$BASE_DOCS" k "$WORK_DIR/base.jsonl"
    write_articles "$BASE_DOCS" "$ADD_DOCS" k "$WORK_DIR/add.jsonl"
    write_articles $((BASE_DOCS + ADD_DOCS)) "$DIRECT_DOCS" k "$WORK_DIR/direct.jsonl"
    write_articles 0 "$REBUILD_DOCS" r "$WORK_DIR/rebuild.jsonl"
    "$INDEXER" --quiet --db "$WORK_DIR/base" "$WORK_DIR/base.jsonl" ||
        die "cannot build the base index"

    local kind secs delay i total_faults=0 rows="" faults_list="" line how count
    RANDOM=$SEED
    for kind in $KINDS; do
        secs=$(calibrate "$kind")
        note "$kind: a whole run takes $secs s; $TRIALS trials"
        local killed=0 finished=0 at_before=0 at_after=0 faulty=0
        for ((i = 1; i <= TRIALS; i++)); do
            delay=$(awk -v s="$secs" -v r="$RANDOM" -v span="$KILL_SPAN" \
                'BEGIN { printf "%.3f\n", s * span * r / 32767 }')
            local out
            out=$(trial "$kind" "$delay")
            read -r how count <<<"$(head -n 1 <<<"$out")"
            [[ $how == killed ]] && killed=$((killed + 1)) || finished=$((finished + 1))
            [[ $count == "$BASE_DOCS" ]] && at_before=$((at_before + 1))
            [[ $count == "$(count_after "$kind")" && $count != "$BASE_DOCS" ]] && at_after=$((at_after + 1))
            if [[ $(wc -l <<<"$out") -gt 1 ]]; then
                faulty=$((faulty + 1))
                while IFS= read -r line; do
                    faults_list+="| $kind | $i | ${delay} s | $line |"$'\n'
                    note "FAULT $kind trial $i (kill after $delay s): $line"
                done < <(tail -n +2 <<<"$out")
            fi
        done
        total_faults=$((total_faults + faulty))
        rows+="| $kind | $(count_after "$kind" | awk -v b="$BASE_DOCS" '{ print b " → " $1 }') | $secs | $TRIALS | $killed | $finished | $at_before | $at_after | $faulty |"$'\n'
    done

    echo "## Crash safety: kill -9 during indexing (issue 11)"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores ($(cpu_model)); Xapian $(xapian_version);"
    echo "lede $(lede_commit); $(build_type) build."
    echo "Command: $(as_code "${GIVEN_SETTINGS}bench/crash.sh")."
    echo
    echo "| run | documents before → after | whole run (s) | trials | killed mid-run | ended before the kill | count = before | count = after | trials with a fault |"
    echo "|---|---|---|---|---|---|---|---|---|"
    printf '%s' "$rows"
    echo
    echo "A fault is any of: the index does not open, xapian-check reports an error in the live"
    echo "generation, the count is neither the one before nor the one after, or the next run fails,"
    echo "changes the count or leaves a build area or an undo note behind."
    if [[ -n $faults_list ]]; then
        echo
        echo "| run | trial | kill after | fault |"
        echo "|---|---|---|---|"
        printf '%s' "$faults_list"
    fi
    ((total_faults == 0))
}

main "$@"
