#!/usr/bin/env bash
# Runs one suite of a client library's tests against the real daemon, for
# ctest (tests/clients.cmake):
#
#   clients/run-tests.sh python|node SUITE SEARCHD INDEXER
#
# SUITE is core, auth or tls. Exit status: 0 passed, 1 failed, 77 skipped
# (the runtime is missing or too old, or the daemon lacks the suite's
# feature), which ctest reports as skipped.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ $# -eq 4 ] || { echo "usage: $0 python|node core|auth|tls SEARCHD INDEXER" >&2; exit 2; }
lang=$1 suite=$2
export LEDE_SEARCHD=$3 LEDE_INDEXER=$4 LEDE_SAMPLE=$root/data/sample/articles.jsonl

skip() {
  echo "SKIP: the $lang client's tests cannot run here: $*" >&2
  exit 77
}

case $lang in
python)
  command -v python3 >/dev/null 2>&1 || skip "no python3 (Debian package python3)"
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))' ||
    skip "Python 3.9 or later is needed; this is $(python3 --version 2>&1)"
  case $suite in core) class=Core ;; auth) class=Auth ;; tls) class=Tls ;; *) exit 2 ;; esac
  exec python3 -B "$here/python/tests/run.py" "$class"
  ;;
node)
  command -v node >/dev/null 2>&1 || skip "no node (Debian package nodejs)"
  node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' ||
    skip "Node.js 18 or later is needed; this is $(node --version)"
  exec node "$here/node/test/run.mjs" "$suite"
  ;;
*)
  echo "unknown language: $lang" >&2
  exit 2
  ;;
esac
