#!/usr/bin/env bash
# The real-browser test of the search page (web/), run by ctest
# (tests/browser.cmake):
#
#   tests/browser/run.sh SEARCHD INDEXER WORK_DIR
#
# It installs what it needs: Chromium, Node.js and npm from Debian's packages
# when they are missing (as root; otherwise it says what to install), and the
# pinned playwright-core from package-lock.json into WORK_DIR/node (never
# into the source tree). Then search.test.mjs indexes data/sample, starts
# lede-searchd on free ports and drives the page in headless Chromium.
# Screenshots land in WORK_DIR (browser-*.png).
#
# Exit status: 0 passed, 1 failed, 77 skipped (Chromium or Node.js cannot be
# installed here), which ctest reports as skipped.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -eq 3 ] || { echo "usage: $0 SEARCHD INDEXER WORK_DIR" >&2; exit 2; }
searchd=$1 indexer=$2 work=$3
chromium=${LEDE_CHROMIUM:-/usr/bin/chromium}
# playwright-core 1.65 needs Node.js 20 or later.
NODE_MAJOR_MIN=20
# How long apt-get may wait for another apt-get to let go of its lock.
APT_LOCK_TIMEOUT_S=600

mkdir -p "$work"

skip() {
  echo "SKIP: the browser test cannot run here: $*" >&2
  exit 77
}

node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e "process.exit(+process.versions.node.split('.')[0] >= $NODE_MAJOR_MIN ? 0 : 1)"
}

# Debian packages that are missing.
missing=()
[ -x "$chromium" ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    skip "${missing[*]} missing and not root to install them; run: sudo apt-get install ${missing[*]}"
  fi
  command -v apt-get >/dev/null 2>&1 || skip "${missing[*]} missing and no apt-get to install them"
  echo "browser test: installing ${missing[*]} with apt-get (log: $work/apt.log)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get -o DPkg::Lock::Timeout=$APT_LOCK_TIMEOUT_S update -qq &&
         apt-get -o DPkg::Lock::Timeout=$APT_LOCK_TIMEOUT_S install -y -qq --no-install-recommends "${missing[@]}"; } \
       >"$work/apt.log" 2>&1; then
    tail -n 20 "$work/apt.log" >&2
    skip "apt-get could not install ${missing[*]} (see $work/apt.log)"
  fi
  [ -x "$chromium" ] || skip "apt-get installed chromium but there is no $chromium"
fi
node_ok || skip "Node.js $NODE_MAJOR_MIN or later is needed for playwright-core; this is $(node --version 2>/dev/null || echo none)"

# playwright-core, pinned by package-lock.json, installed once per lock file.
modules=$work/node
if ! cmp -s "$here/package-lock.json" "$modules/.installed-lock" ||
   [ ! -f "$modules/node_modules/playwright-core/package.json" ]; then
  echo "browser test: npm ci (playwright-core) into $modules"
  rm -rf "$modules"
  mkdir -p "$modules"
  cp "$here/package.json" "$here/package-lock.json" "$modules/"
  if ! (cd "$modules" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1); then
    cat "$work/npm.log" >&2
    echo "FAIL: npm ci could not install playwright-core (see $work/npm.log)" >&2
    exit 1
  fi
  cp "$here/package-lock.json" "$modules/.installed-lock"
fi

exec node "$here/search.test.mjs" --searchd "$searchd" --indexer "$indexer" \
  --sample "$root/data/sample" --web "$root/web" --out "$work" \
  --modules "$modules/node_modules" --chromium "$chromium"
