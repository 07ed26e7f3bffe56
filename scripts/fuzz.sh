#!/usr/bin/env bash
# Fuzzes lede with libFuzzer: scripts/fuzz.sh MINUTES [TARGET...]
#
# Builds build-fuzz/ with clang and -DLEDE_FUZZ=ON (every library with
# coverage, AddressSanitizer and UBSan; installs clang and its runtime
# from Debian if they are missing), then runs each target (all of them by
# default, fastest first; "proto" and "fuzz_proto" both name one) for
# MINUTES, one at a time, at the lowest CPU priority. Each target keeps
# its corpus in build-fuzz/corpus/NAME, seeded from tests/fuzz/corpus/NAME
# (read only) and grown from run to run; what it finds (crash-*, leak-*,
# timeout-*, oom-*) goes to build-fuzz/artifacts/NAME/, its log to
# build-fuzz/logs/NAME.log. Prints per target: executions, coverage edges,
# features, corpus size and findings; exits 1 when anything was found.
# Every run's rows are kept in build-fuzz/fuzz-history.txt, and
# build-fuzz/fuzz-tally.txt sums them per target (runs add up: a campaign
# can be run in pieces).
#
# Environment: FUZZ_RSS_MB (memory limit per target, default 2048),
# FUZZ_TIMEOUT_S (one input, default 10), FUZZ_ARGS (more libFuzzer flags).
set -euo pipefail
cd "$(dirname "$0")/.."

# Fastest first. A new target: add it here and in tests/fuzz.cmake.
ALL_TARGETS=(request stored config http_query proto query jsonl article html)

