#!/usr/bin/env bash
# Builds lede and runs the whole test suite twice: a normal build, then one
# with AddressSanitizer + UndefinedBehaviorSanitizer (leaks included).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
run_suite() {
  local dir=$1; shift
  echo "== build ($dir)"
  BUILD_DIR=$dir scripts/build.sh "$@"
  echo "== test ($dir)"
  (cd "$dir" && ctest --output-on-failure --timeout 600 -j "$(nproc)") || status=1
}
run_suite build -DLEDE_SANITIZE=OFF
run_suite build-asan -DLEDE_SANITIZE=ON
exit $status
