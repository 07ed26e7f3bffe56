#!/usr/bin/env bash
# Checks the sources (clang-format, and that the duplicated code of the
# production sources does not grow), then builds lede and runs the whole
# test suite twice: a normal build, then one with AddressSanitizer +
# UndefinedBehaviorSanitizer (leaks included); then the daemon's
# integration tests (lede-searchd, its HTTP API, the CLI against it) a
# third time with ThreadSanitizer. A failing step fails the run at the end;
# the steps after it still run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
status=0
# run_suite DIR TESTS CMAKE-ARGS...: TESTS is a ctest -R pattern ("": all).
run_suite() {
  local dir=$1 tests=$2; shift 2
  echo "== build ($dir)"
  BUILD_DIR=$dir scripts/build.sh "$@"
  echo "== test ($dir)"
  (cd "$dir" && ctest --output-on-failure --timeout 600 -j "$(nproc)" ${tests:+-R "$tests"}) || status=1
}
echo "== format (scripts/check_format.sh)"
scripts/check_format.sh || status=1
echo "== duplicates (scripts/check_duplicates.py)"
python3 scripts/check_duplicates.py || status=1
run_suite build "" -DLEDE_SANITIZE=OFF
run_suite build-asan "" -DLEDE_SANITIZE=ON
BUILD_TARGETS="lede-searchd lede-indexer lede test_searchd test_http test_cli test_answers test_auth test_ops" \
  run_suite build-tsan '^test_(searchd|http|cli|answers|auth|ops)$' -DLEDE_TSAN=ON
exit $status