usage() {
  echo "usage: scripts/fuzz.sh MINUTES [TARGET...]  (targets: ${ALL_TARGETS[*]})" >&2
  exit 2
}
if [ $# -lt 1 ] || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then usage; fi
MINUTES=$1
shift
TARGETS=()
for t in "${@:-${ALL_TARGETS[@]}}"; do
  t=${t#fuzz_}
  [[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || { echo "fuzz.sh: no target '$t'" >&2; usage; }
  TARGETS+=("$t")
done

BUILD=build-fuzz
RSS_MB=${FUZZ_RSS_MB:-2048}
TIMEOUT_S=${FUZZ_TIMEOUT_S:-10}

# clang with libFuzzer's runtime (libclang-rt-14-dev on Debian 12).
have_libfuzzer() {
  command -v clang >/dev/null && command -v clang++ >/dev/null || return 1
  local dir
  dir=$(mktemp -d)
  printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return (int)(n && d[0]) * 0; }\n' >"$dir/t.c"
  clang -fsanitize=fuzzer "$dir/t.c" -o "$dir/t" >/dev/null 2>&1
  local ok=$?
  rm -rf "$dir"
  return $ok
}
if ! have_libfuzzer; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "fuzz.sh: installing clang and libclang-rt-dev (libFuzzer)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    clang libclang-rt-dev >/dev/null
  have_libfuzzer || { echo "fuzz.sh: clang -fsanitize=fuzzer still does not link" >&2; exit 1; }
fi

echo "== build ($BUILD)"
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDE_FUZZ=ON >/dev/null
nice -n 19 cmake --build "$BUILD" -j 2 --target "${TARGETS[@]/#/fuzz_}"

# The last libFuzzer status line's value for a key ("cov:", "ft:", "corp:").
last_value() {
  grep -E '^#[0-9]+' "$2" | tail -1 | sed -nE "s/.* $1 ([^ ]+).*/\\1/p"
}

# Pages and fixtures written for the tests seed a target too (read only).
extra_seeds() {
  case $1 in
    article) [ -d tests/fixtures/text ] && echo tests/fixtures/text ;;
    html) [ -d tests/fixtures/html ] && echo tests/fixtures/html ;;
  esac
  return 0
}

# This run's table; every run's rows are also kept in fuzz-history.txt.
summary=$BUILD/fuzz-summary.txt history=$BUILD/fuzz-history.txt tally=$BUILD/fuzz-tally.txt
ROW='%-16s %8s %12s %8s %7s %8s %14s %s\n'
# shellcheck disable=SC2059 # ROW is the format
printf "$ROW" target seconds executions exec/s edges features corpus findings >"$summary"
echo "# $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')" >>"$history"
found=0
ROOT=$PWD

# Sums the history per target: runs, seconds and executions added up,
# edges and features the highest seen, corpus and findings as last seen,
# and the commit of the target's latest run.
write_tally() {
  awk '
    /^# / { commit = $4; next }
    $1 ~ /^fuzz_/ && $3 ~ /^[0-9]+$/ {
      t = $1
      if (!(t in runs)) order[n++] = t
      runs[t]++; secs[t] += $2; execs[t] += $3
      if ($5 + 0 > edges[t]) edges[t] = $5 + 0
      if ($6 + 0 > feats[t]) feats[t] = $6 + 0
      corp[t] = $7; found[t] = $8; last[t] = commit
    }
    END {
      printf "%-16s %4s %8s %12s %8s %8s %14s %8s %s\n", "target", "runs", "seconds",
        "executions", "edges", "features", "corpus", "findings", "last-run"
      for (i = 0; i < n; i++) {
        t = order[i]
        printf "%-16s %4d %8d %12d %8d %8d %14s %8s %s\n", t, runs[t], secs[t], execs[t],
          edges[t], feats[t], corp[t], found[t], last[t]
      }
    }' "$history" >"$tally"
}
for t in "${TARGETS[@]}"; do
  corpus=$ROOT/$BUILD/corpus/$t artifacts=$ROOT/$BUILD/artifacts/$t log=$ROOT/$BUILD/logs/$t.log
  work=$ROOT/$BUILD/work/$t
  mkdir -p "$corpus" "$artifacts" "$work" "$ROOT/$BUILD/logs"
  args=(-max_total_time=$((MINUTES * 60)) -rss_limit_mb="$RSS_MB" -timeout="$TIMEOUT_S"
        -jobs=1 -print_final_stats=1 -artifact_prefix="$artifacts/")
  [ -f "tests/fuzz/$t.dict" ] && args+=(-dict="$ROOT/tests/fuzz/$t.dict")
  # shellcheck disable=SC2206 # FUZZ_ARGS is a list of flags
  args+=(${FUZZ_ARGS:-})
  # New inputs go to the first directory; the others only seed it.
  dirs=("$corpus" "$ROOT/tests/fuzz/corpus/$t")
  for s in $(extra_seeds "$t"); do dirs+=("$ROOT/$s"); done
  echo "== fuzz_$t: $MINUTES min (log: $log)"
  start=$(date +%s)
  # -jobs=1 runs the fuzzer in a child that logs to fuzz-0.log in the
  # working directory: that file is the run's log.
  rm -f "$work/fuzz-0.log"
  (cd "$work" && nice -n 19 "$ROOT/$BUILD/tests/fuzz_$t" "${args[@]}" "${dirs[@]}" >/dev/null 2>&1) || true
  mv "$work/fuzz-0.log" "$log" 2>/dev/null || echo "fuzz_$t did not start" >"$log"
  seconds=$(($(date +%s) - start))
  execs=$(sed -nE 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -nE 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  n_found=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' \) | wc -l)
  [ "$n_found" -eq 0 ] || found=1
  edges=$(last_value cov: "$log") features=$(last_value ft: "$log") corp=$(last_value corp: "$log")
  # shellcheck disable=SC2059 # ROW is the format
  printf "$ROW" "fuzz_$t" "$seconds" "${execs:-?}" "${rate:-?}" "${edges:-?}" "${features:-?}" \
    "${corp:-?}" "$n_found in $BUILD/artifacts/$t" |
    tee -a "$summary" "$history"
  write_tally
done
echo "== summary ($summary)"
cat "$summary"
echo "== all runs so far ($tally)"
cat "$tally"
exit $found
